import { PathNotFoundError } from './errors.js';
import type { MultipartStore, UploadedPart } from './multipart-store.js';
import { MultipartWriter } from './multipart-writer.js';
import type { FileWriter } from './storage-driver.js';

/**
 * `writer(path, append)` of a driver on a multipart store: a fresh writer (dropping what an
 * earlier one left), or one that continues the last closed writer, or else the committed
 * file. Throws `PathNotFoundError` when appending to a path with neither, and an `Error` when
 * the store no longer holds every part of the closed writer's upload: those bytes are lost,
 * and resuming would commit a file with a hole in it.
 */
export async function openMultipartWriter(
  store: MultipartStore,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const key = store.keys.key(path);
  const partialKey = store.keys.partialKey(path);
  const partial = await store.readPartial(partialKey, append);
  if (!append) {
    if (partial?.uploadId !== undefined) await store.abortUpload(key, partial.uploadId);
    return new MultipartWriter(store, path, {
      parts: [],
      tail: Buffer.alloc(0),
      partialExists: partial !== undefined,
    });
  }
  if (partial !== undefined) {
    const parts =
      partial.uploadId === undefined
        ? []
        : await writerParts(store, key, partial.uploadId, partial.partCount);
    if (parts !== undefined) {
      return new MultipartWriter(store, path, { ...partial, parts, partialExists: true });
    }
    // The upload is gone: a commit finished it and crashed before tidying up, or it expired.
    await store.deletePartial(partialKey);
  }
  return appendToCommitted(store, path, key);
}

/**
 * Parts 1…`partCount` of the upload, or undefined when the upload is gone. Parts beyond
 * the count were uploaded after the last close by a writer that crashed: they are ignored,
 * and the resumed writer overwrites them.
 */
async function writerParts(
  store: MultipartStore,
  key: string,
  uploadId: string,
  partCount: number,
): Promise<UploadedPart[] | undefined> {
  const listed = await store.listParts(key, uploadId);
  if (listed === undefined) return undefined;
  // Leave out only parts known to lie outside 1…partCount: one whose number the store
  // garbled (NaN) stays, and fails the check below rather than being ignored.
  const parts = listed
    .filter((part) => !(part.number < 1 || part.number > partCount))
    .sort((a, b) => a.number - b.number);
  const missing = parts.findIndex((part, index) => part.number !== index + 1);
  if (parts.length !== partCount || missing !== -1) {
    throw new Error(
      `multipart upload ${uploadId} of ${key} holds ${String(parts.length)} of its ` +
        `${String(partCount)} parts; the store lost some`,
    );
  }
  return parts;
}

/**
 * Continues the committed object. A small one is read back as the tail; a larger one
 * becomes the first parts of a new upload by server-side copy, so its bytes never pass
 * through this process.
 */
async function appendToCommitted(
  store: MultipartStore,
  path: string,
  key: string,
): Promise<FileWriter> {
  const size = await store.headObject(key);
  if (size === undefined) throw new PathNotFoundError(path);
  if (size < store.minimumPartSize) {
    const tail = size === 0 ? Buffer.alloc(0) : await store.readObject(key);
    return new MultipartWriter(store, path, { parts: [], tail, partialExists: false });
  }
  const uploadId = await store.createUpload(key);
  try {
    const parts = await store.copyIntoParts(key, uploadId, key, size);
    return new MultipartWriter(store, path, {
      uploadId,
      parts,
      tail: Buffer.alloc(0),
      partialExists: false,
    });
  } catch (error) {
    await store.abortUpload(key, uploadId).catch(() => undefined);
    throw error;
  }
}
