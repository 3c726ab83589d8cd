import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  type _Object,
} from '@aws-sdk/client-s3';
import { StorageDriverError, type FileInfo } from '@lading/storage-driver';
import { isNoSuchUpload } from './s3-errors.js';
import type { S3Store } from './s3-store.js';

/** Implicit directories have no time of their own. */
const epoch = new Date(0);

/** S3's ceiling for one ListObjectsV2 page and one DeleteObjects batch. */
export const pageSize = 1000;

/** One page of a listing: the objects, and with a delimiter the "subdirectories". */
export interface ListingPage {
  readonly objects: readonly _Object[];
  readonly prefixes: readonly string[];
}

/** Every page below `prefix`, one request each, in key order. */
export async function* listPages(
  store: S3Store,
  prefix: string,
  delimiter?: '/',
): AsyncGenerator<ListingPage> {
  const pages = paginateListObjectsV2(
    { client: store.client, pageSize },
    { Bucket: store.bucket, Prefix: prefix, Delimiter: delimiter, MaxKeys: pageSize },
  );
  for await (const page of pages) {
    yield {
      objects: page.Contents ?? [],
      prefixes: (page.CommonPrefixes ?? []).flatMap((entry) =>
        entry.Prefix === undefined ? [] : [entry.Prefix],
      ),
    };
  }
}

/** The entries directly below directory `path`, a page at a time, as `ObjectTree` reads them. */
export async function* listLevel(store: S3Store, path: string): AsyncGenerator<FileInfo[]> {
  const { keys } = store;
  for await (const page of listPages(store, keys.directoryPrefix(path), '/')) {
    const entries: FileInfo[] = page.prefixes.map((prefix) => ({
      path: keys.path(prefix),
      size: 0,
      modTime: epoch,
      isDir: true,
    }));
    for (const object of page.objects) {
      if (object.Key === undefined) continue;
      entries.push({
        path: keys.path(object.Key),
        size: object.Size ?? 0,
        modTime: object.LastModified ?? epoch,
        isDir: false,
      });
    }
    yield entries;
  }
}

/** Deletes `keys` in batches of 1000; fails naming the first key the store refused. */
export async function deleteKeys(store: S3Store, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += pageSize) {
    const batch = keys.slice(start, start + pageSize);
    const result = await store.client.send(
      new DeleteObjectsCommand({
        Bucket: store.bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed = result.Errors?.[0];
    if (failed !== undefined) {
      throw new StorageDriverError(
        `could not delete ${String(failed.Key)}: ${String(failed.Code)} ${String(failed.Message)}`,
      );
    }
  }
}

/**
 * Aborts every multipart upload whose key is `key` or lies below `key/`:
 * the uploads of writers that were cancelled by a crash rather than by
 * `cancel()`, which would otherwise be billed for ever.
 */
export async function abortUploadsAt(store: S3Store, key: string): Promise<void> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await store.client.send(
      new ListMultipartUploadsCommand({
        Bucket: store.bucket,
        Prefix: key,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue;
      if (upload.Key !== key && !upload.Key.startsWith(`${key}/`)) continue;
      await abortUpload(store, upload.Key, upload.UploadId);
    }
    if (page.IsTruncated !== true || page.NextKeyMarker === undefined) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/** Aborts one multipart upload; one that is already gone is fine. */
export async function abortUpload(store: S3Store, key: string, uploadId: string): Promise<void> {
  try {
    await store.client.send(
      new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: key, UploadId: uploadId }),
    );
  } catch (error) {
    if (!isNoSuchUpload(error)) throw error;
  }
}
