import { mapConcurrently } from '@lading/storage-driver';
import { isNotFound } from './gcs-errors.js';
import { listPages } from './gcs-listing.js';
import type { GcsStore } from './gcs-store.js';

/** Deletes at once per listing page. */
const deleteConcurrency = 16;

/** Deletes one object; one already gone is fine. */
export async function deleteQuietly(store: GcsStore, name: string): Promise<void> {
  try {
    await store.regulator.run(() => store.bucket.file(name).delete());
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Deletes every object whose name starts with `prefix`, page by page (a listing goes on
 * after its last name, deleted or not); returns the names it found.
 */
export async function deletePrefix(
  store: GcsStore,
  prefix: string,
  onPage?: (names: readonly string[]) => void,
): Promise<void> {
  for await (const page of listPages(store, prefix)) {
    const names = page.files.map((file) => file.name);
    onPage?.(names);
    await mapConcurrently(names, deleteConcurrency, (name) => deleteQuietly(store, name));
  }
}
