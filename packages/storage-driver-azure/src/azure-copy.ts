import { setTimeout as sleep } from 'node:timers/promises';
import { StorageDriverError } from '@lading/storage-driver';
import type { AzureStore } from './azure-store.js';

/** A pending copy reads its source for as long as it runs; a day covers any blob. */
const copySasLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Server-side copy of one blob to another, polled to completion: Azure copies
 * within an account at once or in the background, and says which in the
 * copy status. Polls `copyStatusPollMaxRetry` times, the delay doubling from
 * `copyStatusPollDelayMs`, then aborts the copy and fails.
 */
export async function copyBlob(
  store: AzureStore,
  sourceKey: string,
  destinationKey: string,
): Promise<void> {
  const source = store.container.getBlobClient(sourceKey);
  const destination = store.container.getBlobClient(destinationKey);
  // A read SAS authorizes the source the same way for shared keys and Azure AD identities.
  const sourceUrl = await store.signReadUrl(source, new Date(Date.now() + copySasLifetimeMs));
  const poller = await destination.beginCopyFromURL(sourceUrl);
  for (let attempt = 0; !poller.isDone(); attempt++) {
    if (attempt >= store.copyStatusPollMaxRetry) {
      await poller.cancelOperation().catch(() => undefined);
      throw new StorageDriverError(
        `copy of ${sourceKey} to ${destinationKey} still pending after ${String(attempt)} polls`,
      );
    }
    await sleep(store.copyStatusPollDelayMs * 2 ** attempt);
    await poller.poll();
  }
  const status = poller.getResult()?.copyStatus;
  if (status !== undefined && status !== 'success') {
    throw new StorageDriverError(`copy of ${sourceKey} to ${destinationKey} ended ${status}`);
  }
}
