/** What ali-oss puts on its errors: the HTTP status (-1/-2 for network failures) and OSS's code. */
interface OssError {
  readonly status?: number;
  readonly code?: string;
  readonly name?: string;
}

function fields(error: unknown): OssError {
  return typeof error === 'object' && error !== null ? error : {};
}

export function isNoSuchKey(error: unknown): boolean {
  const { status, code, name } = fields(error);
  // A HEAD has no body to carry the code: ali-oss then names the error by status.
  return (
    code === 'NoSuchKey' ||
    name === 'NoSuchKeyError' ||
    (status === 404 && code !== 'NoSuchUpload' && code !== 'NoSuchBucket')
  );
}

export function isNoSuchUpload(error: unknown): boolean {
  return fields(error).code === 'NoSuchUpload';
}

export function isInvalidRange(error: unknown): boolean {
  const { status, code } = fields(error);
  return status === 416 || code === 'InvalidRange';
}

/** Worth another attempt: no answer, a busy or broken store, or throttling. */
export function isTransient(error: unknown): boolean {
  const { status } = fields(error);
  return (
    status === -1 || status === -2 || status === 429 || (status !== undefined && status >= 500)
  );
}
