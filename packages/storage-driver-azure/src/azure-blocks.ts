import { randomBytes } from 'node:crypto';
import { isBlobNotFound } from './azure-errors.js';
import type { AzureStore } from './azure-store.js';

/** A staged or committed block: its id and its size. */
export interface Block {
  readonly id: string;
  readonly size: number;
}

/**
 * A closed writer's state, kept in the small blob `<name>~partial`: the
 * writer's generation (which staged blocks are its own), how many it staged
 * before it closed, and the committed blocks it builds on when it appends to
 * committed content. The blocks themselves stay uncommitted on the target
 * blob, invisible until `commit()` commits the list.
 */
export interface WriterState {
  readonly generation: string;
  readonly blockCount: number;
  readonly base: readonly Block[];
}

// Block ids of one blob must all have the same length: `<12 hex>-<6 digits>`, base64.
const blockIdPattern = /^([0-9a-f]{12})-(\d{6})$/;

export function newGeneration(): string {
  return randomBytes(6).toString('hex');
}

export function blockId(generation: string, sequence: number): string {
  return Buffer.from(`${generation}-${String(sequence).padStart(6, '0')}`).toString('base64');
}

/** The generation and sequence number of a block id this driver made, else undefined. */
export function parseBlockId(id: string): { generation: string; sequence: number } | undefined {
  const match = blockIdPattern.exec(Buffer.from(id, 'base64').toString('latin1'));
  if (match === null) return undefined;
  return { generation: String(match[1]), sequence: Number(match[2]) };
}

export async function readState(store: AzureStore, path: string): Promise<WriterState | undefined> {
  try {
    const content = await store.container
      .getBlockBlobClient(store.keys.partialKey(path))
      .downloadToBuffer();
    return JSON.parse(content.toString('utf8')) as WriterState;
  } catch (error) {
    if (isBlobNotFound(error)) return undefined;
    throw error;
  }
}

export async function writeState(
  store: AzureStore,
  path: string,
  state: WriterState,
): Promise<void> {
  const content = Buffer.from(JSON.stringify(state));
  await store.container
    .getBlockBlobClient(store.keys.partialKey(path))
    .upload(content, content.length);
}

export async function deleteState(store: AzureStore, path: string): Promise<void> {
  await store.container.getBlockBlobClient(store.keys.partialKey(path)).deleteIfExists();
}

/**
 * Blocks 0…`count`-1 of `generation`, staged and not yet committed on the
 * target, or undefined when some are gone (uncommitted blocks expire after a
 * week, and any commit of the blob drops those it does not name).
 */
export async function stagedBlocks(
  store: AzureStore,
  path: string,
  generation: string,
  count: number,
): Promise<Block[] | undefined> {
  if (count === 0) return [];
  let list;
  try {
    list = await store.container
      .getBlockBlobClient(store.keys.key(path))
      .getBlockList('uncommitted');
  } catch (error) {
    if (isBlobNotFound(error)) return undefined;
    throw error;
  }
  const found = new Map<number, Block>();
  for (const block of list.uncommittedBlocks ?? []) {
    const parsed = parseBlockId(block.name);
    if (parsed?.generation === generation && parsed.sequence < count) {
      found.set(parsed.sequence, { id: block.name, size: block.size });
    }
  }
  const blocks: Block[] = [];
  for (let sequence = 0; sequence < count; sequence++) {
    const block = found.get(sequence);
    if (block === undefined) return undefined;
    blocks.push(block);
  }
  return blocks;
}
