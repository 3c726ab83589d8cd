import { PartUploader, type FileWriter } from '@lading/storage-driver';
import { blockId, deleteState, writeState, type Block } from './azure-blocks.js';
import { blobHTTPHeaders, type AzureStore } from './azure-store.js';

/** Where a writer starts: its generation, its blocks so far, and bytes not yet staged. */
export interface AzureWriterStart {
  readonly generation: string;
  /** Committed blocks of the blob that the new content follows (append to committed). */
  readonly base: readonly Block[];
  /** Blocks this generation already staged. */
  readonly staged: readonly Block[];
  readonly tail: Buffer;
}

/**
 * Streams a file into uncommitted blocks of its block blob, one `blockSize`
 * block at a time (at most two in memory), and commits the block list on
 * `commit()`: the content appears whole, at once. `close()` stages what is
 * left as one more block (blocks have no minimum size) and records the
 * generation and block count in `<name>~partial`, so a writer in any process
 * resumes without sending a stored byte again.
 */
export class AzureWriter implements FileWriter {
  readonly #generation: string;
  readonly #base: readonly Block[];
  #lastBlockStaged = false;
  #contentCommitted = false;
  readonly #staged: Block[];
  readonly #uploader: PartUploader;
  readonly #startSize: number;

  constructor(
    private readonly store: AzureStore,
    private readonly path: string,
    start: AzureWriterStart,
  ) {
    this.#generation = start.generation;
    this.#base = start.base;
    this.#staged = [...start.staged];
    this.#startSize = [...start.base, ...start.staged].reduce((sum, block) => sum + block.size, 0);
    this.#uploader = new PartUploader(store.blockSize, (part) => this.#stage(part), start.tail);
  }

  get size(): number {
    return this.#startSize + this.#uploader.taken;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#uploader.write(chunk);
  }

  async close(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    const rest = this.#uploader.unsent();
    if (rest.length > 0) await this.#stage(rest);
    await writeState(this.store, this.path, {
      generation: this.#generation,
      blockCount: this.#staged.length,
      base: this.#base,
    });
  }

  /**
   * May be called again after it failed: the last block is not staged twice, and once the
   * blob is in place only the state is deleted again.
   */
  async commit(): Promise<void> {
    if (!this.#contentCommitted) {
      await this.#uploader.settle();
      const blob = this.store.container.getBlockBlobClient(this.store.keys.key(this.path));
      if (this.#base.length === 0 && this.#staged.length === 0 && !this.#uploader.hasWholeParts) {
        // Smaller than a block and never closed: one request, as putContent.
        const content = this.#uploader.unsent();
        await blob.upload(content, content.length, { blobHTTPHeaders });
      } else {
        await this.#uploader.flush();
        const rest = this.#uploader.unsent();
        if (rest.length > 0 && !this.#lastBlockStaged) {
          await this.#stage(rest);
          this.#lastBlockStaged = true;
        }
        const ids = [...this.#base, ...this.#staged].map((block) => block.id);
        await blob.commitBlockList(ids, { blobHTTPHeaders });
      }
      this.#contentCommitted = true;
    }
    await deleteState(this.store, this.path);
  }

  /** Drops the state; the staged blocks expire unseen (or go with the blob's next commit). */
  async cancel(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    await deleteState(this.store, this.path);
  }

  async #stage(part: Buffer): Promise<void> {
    const id = blockId(this.#generation, this.#staged.length);
    await this.store.container
      .getBlockBlobClient(this.store.keys.key(this.path))
      .stageBlock(id, part, part.length);
    this.#staged.push({ id, size: part.length });
  }
}
