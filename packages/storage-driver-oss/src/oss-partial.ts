import type { PartialState } from '@lading/storage-driver';
import { isNoSuchKey } from './oss-errors.js';
import type { OssStore } from './oss-store.js';

/*
 * A closed writer's state object (`<key>~partial`, see `PartialState`): the upload id and
 * part count in `x-oss-meta-*` headers, the unsent tail as its body.
 */
const uploadIdField = 'lading-upload-id';
const partCountField = 'lading-parts';
const metaPrefix = 'x-oss-meta-';

export async function readPartial(
  store: OssStore,
  partialKey: string,
  withTail: boolean,
): Promise<PartialState | undefined> {
  try {
    if (!withTail) {
      const head = await store.call((client) => client.head(partialKey));
      return stateOf(head.res.headers, Buffer.alloc(0));
    }
    const object = await store.call((client) => client.get(partialKey));
    return stateOf(object.res.headers, Buffer.from(object.content as Uint8Array));
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    throw error;
  }
}

export async function writePartial(
  store: OssStore,
  partialKey: string,
  state: PartialState,
): Promise<void> {
  await store.call((client) =>
    client.put(partialKey, state.tail, {
      headers: {
        ...store.newObjectHeaders,
        [`${metaPrefix}${uploadIdField}`]: state.uploadId ?? '',
        [`${metaPrefix}${partCountField}`]: String(state.partCount),
      },
    }),
  );
}

export async function deletePartial(store: OssStore, partialKey: string): Promise<void> {
  await store.call((client) => client.delete(partialKey));
}

/** The state in an answer's `x-oss-meta-*` headers, with `tail`. */
function stateOf(headers: object, tail: Buffer): PartialState {
  const meta = headers as Record<string, string | undefined>;
  const uploadId = meta[`${metaPrefix}${uploadIdField}`];
  const partCount = Number(meta[`${metaPrefix}${partCountField}`] ?? '0');
  return {
    ...(uploadId === undefined || uploadId === '' ? {} : { uploadId }),
    partCount: Number.isSafeInteger(partCount) && partCount > 0 ? partCount : 0,
    tail,
  };
}
