import type { Readable } from 'node:stream';

/**
 * The storage-driver contract: what the registry engine needs from a backend.
 *
 * Modelled on CNCF distribution's `storagedriver.StorageDriver`, made async and
 * stream-based. Every path is absolute and `/`-separated with components of
 * `[A-Za-z0-9._-]` (see `paths.ts`); the base wrapper rejects anything else
 * with `InvalidPathError` before a driver sees it. Directories are implicit:
 * a directory exists while a file exists below it (a driver may keep empty
 * directories, as the filesystem driver does).
 *
 * Errors: `PathNotFoundError` when a path does not exist, `InvalidPathError`,
 * `InvalidOffsetError`, `UnsupportedMethodError`, and `StorageDriverError`
 * (with `cause`) for anything the backend itself reports. All carry the driver
 * name and the path.
 */
export interface StorageDriver {
  /** The driver's name as configured (`filesystem`, `s3`, …); stamped on every error. */
  readonly name: string;

  /**
   * The whole content of a file, for small files (links, tag indexes).
   * Throws `PathNotFoundError` when there is no file at `path` (a directory is not a file).
   */
  getContent(path: string): Promise<Buffer>;

  /**
   * Creates or replaces the file at `path` with `content`, atomically: a
   * concurrent reader sees the old content or the new, never a mix or a torn
   * file, and a shorter rewrite leaves no trace of the old tail. Parent
   * directories are created as needed.
   */
  putContent(path: string, content: Uint8Array): Promise<void>;

  /**
   * A stream of the file's bytes from `offset` (default 0), at most `length`
   * bytes when given (clamped to the end of the file). `offset === size` gives
   * an empty stream; an offset past the end, negative or not an integer throws
   * `InvalidOffsetError`. Throws `PathNotFoundError` before any byte flows when
   * there is no file. The stream honours backpressure; destroy it to stop early.
   */
  reader(path: string, offset?: number, length?: number): Promise<Readable>;

  /**
   * A writer for the file at `path`.
   *
   * With `append === false` (the default) it starts empty, discarding any
   * uncommitted data a previous writer left at `path`. With `append === true`
   * it continues where the last writer for `path` stopped: the uncommitted data
   * of a closed writer (possibly in another process), or else the committed
   * content at `path`; when there is neither it throws `PathNotFoundError`.
   *
   * What a writer writes becomes visible at `path` only on `commit()`; until
   * then readers see the previous content or `PathNotFoundError`.
   * Two writers open on the same path at once is undefined behaviour.
   */
  writer(path: string, append?: boolean): Promise<FileWriter>;

  /**
   * Size, modification time and kind of the file or directory at `path`.
   * Directories report size 0. Throws `PathNotFoundError` when nothing is
   * there. `stat('/')` may throw `PathNotFoundError` on an empty store.
   */
  stat(path: string): Promise<FileInfo>;

  /**
   * The absolute paths of the direct children (files and directories) of the
   * directory at `path`, sorted by code unit. `list('/')` of an empty store is
   * `[]`; any other path that is not a directory throws `PathNotFoundError`.
   * Uncommitted writes are not listed.
   */
  list(path: string): Promise<string[]>;

  /**
   * Moves the file at `source` to `destination`, replacing what is there and
   * creating parent directories. Afterwards `source` does not exist. When
   * `source` does not exist it throws `PathNotFoundError` and leaves
   * `destination` untouched.
   */
  move(source: string, destination: string): Promise<void>;

  /**
   * Deletes the file or directory at `path`, recursively, together with any
   * uncommitted writer data at or below it. `/a` never touches `/ab`.
   * Throws `PathNotFoundError` when nothing (committed) is there.
   */
  delete(path: string): Promise<void>;

  /**
   * A URL from which a client may fetch the file directly with `method`
   * (a presigned object-store URL), or `undefined` when the registry should
   * serve the bytes itself.
   */
  redirectURL(method: RedirectMethod, path: string): Promise<string | undefined>;

  /**
   * Visits every file and directory below `path` depth-first, directories
   * before their contents, siblings sorted by code unit. The visitor is awaited
   * before the walk goes on; it may return `'skip'` (do not descend into this
   * directory) or `'stop'` (end the walk now, without error). Throws
   * `PathNotFoundError` when `path` is not a directory (except `'/'`, which an
   * empty store walks as empty).
   */
  walk(path: string, visitor: WalkVisitor): Promise<void>;
}

/** An open writer; see {@link StorageDriver.writer}. Calls are serialized. */
export interface FileWriter {
  /** Bytes written so far, including what earlier writers for this path wrote. */
  readonly size: number;

  /** Appends `chunk`; resolves when the driver has taken it (backpressure). */
  write(chunk: Uint8Array): Promise<void>;

  /**
   * Flushes and releases the writer, keeping what was written uncommitted and
   * resumable with `writer(path, true)`. Idempotent; a no-op after commit or cancel.
   */
  close(): Promise<void>;

  /**
   * Makes everything written visible at the path, durably, and ends the
   * writer. Throws `FileWriterStateError` after close, commit or cancel.
   */
  commit(): Promise<void>;

  /**
   * Discards everything written for this path since its last commit (also by
   * earlier writers) and ends the writer; committed content stays as it was.
   * Throws `FileWriterStateError` after close, commit or cancel.
   */
  cancel(): Promise<void>;
}

/** What `stat` and `walk` report of a path. */
export interface FileInfo {
  readonly path: string;
  /** Bytes; 0 for directories. */
  readonly size: number;
  /** Last modification; implicit directories may report the Unix epoch. */
  readonly modTime: Date;
  readonly isDir: boolean;
}

export type RedirectMethod = 'GET' | 'HEAD';

/** `'skip'` skips a directory's contents; `'stop'` ends the walk. */
export type WalkDecision = 'skip' | 'stop';

/** Called for each entry; return nothing to go on. */
export type WalkVisitor = (
  info: FileInfo,
) => WalkDecision | undefined | Promise<WalkDecision | undefined>;
