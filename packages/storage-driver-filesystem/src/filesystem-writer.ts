import type { FileWriter } from '@lading/storage-driver';
import type { FileHandle } from './file-system.js';
import type { FilesystemBackend } from './filesystem-backend.js';

/**
 * How much written data may wait for the disk before a background flush of
 * it starts. Without one, a big upload's commit waits for all of it at once
 * (the page cache holds gigabytes), about a quarter of a 256 MiB upload's time.
 */
export const backgroundFlushBytes = 16 * 1024 * 1024;

/**
 * Writes to the staging file beside the target; commit fsyncs it and renames
 * it over the target, so a crash leaves the old content or the new, whole.
 * While data arrives, it is flushed in the background every
 * `backgroundFlushBytes`, so the disk works while the client sends.
 */
export class FilesystemWriter implements FileWriter {
  #size: number;
  #handle: FileHandle | undefined;
  /** Set when fsync failed: a retried fsync may report success for lost data (Linux). */
  #flushFailed = false;
  #unflushedBytes = 0;
  #backgroundFlush: Promise<void> | undefined;

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
    const handle = this.openHandle();
    await this.backend.writeAt(handle, chunk, this.#size);
    this.#size += chunk.byteLength;
    this.#unflushedBytes += chunk.byteLength;
    if (this.#unflushedBytes >= backgroundFlushBytes && this.#backgroundFlush === undefined) {
      this.#unflushedBytes = 0;
      this.#backgroundFlush = this.flushInBackground(handle);
    }
  }

  async close(): Promise<void> {
    await this.release(false);
  }

  async commit(): Promise<void> {
    await this.#backgroundFlush;
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

  /** Never rejects: a failure is remembered, and commit refuses (as for a failed fsync). */
  private async flushInBackground(handle: FileHandle): Promise<void> {
    try {
      await this.backend.io(() => handle.datasync());
    } catch {
      this.#flushFailed = true;
    } finally {
      this.#backgroundFlush = undefined;
    }
  }

  /** Closes the handle once (a retried commit must not fsync a closed file). */
  private async release(sync: boolean): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    const flushing = this.#backgroundFlush;
    if (!sync && flushing !== undefined) {
      // Closing promises no durability, so it does not wait for the disk (a chunked upload
      // would wait at every chunk): the handle closes once the flush is done.
      this.#handle = undefined;
      void flushing.finally(() => handle.close().catch(() => undefined));
      return;
    }
    try {
      await this.#backgroundFlush;
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
