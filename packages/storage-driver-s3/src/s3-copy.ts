import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mapConcurrently, partRanges, type UploadedPart } from '@lading/storage-driver';
import { maximumPartSize, minimumPartSize } from './s3-options.js';
import type { S3Store } from './s3-store.js';

/**
 * One CopyObject of `sourceKey` to `destinationKey`, server-side (up to the copy threshold:
 * CopyObject stops at 5 GiB; `copyServerSide` takes larger objects through parts).
 */
export async function copyWholeObject(
  store: S3Store,
  sourceKey: string,
  destinationKey: string,
): Promise<void> {
  const { ContentType: _contentType, ...settings } = store.newObject;
  await store.client.send(
    new CopyObjectCommand({
      Bucket: store.bucket,
      Key: destinationKey,
      CopySource: copySource(store, sourceKey),
      ...settings,
    }),
  );
}

/** Copies the whole source into parts 1…n of an open upload, several at once. */
export async function copyAsParts(
  store: S3Store,
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
    const result = await store.client.send(
      new UploadPartCopyCommand({
        Bucket: store.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: index + 1,
        CopySource: copySource(store, sourceKey),
        CopySourceRange: `bytes=${String(range.start)}-${String(range.end)}`,
      }),
    );
    return {
      number: index + 1,
      etag: requireETag(result.CopyPartResult?.ETag, index + 1),
      size: range.end - range.start + 1,
    };
  });
}

export async function createUpload(store: S3Store, key: string): Promise<string> {
  const result = await store.client.send(
    new CreateMultipartUploadCommand({ Bucket: store.bucket, Key: key, ...store.newObject }),
  );
  if (result.UploadId === undefined) throw new Error(`no UploadId for ${key}`);
  return result.UploadId;
}

export async function completeUpload(
  store: S3Store,
  key: string,
  uploadId: string,
  parts: readonly UploadedPart[],
): Promise<void> {
  await store.client.send(
    new CompleteMultipartUploadCommand({
      Bucket: store.bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: {
        Parts: parts.map((part) => ({ PartNumber: part.number, ETag: part.etag })),
      },
    }),
  );
}

export function requireETag(etag: string | undefined, partNumber: number): string {
  if (etag === undefined)
    throw new Error(`the store returned no ETag for part ${String(partNumber)}`);
  return etag;
}

function copySource(store: S3Store, key: string): string {
  // Storage paths are [A-Za-z0-9._-/] only, but the root directory may hold anything.
  return `${store.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
