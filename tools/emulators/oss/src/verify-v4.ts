import type { IncomingMessage } from 'node:http';
import {
  checkRequestTime,
  checkSignature,
  requestExpired,
  secretOf,
  type Authority,
  type SignedRequest,
} from './auth-checks.js';
import { parseRequestTime } from './dates.js';
import { invalidArgument } from './errors.js';
import { header } from './http-io.js';
import {
  v4Algorithm,
  v4CanonicalRequest,
  v4Scope,
  v4Signature,
  v4StringToSign,
} from './signature-v4.js';

// The longest a V4 signed URL may live: 7 days.
const maxV4ExpiresSeconds = 7 * 24 * 3600;

/**
 * V4 in the Authorization header:
 * `OSS4-HMAC-SHA256 Credential=<id>/<day>/<region>/oss/aliyun_v4_request,AdditionalHeaders=…,Signature=<hex>`,
 * with `x-oss-date` and `x-oss-content-sha256: UNSIGNED-PAYLOAD`.
 */
export function verifyV4Header(
  request: SignedRequest,
  authorization: string,
  authority: Authority,
  now: number,
): void {
  const fields = new Map(
    authorization
      .slice(v4Algorithm.length + 1)
      .split(',')
      .map((field) => field.trim().split('=', 2) as [string, string | undefined]),
  );
  const timestamp = header(request.req, 'x-oss-date') ?? '';
  checkRequestTime(timestamp, now);
  const payload = header(request.req, 'x-oss-content-sha256');
  if (payload !== 'UNSIGNED-PAYLOAD') {
    throw invalidArgument('x-oss-content-sha256 must be UNSIGNED-PAYLOAD.');
  }
  verifyV4(request, authority, {
    credential: fields.get('Credential') ?? '',
    additionalHeaders: fields.get('AdditionalHeaders'),
    provided: fields.get('Signature') ?? '',
    timestamp,
    query: request.query,
  });
}

/** A V4 signed URL: `x-oss-signature-version`, `-credential`, `-date`, `-expires`, `-signature`. */
export function verifyV4Url(request: SignedRequest, authority: Authority, now: number): void {
  const query = new URLSearchParams(request.query);
  const timestamp = query.get('x-oss-date') ?? '';
  const expires = query.get('x-oss-expires') ?? '';
  const start = parseRequestTime(timestamp);
  if (start === undefined || !/^\d+$/.test(expires) || Number(expires) > maxV4ExpiresSeconds) {
    throw invalidArgument(
      'x-oss-date and x-oss-expires must be valid, x-oss-expires at most 604800.',
    );
  }
  if (now > start + Number(expires) * 1000) {
    throw requestExpired(start + Number(expires) * 1000, now);
  }
  const provided = query.get('x-oss-signature') ?? '';
  query.delete('x-oss-signature');
  verifyV4(request, authority, {
    credential: query.get('x-oss-credential') ?? '',
    additionalHeaders: query.get('x-oss-additional-headers') ?? undefined,
    provided,
    timestamp,
    query,
  });
}

/** What a V4 check needs, wherever the request carried it. */
interface V4Claims {
  credential: string;
  additionalHeaders: string | undefined;
  provided: string;
  timestamp: string;
  /** The query to canonicalize: a signed URL's, less its signature. */
  query: URLSearchParams;
}

function verifyV4(request: SignedRequest, authority: Authority, claims: V4Claims): void {
  // AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request
  const [accessKeyId = '', day = '', region = '', ...rest] = claims.credential.split('/');
  if (rest.join('/') !== 'oss/aliyun_v4_request' || day !== claims.timestamp.slice(0, 8)) {
    throw invalidArgument('Invalid credential in the V4 signature.', {
      Credential: claims.credential,
    });
  }
  const secret = secretOf(authority, accessKeyId);
  if (region !== authority.region) {
    throw invalidArgument(
      `Invalid signing region: ${region}; this endpoint is ${authority.region}.`,
    );
  }
  const additionalHeaders = parseAdditionalHeaders(claims.additionalHeaders, request.req);
  const canonicalRequest = v4CanonicalRequest({
    method: request.req.method ?? 'GET',
    bucket: request.address.bucket,
    key: request.address.key,
    query: claims.query,
    headers: request.req.headers,
    additionalHeaders,
  });
  const stringToSign = v4StringToSign(claims.timestamp, v4Scope(day, region), canonicalRequest);
  const expected = v4Signature(secret, day, region, stringToSign);
  checkSignature(accessKeyId, claims.provided, expected, stringToSign, {
    CanonicalRequest: canonicalRequest,
  });
}

/** `host;range`: lower-case, sorted, no empty names, each one sent. */
function parseAdditionalHeaders(value: string | undefined, req: IncomingMessage): string[] {
  if (value === undefined) return [];
  const names = value.split(';');
  const valid = names.every(
    (name, index) =>
      name !== '' &&
      name === name.toLowerCase() &&
      (index === 0 || (names[index - 1] ?? '') < name) &&
      req.headers[name] !== undefined,
  );
  if (!valid) {
    throw invalidArgument('Invalid AdditionalHeaders in the V4 signature.', {
      AdditionalHeaders: value,
    });
  }
  return names;
}
