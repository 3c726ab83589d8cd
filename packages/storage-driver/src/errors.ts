const storageErrorBrand = Symbol.for('@lading/storage-driver/error');

/** Stable codes of storage-driver errors; the HTTP layer maps on these, never on messages. */
export type StorageErrorCode =
  | 'STORAGE_ERROR'
  | 'PATH_NOT_FOUND'
  | 'INVALID_PATH'
  | 'INVALID_OFFSET'
  | 'UNSUPPORTED_METHOD'
  | 'FILE_WRITER_STATE'
  | 'INVALID_PARAMETER'
  | 'UNKNOWN_DRIVER';

export interface StorageErrorOptions {
  driverName?: string | undefined;
  path?: string | undefined;
  cause?: unknown;
}

/**
 * The root of every error a storage driver throws. Also used as is for
 * failures the backend reports (permission denied, network down), with the
 * backend's error as `cause`.
 */
export class StorageDriverError extends Error {
  /** Brand shared by every copy of this package, so checks survive duplicate installs. */
  readonly [storageErrorBrand] = true;
  readonly code: StorageErrorCode = 'STORAGE_ERROR';
  /** Set by the base wrapper when the driver did not set it. */
  driverName: string | undefined;
  readonly path: string | undefined;
  /** The message without the driver-name prefix. */
  readonly detail: string;

  constructor(detail: string, options: StorageErrorOptions = {}) {
    super(composeMessage(options.driverName, detail), { cause: options.cause });
    this.name = new.target.name;
    this.detail = detail;
    this.driverName = options.driverName;
    this.path = options.path;
  }

  /** Records which driver failed, once; the first name given wins. */
  stampDriverName(driverName: string): this {
    if (this.driverName === undefined) {
      this.driverName = driverName;
      this.message = composeMessage(driverName, this.detail);
    }
    return this;
  }
}

function composeMessage(driverName: string | undefined, detail: string): string {
  return driverName === undefined ? detail : `${driverName}: ${detail}`;
}

export class PathNotFoundError extends StorageDriverError {
  override readonly code = 'PATH_NOT_FOUND';
  declare readonly path: string;

  constructor(path: string, options: Omit<StorageErrorOptions, 'path'> = {}) {
    super(`path not found: ${path}`, { ...options, path });
  }
}

export class InvalidPathError extends StorageDriverError {
  override readonly code = 'INVALID_PATH';
  declare readonly path: string;
  /** What is wrong with the path, in words. */
  readonly reason: string;

  constructor(path: string, reason: string, options: Omit<StorageErrorOptions, 'path'> = {}) {
    super(`invalid path ${JSON.stringify(path)}: ${reason}`, { ...options, path });
    this.reason = reason;
  }
}

export class InvalidOffsetError extends StorageDriverError {
  override readonly code = 'INVALID_OFFSET';
  declare readonly path: string;
  readonly offset: number;

  constructor(
    path: string,
    offset: number,
    reason: string,
    options: Omit<StorageErrorOptions, 'path'> = {},
  ) {
    super(`invalid offset ${String(offset)} for ${path}: ${reason}`, { ...options, path });
    this.offset = offset;
  }
}

export class UnsupportedMethodError extends StorageDriverError {
  override readonly code = 'UNSUPPORTED_METHOD';
  readonly method: string;

  constructor(method: string, options: StorageErrorOptions = {}) {
    super(`unsupported method: ${method}`, options);
    this.method = method;
  }
}

/** A FileWriter used after it was closed, committed or cancelled. */
export class FileWriterStateError extends StorageDriverError {
  override readonly code = 'FILE_WRITER_STATE';
  declare readonly path: string;

  constructor(path: string, operation: string, state: string, options: StorageErrorOptions = {}) {
    super(`cannot ${operation} ${path}: the writer is already ${state}`, { ...options, path });
  }
}

/** A driver parameter from config that is missing, mistyped or out of range. */
export class InvalidDriverParameterError extends StorageDriverError {
  override readonly code = 'INVALID_PARAMETER';
  /** The configuration key, as written in config.yml. */
  readonly key: string;

  constructor(key: string, problem: string, options: StorageErrorOptions = {}) {
    super(`invalid parameter "${key}": ${problem}`, options);
    this.key = key;
  }
}

export class UnknownStorageDriverError extends StorageDriverError {
  override readonly code = 'UNKNOWN_DRIVER';

  constructor(name: string, known: readonly string[]) {
    const choices = known.length === 0 ? 'none are registered' : `known: ${known.join(', ')}`;
    super(`unknown storage driver "${name}" (${choices})`);
  }
}

/**
 * True for a storage-driver error (with the given code), also when it comes
 * from another copy of this package than the caller's, where `instanceof` fails.
 */
export function isStorageError(
  error: unknown,
  code?: StorageErrorCode,
): error is StorageDriverError {
  if (typeof error !== 'object' || error === null || !(storageErrorBrand in error)) return false;
  return code === undefined || (error as StorageDriverError).code === code;
}
