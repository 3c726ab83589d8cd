/**
 * A failed OSS call, answered as OSS answers it: the HTTP status, an `x-oss-request-id` header
 * and `<Error><Code/><Message/><RequestId/><HostId/>…</Error>`. ali-oss reads `Code` and
 * `Message` into `err.code` and `err.message` (and `err.name = Code + 'Error'`), so both must be
 * OSS's own words.
 */
export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Further elements after HostId, e.g. `StringToSign` for a bad signature. */
    readonly details: Readonly<Record<string, string>> = {},
    /** Extra response headers, e.g. the `Content-Range` of a 416. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'OssError';
  }
}

export const invalidArgument = (message: string, details: Record<string, string> = {}) =>
  new OssError(400, 'InvalidArgument', message, details);

export const noSuchBucket = (bucket: string) =>
  new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', {
    BucketName: bucket,
  });

export const noSuchKey = (key: string) =>
  new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string) =>
  new OssError(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const malformedXml = () =>
  new OssError(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );

export const invalidDigest = () =>
  new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');

export const entityTooLarge = (details: Record<string, string> = {}) =>
  new OssError(
    400,
    'EntityTooLarge',
    'Your proposed upload exceeds the maximum allowed size.',
    details,
  );

export const preconditionFailed = (condition: string) =>
  new OssError(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold.',
    {
      Condition: condition,
    },
  );

/** 304 for a failed If-None-Match or If-Modified-Since: no body, as HTTP wants. */
export const notModified = () => new OssError(304, 'NotModified', 'Not Modified');

/** What a driver gets for a call this emulator leaves out: loud, and naming the call. */
export const notImplemented = (what: string) =>
  new OssError(501, 'NotImplemented', `The OSS emulator does not implement ${what}.`);
