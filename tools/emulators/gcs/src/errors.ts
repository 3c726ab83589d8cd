/**
 * A failure of a JSON API call, answered in Google's error shape:
 * `{"error":{"code":404,"message":"…","errors":[{"message":"…","domain":"global","reason":"notFound"}]}}`.
 * The SDK turns that into an ApiError with `code` and `message`, so both must be right.
 */
export class GcsError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** Extra response headers, e.g. the Content-Range of a 416. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GcsError';
  }

  body(): { error: { code: number; message: string; errors: object[] } } {
    const { status: code, message, reason } = this;
    return { error: { code, message, errors: [{ message, domain: 'global', reason }] } };
  }
}

/**
 * A failure on the XML API (signed URLs), answered as GCS's XML API does:
 * `<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message>…</Error>`.
 */
export class XmlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Further elements after Code and Message, e.g. StringToSign for a bad signature. */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'XmlApiError';
  }

  body(): string {
    const elements = { Code: this.code, Message: this.message, ...this.details };
    const inner = Object.entries(elements)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('');
    return `<?xml version='1.0' encoding='UTF-8'?><Error>${inner}</Error>`;
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${String(char.charCodeAt(0))};`);
}

export const badRequest = (message: string, reason = 'invalid') =>
  new GcsError(400, reason, message);

export const noSuchBucket = () =>
  new GcsError(404, 'notFound', 'The specified bucket does not exist.');

export const noSuchObject = (bucket: string, name: string) =>
  new GcsError(404, 'notFound', `No such object: ${bucket}/${name}`);

export const preconditionFailed = () =>
  new GcsError(
    412,
    'conditionNotMet',
    'At least one of the pre-conditions you specified did not hold.',
  );

/** What a driver gets for a call this emulator leaves out: loud, and naming the call. */
export const notImplemented = (what: string) =>
  new GcsError(501, 'notImplemented', `The GCS emulator does not implement ${what}`);
