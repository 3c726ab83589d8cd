import {
  accessDenied,
  checkRequestTime,
  checkSignature,
  requestExpired,
  secretOf,
  type Authority,
  type SignedRequest,
} from './auth-checks.js';
import { invalidArgument } from './errors.js';
import { header } from './http-io.js';
import { v1Signature, v1StringToSign } from './signature-v1.js';
import { canonicalizedResource } from './sub-resources.js';

/** V1 in the Authorization header: `OSS <AccessKeyId>:<base64 HMAC-SHA1>`. */
export function verifyV1Header(
  request: SignedRequest,
  authorization: string,
  authority: Authority,
  now: number,
): void {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization);
  if (match === null) {
    throw invalidArgument('Authorization header is invalid.', { Authorization: authorization });
  }
  const [, accessKeyId = '', provided = ''] = match;
  const secret = secretOf(authority, accessKeyId);
  // ali-oss sends only x-oss-date (a browser cannot set Date) and signs it on the Date line.
  const date = header(request.req, 'x-oss-date') ?? header(request.req, 'date') ?? '';
  checkRequestTime(date, now);
  const stringToSign = v1StringToSign({
    method: request.req.method ?? 'GET',
    headers: request.req.headers,
    date,
    resource: canonicalizedResource(request.address, request.query),
  });
  checkSignature(accessKeyId, provided, v1Signature(secret, stringToSign), stringToSign);
}

/** A V1 signed URL: `OSSAccessKeyId`, `Expires` (Unix seconds), `Signature`. */
export function verifyV1Url(request: SignedRequest, authority: Authority, now: number): void {
  const { query } = request;
  const accessKeyId = query.get('OSSAccessKeyId') ?? '';
  const expires = query.get('Expires') ?? '';
  const provided = query.get('Signature') ?? '';
  if (!/^\d+$/.test(expires)) {
    throw accessDenied('Invalid argument: Expires must be a Unix time in seconds.');
  }
  const secret = secretOf(authority, accessKeyId);
  if (now > Number(expires) * 1000) throw requestExpired(Number(expires) * 1000, now);
  const stringToSign = v1StringToSign({
    method: request.req.method ?? 'GET',
    headers: request.req.headers,
    date: expires,
    resource: canonicalizedResource(request.address, query),
  });
  checkSignature(accessKeyId, provided, v1Signature(secret, stringToSign), stringToSign);
}
