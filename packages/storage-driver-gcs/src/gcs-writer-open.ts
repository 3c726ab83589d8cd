import { randomBytes } from 'node:crypto';
import { PathNotFoundError, type FileWriter } from '@lading/storage-driver';
import { deletePrefix, deleteQuietly } from './gcs-delete.js';
import { isNotFound } from './gcs-errors.js';
import { readPartial } from './gcs-partial.js';
import { segmentsPrefix, type GcsStore } from './gcs-store.js';
import { GcsWriter } from './gcs-writer.js';

/**
 * `writer(path, append)`: a fresh writer (dropping what an earlier one left), or one that
 * continues the last closed writer, or else the committed object.
 */
export async function openWriter(
  store: GcsStore,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const partialName = store.keys.partialKey(path);
  const partial = await readPartial(store, partialName);
  if (append && partial !== undefined) {
    return new GcsWriter(store, path, { ...partial, partialExists: true });
  }
  if (partial !== undefined) {
    await deletePrefix(store, segmentsPrefix(store, path));
    await deleteQuietly(store, partialName);
  }
  const writerId = randomBytes(8).toString('hex');
  if (!append) return new GcsWriter(store, path, { writerId, segments: [], partialExists: false });
  const base = await committedObject(store, path);
  return new GcsWriter(store, path, { writerId, segments: [], base, partialExists: false });
}

/** The committed object's generation and size: what an appending writer continues. */
async function committedObject(store: GcsStore, path: string) {
  try {
    const [metadata] = await store.regulator.run(() =>
      store.bucket.file(store.keys.key(path)).getMetadata(),
    );
    return { generation: String(metadata.generation), size: Number(metadata.size ?? 0) };
  } catch (error) {
    if (isNotFound(error)) throw new PathNotFoundError(path, { cause: error });
    throw error;
  }
}
