import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What V1 signs of a request. */
export interface V1Signable {
  readonly method: string;
  /** Lower-case names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The Date line: the request time for a header signature, `Expires` for a signed URL. */
  readonly date: string;
  /** CanonicalizedResource (sub-resources.ts). */
  readonly resource: string;
}

/**
 * V1's string to sign:
 *
 * ```
 * VERB \n Content-MD5 \n Content-Type \n Date \n
 * x-oss-a:value \n x-oss-b:value \n …       (every x-oss-* header, sorted, values trimmed)
 * CanonicalizedResource
 * ```
 */
export function v1StringToSign(request: V1Signable): string {
  // Sorted by name alone: `x-oss-meta-a` before `x-oss-meta-a-b`, which sorting the joined
  // lines would reverse (':' sorts after '-').
  const ossHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${headerValue(request.headers[name]).trim()}`);
  return [
    request.method.toUpperCase(),
    headerValue(request.headers['content-md5']),
    headerValue(request.headers['content-type']),
    request.date,
    ...ossHeaders,
    request.resource,
  ].join('\n');
}

/** base64(HMAC-SHA1(secret, stringToSign as UTF-8)). */
export function v1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
