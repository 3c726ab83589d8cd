import type { FileWriter } from '@lading/storage-driver';
import type { FileHandle } from './file-system.js';
import type { FilesystemBackend } from './filesystem-backend.js';

/**
 * Writes to the staging file beside the target; commit fsyncs it and renames
 * it over the target, so a crash leaves the old content or the new, whole.
 */
export class FilesystemWriter implements FileWriter {
  #size: number;
  #handle: FileHandle | undefined;
  /** Set when fsync failed: a retried fsync may report success for lost data (Linux). */
  #flushFailed = false;

  constructor(
    private readonly backend: FilesystemBackend,
    private readonly target: string,
    private readonly staging: string,
    handle: FileHandle,
    size: number,
  ) {
    this.#handle = handle;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.backend.writeAt(this.openHandle(), chunk, this.#size);
    this.#size += chunk.byteLength;
  }

  async close(): Promise<void> {
    await this.release(false);
  }

  async commit(): Promise<void> {
    if (this.#flushFailed) {
      throw new Error(
        `cannot commit ${this.target}: flushing it to disk failed; cancel and write again`,
      );
    }
    await this.release(true);
    await this.backend.renameDurably(this.staging, this.target);
  }

  async cancel(): Promise<void> {
    await this.release(false);
    await this.backend.removeFile(this.staging);
  }

  private openHandle(): FileHandle {
    if (this.#handle === undefined) throw new Error(`the staging file of ${this.target} is closed`);
    return this.#handle;
  }

  /** Closes the handle once (a retried commit must not fsync a closed file). */
  private async release(sync: boolean): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    try {
      if (sync) await this.backend.io(() => handle.sync());
    } catch (error) {
      this.#flushFailed = true;
      throw error;
    } finally {
      this.#handle = undefined;
      await handle.close();
    }
  }
}
