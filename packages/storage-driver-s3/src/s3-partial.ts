import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import { isNoSuchKey, isNoSuchUpload } from './s3-errors.js';
import type { UploadedPart } from './s3-copy.js';
import { requireETag } from './s3-copy.js';
import type { S3Store } from './s3-store.js';

const uploadIdField = 'lading-upload-id';
const partCountField = 'lading-parts';

/**
 * A closed writer's state, kept in one object beside its target
 * (`<key>~partial`): the multipart upload and how many of its parts are
 * the writer's, in metadata, and the unsent tail — fewer bytes than a part —
 * as the body. Parts must be at least 5 MiB, so the tail cannot be a part
 * yet; keeping it here lets any process resume without re-uploading a byte
 * the store already holds. Counting parts makes a crash harmless: a part
 * uploaded after the last close is ignored and overwritten on resume.
 */
export interface PartialState {
  readonly uploadId?: string;
  readonly partCount: number;
  readonly tail: Buffer;
}

/** The state at `partialKey`, without the tail unless `withTail`; undefined when none. */
export async function readPartial(
  store: S3Store,
  partialKey: string,
  withTail: boolean,
): Promise<PartialState | undefined> {
  try {
    if (!withTail) {
      const head = await store.client.send(
        new HeadObjectCommand({ Bucket: store.bucket, Key: partialKey }),
      );
      return stateOf(head.Metadata, Buffer.alloc(0));
    }
    const object = await store.client.send(
      new GetObjectCommand({ Bucket: store.bucket, Key: partialKey }),
    );
    const tail = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    return stateOf(object.Metadata, tail);
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    throw error;
  }
}

export async function writePartial(
  store: S3Store,
  partialKey: string,
  state: PartialState,
): Promise<void> {
  const { StorageClass: _storageClass, ACL: _acl, ...settings } = store.newObject;
  await store.client.send(
    new PutObjectCommand({
      Bucket: store.bucket,
      Key: partialKey,
      Body: state.tail,
      ContentLength: state.tail.length,
      Metadata: {
        [uploadIdField]: state.uploadId ?? '',
        [partCountField]: String(state.partCount),
      },
      ...settings,
    }),
  );
}

export async function deletePartial(store: S3Store, partialKey: string): Promise<void> {
  await store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: partialKey }));
}

/**
 * Parts 1…`partCount` of the upload, or undefined when the upload is gone
 * (completed by a commit that crashed before removing its state, or expired
 * by a lifecycle rule).
 */
export async function listWriterParts(
  store: S3Store,
  key: string,
  uploadId: string,
  partCount: number,
): Promise<UploadedPart[] | undefined> {
  const parts: UploadedPart[] = [];
  try {
    // Paged by IsTruncated, not by the SDK's paginator: Swift's s3api hands out a next
    // marker on the last page too, and the paginator would follow it for ever.
    let marker: string | undefined;
    for (;;) {
      const page = await store.client.send(
        new ListPartsCommand({
          Bucket: store.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumberMarker: marker,
        }),
      );
      for (const part of page.Parts ?? []) {
        const number = part.PartNumber ?? 0;
        if (number < 1 || number > partCount) continue;
        parts.push({
          PartNumber: number,
          ETag: requireETag(part.ETag, number),
          Size: part.Size ?? 0,
        });
      }
      if (page.IsTruncated !== true || page.NextPartNumberMarker === undefined) break;
      marker = page.NextPartNumberMarker;
    }
  } catch (error) {
    if (isNoSuchUpload(error)) return undefined;
    throw error;
  }
  parts.sort((a, b) => a.PartNumber - b.PartNumber);
  const missing = parts.findIndex((part, index) => part.PartNumber !== index + 1);
  if (parts.length !== partCount || missing !== -1) {
    throw new Error(
      `multipart upload ${uploadId} of ${key} holds ${String(parts.length)} of its ` +
        `${String(partCount)} parts; the store lost some`,
    );
  }
  return parts;
}

function stateOf(metadata: Record<string, string> | undefined, tail: Buffer): PartialState {
  const uploadId = metadata?.[uploadIdField];
  const partCount = Number(metadata?.[partCountField] ?? '0');
  return {
    ...(uploadId === undefined || uploadId === '' ? {} : { uploadId }),
    partCount: Number.isSafeInteger(partCount) && partCount > 0 ? partCount : 0,
    tail,
  };
}
