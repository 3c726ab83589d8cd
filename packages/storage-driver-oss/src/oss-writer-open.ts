import type OSS from 'ali-oss';
import { PathNotFoundError, type FileWriter } from '@lading/storage-driver';
import { copyAsParts, createUpload, type UploadedPart } from './oss-copy.js';
import { isNoSuchKey, isNoSuchUpload } from './oss-errors.js';
import { abortUpload } from './oss-listing.js';
import { minimumPartSize } from './oss-options.js';
import { deletePartial, readPartial } from './oss-partial.js';
import type { OssStore } from './oss-store.js';
import { OssWriter } from './oss-writer.js';

/**
 * `writer(path, append)`: a fresh writer (dropping what an earlier one left), or one that
 * continues the last closed writer, or else the committed file.
 */
export async function openWriter(
  store: OssStore,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const key = store.keys.key(path);
  const partialKey = store.keys.partialKey(path);
  const partial = await readPartial(store, partialKey, append);
  if (!append) {
    if (partial?.uploadId !== undefined) await abortUpload(store, key, partial.uploadId);
    return new OssWriter(store, path, {
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
      return new OssWriter(store, path, { ...partial, parts, partialExists: true });
    }
    // The upload is gone: a commit finished it and crashed before tidying up, or it expired.
    await deletePartial(store, partialKey);
  }
  return appendToCommitted(store, path, key);
}

/**
 * Continues the committed object. A small one is read back as the tail; a larger one
 * becomes the first parts of a new upload by server-side copy, so its bytes never pass
 * through this process.
 */
async function appendToCommitted(store: OssStore, path: string, key: string): Promise<FileWriter> {
  const size = await committedSize(store, path, key);
  if (size < minimumPartSize) {
    const tail =
      size === 0
        ? Buffer.alloc(0)
        : Buffer.from((await store.call((client) => client.get(key))).content as Uint8Array);
    return new OssWriter(store, path, { parts: [], tail, partialExists: false });
  }
  const uploadId = await createUpload(store, key);
  try {
    const parts = await copyAsParts(store, key, uploadId, key, size);
    return new OssWriter(store, path, {
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

async function committedSize(store: OssStore, path: string, key: string): Promise<number> {
  try {
    const head = await store.call((client) => client.head(key));
    return Number((head.res.headers as Record<string, string>)['content-length'] ?? '0');
  } catch (error) {
    if (isNoSuchKey(error)) throw new PathNotFoundError(path, { cause: error });
    throw error;
  }
}

/**
 * Parts 1…`partCount` of the upload, or undefined when the upload is gone (completed by a
 * commit that crashed before removing its state, or expired by a lifecycle rule).
 */
async function writerParts(
  store: OssStore,
  key: string,
  uploadId: string,
  partCount: number,
): Promise<UploadedPart[] | undefined> {
  const parts: UploadedPart[] = [];
  try {
    let marker: number | undefined;
    for (;;) {
      const query = {
        'max-parts': 1000,
        ...(marker === undefined ? {} : { 'part-number-marker': marker }),
      };
      const page = await store.call((client) =>
        client.listParts(key, uploadId, query as OSS.ListPartsQuery),
      );
      for (const part of listedParts(page.parts)) {
        if (part.number < 1 || part.number > partCount) continue;
        parts.push(part);
      }
      // ali-oss passes the XML's strings through: "true", and one part as an object.
      if (String(page.isTruncated) !== 'true' || !page.nextPartNumberMarker) break;
      marker = Number(String(page.nextPartNumberMarker));
    }
  } catch (error) {
    if (isNoSuchUpload(error)) return undefined;
    throw error;
  }
  parts.sort((a, b) => a.number - b.number);
  const missing = parts.findIndex((part, index) => part.number !== index + 1);
  if (parts.length !== partCount || missing !== -1) {
    throw new Error(
      `multipart upload ${uploadId} of ${key} holds ${String(parts.length)} of its ` +
        `${String(partCount)} parts; the store lost some`,
    );
  }
  return parts;
}

/** ListParts' parts as ali-oss hands them over (XML fields, strings, maybe not a list). */
function listedParts(listed: unknown): UploadedPart[] {
  const entries: unknown[] = Array.isArray(listed) ? listed : [listed];
  return entries.filter(isRecord).map((entry) => ({
    number: Number(entry.PartNumber),
    etag: String(entry.ETag),
    size: Number(entry.Size),
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
