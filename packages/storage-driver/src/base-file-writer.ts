import { FileWriterStateError } from './errors.js';
import type { FileWriter } from './storage-driver.js';

type WriterState = 'open' | 'closed' | 'committed' | 'cancelled';
type ErrorNormalizer = (error: unknown) => Error;

/**
 * Guards a backend's FileWriter: one call at a time, no use after the writer
 * ended, empty chunks never reach the backend. A failed commit or cancel
 * leaves the writer open, so the caller can retry, close or cancel it.
 */
export class BaseFileWriter implements FileWriter {
  #state: WriterState = 'open';
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly inner: FileWriter,
    private readonly normalize: ErrorNormalizer,
  ) {}

  get size(): number {
    return this.inner.size;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.serialize(async () => {
      this.requireOpen('write');
      if (chunk.byteLength > 0) await this.inner.write(chunk);
    });
  }

  close(): Promise<void> {
    return this.serialize(async () => {
      if (this.#state !== 'open') return;
      await this.inner.close();
      this.#state = 'closed';
    });
  }

  commit(): Promise<void> {
    return this.serialize(async () => {
      this.requireOpen('commit');
      await this.inner.commit();
      this.#state = 'committed';
    });
  }

  cancel(): Promise<void> {
    return this.serialize(async () => {
      this.requireOpen('cancel');
      await this.inner.cancel();
      this.#state = 'cancelled';
    });
  }

  private requireOpen(operation: string): void {
    if (this.#state !== 'open') throw new FileWriterStateError(this.path, operation, this.#state);
  }

  private serialize(operation: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(operation, operation).catch((error: unknown) => {
      throw this.normalize(error);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
