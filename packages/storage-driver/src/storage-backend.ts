import type { Readable } from 'node:stream';
import type { FileInfo, FileWriter, RedirectMethod, WalkVisitor } from './storage-driver.js';

/**
 * What a driver author implements: only backend code. `BaseStorageDriver`
 * wraps it into a `StorageDriver` and guarantees, before any method here runs:
 *
 * - every path is valid (`paths.ts`); `/` reaches only `stat`, `list`, `walk`;
 * - `offset` is a safe integer ≥ 0 and `length` is `undefined` or one;
 * - a `FileWriter` is called one call at a time, never after it was closed,
 *   committed or cancelled, and `write` never gets an empty chunk;
 * - `list` results are sorted and errors carry the driver name, so backends
 *   may throw `PathNotFoundError(path)` without it; any other error is wrapped
 *   in a `StorageDriverError` with the original as `cause`.
 *
 * The semantics each method must implement are those of `StorageDriver`.
 * `reader` must still throw `InvalidOffsetError` for an offset past the end,
 * which only the backend can know.
 */
export interface StorageBackend {
  readonly name: string;
  getContent(path: string): Promise<Buffer>;
  putContent(path: string, content: Uint8Array): Promise<void>;
  reader(path: string, offset: number, length: number | undefined): Promise<Readable>;
  writer(path: string, append: boolean): Promise<FileWriter>;
  stat(path: string): Promise<FileInfo>;
  list(path: string): Promise<string[]>;
  move(source: string, destination: string): Promise<void>;
  delete(path: string): Promise<void>;
  /** Omit when the backend cannot hand out direct URLs; the base then answers `undefined`. */
  redirectURL?(method: RedirectMethod, path: string): Promise<string | undefined>;
  /** Omit to get the generic walk built on `list` and `stat`. */
  walk?(path: string, visitor: WalkVisitor): Promise<void>;
}
