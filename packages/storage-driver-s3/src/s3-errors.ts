interface ServiceErrorShape {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function shape(error: unknown): ServiceErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

function codeOf(error: unknown): unknown {
  const { name, Code } = shape(error);
  return Code ?? name;
}

/** A key, or the object a HEAD asked for, is not there. */
export function isNoSuchKey(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === 'NoSuchKey' ||
    code === 'NotFound' ||
    (shape(error).$metadata?.httpStatusCode === 404 &&
      code !== 'NoSuchBucket' &&
      code !== 'NoSuchUpload')
  );
}

/** The multipart upload was completed or aborted (or expired by a lifecycle rule). */
export function isNoSuchUpload(error: unknown): boolean {
  return codeOf(error) === 'NoSuchUpload';
}

/** A Range starting at or past the end of the object. */
export function isInvalidRange(error: unknown): boolean {
  return codeOf(error) === 'InvalidRange' || shape(error).$metadata?.httpStatusCode === 416;
}
