import type { FileInfo } from '@lading/storage-driver';
import type { AzureStore } from './azure-store.js';

/** Deletes sent at once: Azure has no batch delete that every emulator speaks. */
const deleteConcurrency = 32;
const epoch = new Date(0);

/** The entries directly below `prefix`, a page at a time (paths relative to the root). */
export async function* listLevel(store: AzureStore, prefix: string): AsyncGenerator<FileInfo[]> {
  const pages = store.container
    .listBlobsByHierarchy('/', { prefix })
    .byPage({ maxPageSize: store.listPageSize });
  for await (const page of pages) {
    const entries: FileInfo[] = [];
    for (const directory of page.segment.blobPrefixes ?? []) {
      entries.push({ path: store.keys.path(directory.name), size: 0, modTime: epoch, isDir: true });
    }
    for (const blob of page.segment.blobItems) {
      entries.push({
        path: store.keys.path(blob.name),
        size: blob.properties.contentLength ?? 0,
        modTime: blob.properties.lastModified,
        isDir: false,
      });
    }
    yield entries;
  }
}

/** The names of every blob below `prefix`, a page at a time. */
export async function* listFlat(store: AzureStore, prefix: string): AsyncGenerator<string[]> {
  const pages = store.container
    .listBlobsFlat({ prefix })
    .byPage({ maxPageSize: store.listPageSize });
  for await (const page of pages) yield page.segment.blobItems.map((blob) => blob.name);
}

/** Deletes `names` (gone already is fine), several at once. */
export async function deleteBlobs(store: AzureStore, names: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++];
      if (name === undefined) return;
      await store.container.getBlobClient(name).deleteIfExists();
    }
  };
  await Promise.all(Array.from({ length: Math.min(deleteConcurrency, names.length) }, worker));
}
