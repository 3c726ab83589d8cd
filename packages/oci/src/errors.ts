const ociErrorBrand = Symbol.for('@lading/oci/error');

/**
 * Codes of the registry's error vocabulary that content itself can cause.
 * They match the registry error codes; the HTTP layer maps them to statuses.
 */
export type OciErrorCode =
  'DIGEST_INVALID' | 'NAME_INVALID' | 'TAG_INVALID' | 'MANIFEST_INVALID' | 'MANIFEST_UNVERIFIED';

/** The root of the errors this package throws: bad input, described. */
export class OciError extends Error {
  readonly [ociErrorBrand] = true;
  readonly code: OciErrorCode = 'MANIFEST_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class DigestInvalidError extends OciError {
  override readonly code = 'DIGEST_INVALID';

  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid digest ${JSON.stringify(value)}: ${reason}`);
  }
}

export class NameInvalidError extends OciError {
  override readonly code = 'NAME_INVALID';

  constructor(
    readonly repositoryName: string,
    readonly reason: string,
  ) {
    super(`invalid repository name ${JSON.stringify(repositoryName)}: ${reason}`);
  }
}

export class TagInvalidError extends OciError {
  override readonly code = 'TAG_INVALID';

  constructor(
    readonly tag: string,
    readonly reason: string,
  ) {
    super(`invalid tag ${JSON.stringify(tag)}: ${reason}`);
  }
}

/** A manifest that is not valid JSON, not of a known type, or breaks its schema. */
export class ManifestInvalidError extends OciError {
  override readonly code = 'MANIFEST_INVALID';

  constructor(
    readonly reason: string,
    /** The offending field, as a path: `layers[2].digest`. */
    readonly field?: string,
  ) {
    super(`invalid manifest: ${field === undefined ? '' : `${field}: `}${reason}`);
  }
}

/** A Docker schema 1 manifest whose signatures are missing or do not verify. */
export class ManifestUnverifiedError extends OciError {
  override readonly code = 'MANIFEST_UNVERIFIED';

  constructor(readonly reason: string) {
    super(`manifest failed signature verification: ${reason}`);
  }
}

/** True for an error of this package (with the given code), across package copies. */
export function isOciError(error: unknown, code?: OciErrorCode): error is OciError {
  if (typeof error !== 'object' || error === null || !(ociErrorBrand in error)) return false;
  return code === undefined || (error as OciError).code === code;
}
