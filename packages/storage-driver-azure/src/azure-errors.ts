interface RestErrorShape {
  statusCode?: unknown;
  code?: unknown;
  details?: { errorCode?: unknown };
}

function shape(error: unknown): RestErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

function codeOf(error: unknown): unknown {
  const { code, details } = shape(error);
  return details?.errorCode ?? code;
}

/** The blob (or the container) is not there. */
export function isBlobNotFound(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === 'BlobNotFound' || (shape(error).statusCode === 404 && code !== 'ContainerNotFound')
  );
}

/** A range starting at or past the end of the blob. */
export function isInvalidRange(error: unknown): boolean {
  return codeOf(error) === 'InvalidRange' || shape(error).statusCode === 416;
}
