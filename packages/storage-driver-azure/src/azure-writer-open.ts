import { PathNotFoundError, type FileWriter } from '@lading/storage-driver';
import {
  deleteState,
  newGeneration,
  parseBlockId,
  readState,
  stagedBlocks,
} from './azure-blocks.js';
import { isBlobNotFound } from './azure-errors.js';
import type { AzureStore } from './azure-store.js';
import { AzureWriter } from './azure-writer.js';

/**
 * `writer(path, append)`: a fresh writer (a new generation, so blocks an
 * earlier writer staged are never taken for its own), or one that continues
 * the last closed writer, or else the committed blob.
 */
export async function openWriter(
  store: AzureStore,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const fresh = { generation: newGeneration(), base: [], staged: [], tail: Buffer.alloc(0) };
  if (!append) return new AzureWriter(store, path, fresh);
  const state = await readState(store, path);
  if (state !== undefined) {
    const staged = await stagedBlocks(store, path, state.generation, state.blockCount);
    if (staged !== undefined) {
      return new AzureWriter(store, path, { ...state, staged, tail: Buffer.alloc(0) });
    }
    // Its blocks are gone: they expired, or a commit finished and crashed before tidying up.
    await deleteState(store, path);
  }
  return appendToCommitted(store, path);
}

/**
 * Continues the committed blob. A blob this driver committed from blocks is
 * continued by naming its blocks again, so its bytes stay where they are;
 * any other (written whole, or by another tool) is read back into the writer.
 */
async function appendToCommitted(store: AzureStore, path: string): Promise<FileWriter> {
  const blob = store.container.getBlockBlobClient(store.keys.key(path));
  let size: number;
  try {
    size = (await blob.getProperties()).contentLength ?? 0;
  } catch (error) {
    if (isBlobNotFound(error)) throw new PathNotFoundError(path, { cause: error });
    throw error;
  }
  const start = { generation: newGeneration(), base: [], staged: [], tail: Buffer.alloc(0) };
  if (size === 0) return new AzureWriter(store, path, start);
  const list = await blob.getBlockList('committed');
  const committed = (list.committedBlocks ?? []).map((block) => ({
    id: block.name,
    size: block.size,
  }));
  if (committed.length > 0 && committed.every((block) => parseBlockId(block.id) !== undefined)) {
    return new AzureWriter(store, path, { ...start, base: committed });
  }
  const writer = new AzureWriter(store, path, start);
  const content = await blob.download(0);
  for await (const chunk of content.readableStreamBody ?? []) {
    await writer.write(chunk as Buffer);
  }
  return writer;
}
