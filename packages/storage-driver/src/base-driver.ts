import type { Readable } from 'node:stream';
import { debuglog } from 'node:util';
import { BaseFileWriter } from './base-file-writer.js';
import { InvalidOffsetError, StorageDriverError, isStorageError } from './errors.js';
import { assertValidPath } from './paths.js';
import type { StorageBackend } from './storage-backend.js';
import type {
  FileInfo,
  FileWriter,
  RedirectMethod,
  StorageDriver,
  WalkVisitor,
} from './storage-driver.js';
import { walkFallback } from './walk.js';

const debug = debuglog('lading:storage-driver');

/** One driver call, as reported to `onOperation` (for metrics and tracing). */
export interface StorageOperation {
  readonly driver: string;
  readonly method: string;
  readonly path: string;
  readonly durationMs: number;
  /** The error the call ended with, if it failed. */
  readonly error?: StorageDriverError;
}

export interface BaseDriverOptions {
  /** Called after every call; for a reader or writer, when it was opened. Must not throw. */
  onOperation?: (operation: StorageOperation) => void;
}

/**
 * Turns a `StorageBackend` into a `StorageDriver` (distribution's
 * `driver/base`): validates every path and offset before any I/O, stamps the
 * driver name on errors, wraps foreign errors, serializes writer calls and
 * times each call. Driver packages wrap their backend in it and export the
 * result, so their own files hold only backend code.
 */
export class BaseStorageDriver implements StorageDriver {
  readonly name: string;

  constructor(
    private readonly backend: StorageBackend,
    private readonly options: BaseDriverOptions = {},
  ) {
    this.name = backend.name;
  }

  getContent(path: string): Promise<Buffer> {
    return this.call('getContent', path, () => {
      assertValidPath(path);
      return this.backend.getContent(path);
    });
  }

  putContent(path: string, content: Uint8Array): Promise<void> {
    return this.call('putContent', path, () => {
      assertValidPath(path);
      return this.backend.putContent(path, content);
    });
  }

  reader(path: string, offset = 0, length?: number): Promise<Readable> {
    return this.call('reader', path, () => {
      assertValidPath(path);
      assertValidOffset(path, offset, length);
      return this.backend.reader(path, offset, length);
    });
  }

  writer(path: string, append = false): Promise<FileWriter> {
    return this.call('writer', path, async () => {
      assertValidPath(path);
      const inner = await this.backend.writer(path, append);
      return new BaseFileWriter(path, inner, (error) => this.normalize(error, path));
    });
  }

  stat(path: string): Promise<FileInfo> {
    return this.call('stat', path, () => {
      assertValidPath(path, true);
      return this.backend.stat(path);
    });
  }

  list(path: string): Promise<string[]> {
    return this.call('list', path, async () => {
      assertValidPath(path, true);
      const children = await this.backend.list(path);
      return children.sort();
    });
  }

  move(source: string, destination: string): Promise<void> {
    return this.call('move', source, () => {
      assertValidPath(source);
      assertValidPath(destination);
      return this.backend.move(source, destination);
    });
  }

  delete(path: string): Promise<void> {
    return this.call('delete', path, () => {
      assertValidPath(path);
      return this.backend.delete(path);
    });
  }

  redirectURL(method: RedirectMethod, path: string): Promise<string | undefined> {
    return this.call('redirectURL', path, async () => {
      assertValidPath(path);
      if (this.backend.redirectURL === undefined) return undefined;
      return this.backend.redirectURL(method, path);
    });
  }

  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.call('walk', path, () => {
      assertValidPath(path, true);
      if (this.backend.walk !== undefined) return this.backend.walk(path, visitor);
      return walkFallback(this.backend, path, visitor);
    });
  }

  private async call<T>(method: string, path: string, operation: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failure: StorageDriverError | undefined;
    try {
      return await operation();
    } catch (error) {
      failure = this.normalize(error, path);
      throw failure;
    } finally {
      this.report(method, path, performance.now() - started, failure);
    }
  }

  private normalize(error: unknown, path: string): StorageDriverError {
    if (isStorageError(error)) return error.stampDriverName(this.name);
    const detail = error instanceof Error ? error.message : String(error);
    return new StorageDriverError(detail, { driverName: this.name, path, cause: error });
  }

  private report(method: string, path: string, durationMs: number, error?: StorageDriverError) {
    debug(
      '%s %s %s %dms%s',
      this.name,
      method,
      path,
      Math.round(durationMs),
      error ? ` ${error.code}` : '',
    );
    this.options.onOperation?.({ driver: this.name, method, path, durationMs, error });
  }
}

function assertValidOffset(path: string, offset: number, length: number | undefined): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidOffsetError(path, offset, 'must be an integer ≥ 0');
  }
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
    throw new InvalidOffsetError(path, offset, `length ${String(length)} must be an integer ≥ 0`);
  }
}
