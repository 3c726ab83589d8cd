import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const v4Algorithm = 'OSS4-HMAC-SHA256';

/** What V4 signs of a request. */
export interface V4Signable {
  readonly method: string;
  readonly bucket: string | undefined;
  readonly key: string;
  /** The query as sent, less `x-oss-signature`. */
  readonly query: URLSearchParams;
  /** Lower-case names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** AdditionalHeaders: lower-case, sorted names of further headers signed. */
  readonly additionalHeaders: readonly string[];
}

/**
 * V4's canonical request:
 *
 * ```
 * VERB \n
 * /bucket/key (RFC 3986-encoded, '/' kept) \n
 * query, every parameter, encoded and sorted, `name=value` or a bare `name` \n
 * content-md5, content-type, x-oss-* and the additional headers, sorted, `name:value\n` each \n
 * additional header names joined by ';' \n
 * x-oss-content-sha256 (UNSIGNED-PAYLOAD)
 * ```
 */
export function v4CanonicalRequest(request: V4Signable): string {
  const path = `/${request.bucket === undefined ? '' : `${request.bucket}/`}${request.key}`;
  const query = [...request.query.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? encode(name) : `${encode(name)}=${encode(value)}`))
    .join('&');
  const signedNames = Object.keys(request.headers).filter(
    (name) => name === 'content-md5' || name === 'content-type' || name.startsWith('x-oss-'),
  );
  const canonicalHeaders = [...new Set([...signedNames, ...request.additionalHeaders])]
    .sort()
    .map((name) => `${name}:${headerValue(request.headers[name]).trim()}\n`)
    .join('');
  return [
    request.method.toUpperCase(),
    encode(path).replaceAll('%2F', '/'),
    query,
    canonicalHeaders,
    request.additionalHeaders.join(';'),
    headerValue(request.headers['x-oss-content-sha256']) || 'UNSIGNED-PAYLOAD',
  ].join('\n');
}

/** `day/region/oss/aliyun_v4_request`. */
export function v4Scope(day: string, region: string): string {
  return `${day}/${region}/oss/aliyun_v4_request`;
}

export function v4StringToSign(timestamp: string, scope: string, canonicalRequest: string): string {
  const digest = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return [v4Algorithm, timestamp, scope, digest].join('\n');
}

/** The hex HMAC-SHA256 of the string to sign under the key derived for this day and region. */
export function v4Signature(
  secret: string,
  day: string,
  region: string,
  stringToSign: string,
): string {
  let key: Buffer = createHmac('sha256', `aliyun_v4${secret}`).update(day).digest();
  for (const part of [region, 'oss', 'aliyun_v4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** encodeURIComponent, and also `!'()*`: RFC 3986's unreserved set only. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
