import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { PathNotFoundError, type FileWriter } from '@lading/storage-driver';
import { copyAsParts, createUpload } from './s3-copy.js';
import { isNoSuchKey } from './s3-errors.js';
import { abortUpload } from './s3-listing.js';
import { minimumPartSize } from './s3-options.js';
import { deletePartial, listWriterParts, readPartial } from './s3-partial.js';
import type { S3Store } from './s3-store.js';
import { S3Writer } from './s3-writer.js';

/**
 * `writer(path, append)`: a fresh writer (dropping what an earlier one left),
 * or one that continues the last closed writer, or else the committed file.
 */
export async function openWriter(
  store: S3Store,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const key = store.keys.key(path);
  const partialKey = store.keys.partialKey(path);
  const partial = await readPartial(store, partialKey, append);
  if (!append) {
    if (partial?.uploadId !== undefined) await abortUpload(store, key, partial.uploadId);
    return new S3Writer(store, path, {
      parts: [],
      tail: Buffer.alloc(0),
      partialExists: partial !== undefined,
    });
  }
  if (partial !== undefined) {
    const parts =
      partial.uploadId === undefined
        ? []
        : await listWriterParts(store, key, partial.uploadId, partial.partCount);
    if (parts !== undefined) {
      return new S3Writer(store, path, { ...partial, parts, partialExists: true });
    }
    // The upload is gone: a commit finished it and crashed before tidying up, or it expired.
    await deletePartial(store, partialKey);
  }
  return appendToCommitted(store, path, key);
}

/**
 * Continues the committed object. A small one is read back as the tail; a
 * larger one becomes the first parts of a new upload by server-side copy,
 * so its bytes never pass through this process.
 */
async function appendToCommitted(store: S3Store, path: string, key: string): Promise<FileWriter> {
  const size = await committedSize(store, path, key);
  if (size < minimumPartSize) {
    const tail = size === 0 ? Buffer.alloc(0) : await readWhole(store, key);
    return new S3Writer(store, path, { parts: [], tail, partialExists: false });
  }
  const uploadId = await createUpload(store, key);
  try {
    const parts = await copyAsParts(store, key, uploadId, key, size);
    return new S3Writer(store, path, {
      uploadId,
      parts,
      tail: Buffer.alloc(0),
      partialExists: false,
    });
  } catch (error) {
    await abortUpload(store, key, uploadId).catch(() => undefined);
    throw error;
  }
}

async function committedSize(store: S3Store, path: string, key: string): Promise<number> {
  try {
    const head = await store.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: key }));
    return head.ContentLength ?? 0;
  } catch (error) {
    if (isNoSuchKey(error)) throw new PathNotFoundError(path, { cause: error });
    throw error;
  }
}

async function readWhole(store: S3Store, key: string): Promise<Buffer> {
  const object = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}
