import { mapConcurrently, partRanges, type UploadedPart } from '@lading/storage-driver';
import { maximumPartSize, minimumPartSize } from './oss-options.js';
import type { OssStore } from './oss-store.js';

/**
 * One CopyObject of `sourceKey` to `destinationKey`, server-side (up to the copy threshold, at
 * most 1 GiB, OSS's limit for it; `copyServerSide` takes larger objects through parts).
 */
export async function copyWholeObject(
  store: OssStore,
  sourceKey: string,
  destinationKey: string,
): Promise<void> {
  await store.call((client) =>
    client.copy(destinationKey, sourceKey, { headers: { ...store.newObjectHeaders } }),
  );
}

/** Copies the whole source into parts 1…n of an open upload, a few at once. */
export async function copyAsParts(
  store: OssStore,
  key: string,
  uploadId: string,
  sourceKey: string,
  size: number,
): Promise<UploadedPart[]> {
  const ranges = partRanges(size, store.copyChunkSize, {
    minimum: minimumPartSize,
    maximum: maximumPartSize,
  });
  return mapConcurrently(ranges, store.copyConcurrency, async (range, index) => {
    const result = await store.call((client) =>
      client.uploadPartCopy(
        key,
        uploadId,
        index + 1,
        `${String(range.start)}-${String(range.end)}`,
        { sourceKey, sourceBucketName: store.bucket },
        {},
      ),
    );
    return { number: index + 1, etag: result.etag, size: range.end - range.start + 1 };
  });
}

export async function createUpload(store: OssStore, key: string): Promise<string> {
  const result = await store.call((client) =>
    client.initMultipartUpload(key, { headers: { ...store.newObjectHeaders } }),
  );
  return result.uploadId;
}

export async function completeUpload(
  store: OssStore,
  key: string,
  uploadId: string,
  parts: readonly UploadedPart[],
): Promise<void> {
  await store.call((client) =>
    client.completeMultipartUpload(
      key,
      uploadId,
      parts.map((part) => ({ number: part.number, etag: part.etag })),
    ),
  );
}
