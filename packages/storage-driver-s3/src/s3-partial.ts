import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { PartialState } from '@lading/storage-driver';
import { isNoSuchKey } from './s3-errors.js';
import type { S3Store } from './s3-store.js';

/*
 * A closed writer's state object (`<key>~partial`, see `PartialState`): the upload id and
 * part count in its user metadata, the unsent tail as its body. S3 refuses parts under
 * 5 MiB unless last, so the tail cannot be a part yet.
 */
const uploadIdField = 'lading-upload-id';
const partCountField = 'lading-parts';

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

function stateOf(metadata: Record<string, string> | undefined, tail: Buffer): PartialState {
  const uploadId = metadata?.[uploadIdField];
  const partCount = Number(metadata?.[partCountField] ?? '0');
  return {
    ...(uploadId === undefined || uploadId === '' ? {} : { uploadId }),
    partCount: Number.isSafeInteger(partCount) && partCount > 0 ? partCount : 0,
    tail,
  };
}
