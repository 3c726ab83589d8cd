import type OSS from 'ali-oss';
import type { FileInfo } from '@lading/storage-driver';
import { isNoSuchUpload } from './oss-errors.js';
import type { OssStore } from './oss-store.js';

const epoch = new Date(0);

/** OSS's ceiling for one listing page and one DeleteMultipleObjects batch. */
export const pageSize = 1000;

export interface ListingPage {
  readonly objects: readonly OSS.ObjectMeta[];
  readonly prefixes: readonly string[];
}

/** Every page below `prefix` (ListObjectsV2, by continuation token), in key order. */
export async function* listPages(
  store: OssStore,
  prefix: string,
  delimiter?: '/',
): AsyncGenerator<ListingPage> {
  let token: string | undefined;
  for (;;) {
    const query: OSS.ListV2ObjectsQuery = {
      prefix,
      'max-keys': pageSize,
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(token === undefined ? {} : { 'continuation-token': token }),
    };
    const page = await store.call((client) => client.listV2(query));
    yield { objects: page.objects, prefixes: orEmpty(page.prefixes) };
    if (!page.isTruncated || !page.nextContinuationToken) return;
    token = page.nextContinuationToken;
  }
}

/** The entries directly below directory `path`, a page at a time, as `ObjectTree` reads them. */
export async function* listLevel(store: OssStore, path: string): AsyncGenerator<FileInfo[]> {
  const { keys } = store;
  for await (const page of listPages(store, keys.directoryPrefix(path), '/')) {
    yield [
      ...page.prefixes.map((prefix) => ({
        path: keys.path(prefix),
        size: 0,
        modTime: epoch,
        isDir: true,
      })),
      ...page.objects.map((object) => ({
        path: keys.path(object.name),
        size: object.size,
        modTime: new Date(object.lastModified),
        isDir: false,
      })),
    ];
  }
}

/** Deletes `keys` in batches of 1000 (a missing key counts as deleted, as in OSS). */
export async function deleteKeys(store: OssStore, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += pageSize) {
    const batch = keys.slice(start, start + pageSize);
    // Quiet: OSS answers with no list of what it deleted.
    await store.call((client) => client.deleteMulti(batch, { quiet: true }));
  }
}

/**
 * Aborts every multipart upload whose key is `key` or lies below `key/`: the uploads of
 * writers that a crash rather than `cancel()` ended, which OSS would otherwise bill for ever.
 */
export async function abortUploadsAt(store: OssStore, key: string): Promise<void> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const query: Record<string, string> = { prefix: key, 'max-uploads': String(pageSize) };
    if (keyMarker !== undefined) query['key-marker'] = keyMarker;
    if (uploadIdMarker !== undefined) query['upload-id-marker'] = uploadIdMarker;
    const page = await store.call((client) => client.listUploads(query));
    for (const upload of page.uploads) {
      if (upload.name !== key && !upload.name.startsWith(`${key}/`)) continue;
      await abortUpload(store, upload.name, upload.uploadId);
    }
    if (!page.isTruncated || !page.nextKeyMarker) return;
    keyMarker = String(page.nextKeyMarker);
    uploadIdMarker = String(page.nextUploadIdMarker ?? '');
  }
}

/** Aborts one multipart upload; one that is already gone is fine. */
export async function abortUpload(store: OssStore, key: string, uploadId: string): Promise<void> {
  try {
    await store.call((client) => client.abortMultipartUpload(key, uploadId));
  } catch (error) {
    if (!isNoSuchUpload(error)) throw error;
  }
}

/** ali-oss gives null, not [], for a page with no common prefixes; its types say otherwise. */
function orEmpty(values: readonly string[] | null): readonly string[] {
  return values ?? [];
}
