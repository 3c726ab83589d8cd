import { Readable } from 'node:stream';
import { recycleChunk, type RecyclingReadable } from '@lading/storage-driver';
import type { FileHandle } from './file-system.js';

/** Chunks handed back and kept for the next reads; more in flight are left to the GC. */
const keptBuffers = 4;

/**
 * Streams `[start, end)` of an open file in reads of `chunkBytes`, into
 * buffers its consumer hands back (`recycleChunk`) once written, so a long
 * download reuses a few buffers instead of allocating one per read. Without
 * hand-backs it allocates, like Node's file streams. Like them, it ends early
 * if the file is cut short meanwhile. Closes the file when it ends or is
 * destroyed, then calls `onClose`.
 */
export class FileRangeReader extends Readable implements RecyclingReadable {
  #position: number;
  readonly #free: Buffer[] = [];
  /** The memory of every buffer this reader made, to recognise its own chunks (weakly: a
   * chunk never handed back must stay collectable). */
  readonly #owned = new WeakSet<ArrayBufferLike>();

  constructor(
    private readonly handle: FileHandle,
    start: number,
    private readonly end: number,
    private readonly chunkBytes: number,
    private readonly onClose: () => void,
  ) {
    // One chunk waits in the stream at most; the consumer's own buffering does the rest.
    super({ highWaterMark: chunkBytes });
    this.#position = start;
  }

  override _read(): void {
    const buffer = this.#free.pop() ?? this.allocate();
    const length = Math.min(this.chunkBytes, this.end - this.#position);
    this.handle.read(buffer, 0, length, this.#position).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        this.#position += bytesRead;
        this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
        if (this.#position >= this.end) this.push(null);
      },
      (error: unknown) => this.destroy(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#free.length = 0;
    this.handle.close().then(
      () => {
        callback(error);
      },
      (closeError: unknown) => {
        callback(error ?? (closeError as Error));
      },
    );
    this.onClose();
  }

  [recycleChunk](chunk: Uint8Array): void {
    const memory = chunk.buffer;
    if (this.destroyed || !this.#owned.has(memory) || this.#free.length >= keptBuffers) return;
    if (this.#free.some((kept) => kept.buffer === memory)) return;
    this.#free.push(Buffer.from(memory, 0, this.chunkBytes));
  }

  private allocate(): Buffer {
    // Unpooled: each buffer has its own memory, which identifies it when it comes back.
    const buffer = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.#owned.add(buffer.buffer);
    return buffer;
  }
}
