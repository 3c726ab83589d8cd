import type { File } from '@google-cloud/storage';
import { composeSourceLimit } from './gcs-options.js';
import { contentType, type GcsStore } from './gcs-store.js';

/**
 * Composes `sources`, in order, into `destination`. GCS takes 32 sources per request, so
 * more are composed 32 at a time into intermediates (named from `scratchPrefix`), and those
 * again, until one request is left. A composite object may have at most 1,024 components
 * in all; GCS refuses more.
 */
export async function composeInto(
  store: GcsStore,
  sources: readonly File[],
  destination: string,
  scratchPrefix: string,
): Promise<void> {
  let level = [...sources];
  let round = 0;
  while (level.length > composeSourceLimit) {
    const next: File[] = [];
    for (let start = 0; start < level.length; start += composeSourceLimit) {
      const group = level.slice(start, start + composeSourceLimit);
      const intermediate = store.bucket.file(
        `${scratchPrefix}compose-${String(round)}-${String(next.length)}`,
      );
      await combine(store, group, intermediate);
      next.push(intermediate);
    }
    level = next;
    round += 1;
  }
  await combine(store, level, store.bucket.file(destination));
}

async function combine(store: GcsStore, sources: readonly File[], destination: File) {
  destination.metadata.contentType = contentType;
  await store.regulator.run(() => store.bucket.combine([...sources], destination));
}
