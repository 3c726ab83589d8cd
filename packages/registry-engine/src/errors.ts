const engineErrorBrand = Symbol.for('@lading/registry-engine/error');

/**
 * Registry error codes the engine can cause. The HTTP layer maps each to a
 * status; `UNKNOWN` means storage holds something the engine cannot read.
 */
export type EngineErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'RANGE_INVALID'
  | 'DIGEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'NAME_UNKNOWN'
  | 'UNSUPPORTED'
  | 'PAGINATION_NUMBER_INVALID'
  | 'UNKNOWN';

/** The root of the engine's domain errors. None carries a storage path. */
export class EngineError extends Error {
  readonly [engineErrorBrand] = true;
  readonly code: EngineErrorCode = 'UNKNOWN';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BlobUnknownError extends EngineError {
  override readonly code = 'BLOB_UNKNOWN';
  constructor(
    readonly repository: string,
    readonly digest: string,
  ) {
    super(`blob ${digest} is unknown to repository ${repository}`);
  }
}

export class BlobUploadUnknownError extends EngineError {
  override readonly code = 'BLOB_UPLOAD_UNKNOWN';
  constructor(
    readonly repository: string,
    readonly uploadId: string,
  ) {
    super(`upload ${uploadId} is unknown to repository ${repository}`);
  }
}

/** The upload's next byte is at `currentOffset`, not where the chunk claimed to start. */
export class UploadOffsetMismatchError extends EngineError {
  override readonly code = 'RANGE_INVALID';
  constructor(
    readonly uploadId: string,
    readonly offset: number,
    readonly currentOffset: number,
  ) {
    super(
      `chunk for upload ${uploadId} starts at ${String(offset)}, but the upload holds ${String(currentOffset)} bytes`,
    );
  }
}

/** Content whose digest is not the one the client said. */
export class DigestMismatchError extends EngineError {
  override readonly code = 'DIGEST_INVALID';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`provided digest ${expected} does not match the content, whose digest is ${actual}`);
  }
}

/** A read range that starts past the end of the blob. */
export class BlobRangeNotSatisfiableError extends EngineError {
  override readonly code = 'RANGE_INVALID';
  constructor(
    readonly digest: string,
    readonly offset: number,
    readonly size: number,
  ) {
    super(`blob ${digest} has ${String(size)} bytes; cannot read from ${String(offset)}`);
  }
}

export class ManifestUnknownError extends EngineError {
  override readonly code = 'MANIFEST_UNKNOWN';
  constructor(
    readonly repository: string,
    readonly reference: string,
  ) {
    super(`manifest ${reference} is unknown to repository ${repository}`);
  }
}

export class ManifestTooLargeError extends EngineError {
  override readonly code = 'MANIFEST_INVALID';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`manifest of ${String(size)} bytes exceeds the limit of ${String(limit)} bytes`);
  }
}

/** The blobs or manifests a pushed manifest refers to but the repository lacks. */
export class ManifestBlobUnknownError extends EngineError {
  override readonly code = 'MANIFEST_BLOB_UNKNOWN';
  constructor(
    readonly repository: string,
    readonly digests: readonly string[],
  ) {
    super(`manifest refers to ${digests.join(', ')}, unknown to repository ${repository}`);
  }
}

/** A manifest the engine is configured to refuse (schema 1, a forbidden foreign URL). */
export class ManifestRefusedError extends EngineError {
  override readonly code = 'MANIFEST_INVALID';
}

export class NameUnknownError extends EngineError {
  override readonly code = 'NAME_UNKNOWN';
  constructor(readonly repository: string) {
    super(`repository ${repository} is not known to the registry`);
  }
}

/** Deletes are off (distribution's `storage.delete.enabled: false`, the default). */
export class DeletesDisabledError extends EngineError {
  override readonly code = 'UNSUPPORTED';
  constructor(readonly operation: string) {
    super(`cannot ${operation}: deletes are disabled on this registry`);
  }
}

export class PaginationNumberInvalidError extends EngineError {
  override readonly code = 'PAGINATION_NUMBER_INVALID';
  constructor(readonly value: number) {
    super(`page size must be a whole number ≥ 0, not ${String(value)}`);
  }
}

/** Storage holds something the engine cannot interpret (a link that is no digest). */
export class CorruptStorageError extends EngineError {
  override readonly code = 'UNKNOWN';
}

/** True for an engine error (with the given code), across package copies. */
export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  if (typeof error !== 'object' || error === null || !(engineErrorBrand in error)) return false;
  return code === undefined || (error as EngineError).code === code;
}
