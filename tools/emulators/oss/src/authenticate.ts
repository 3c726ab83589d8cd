import { accessDenied, type Authority, type SignedRequest } from './auth-checks.js';
import { invalidArgument } from './errors.js';
import { header } from './http-io.js';
import { v4Algorithm } from './signature-v4.js';
import { verifyV1Header, verifyV1Url } from './verify-v1.js';
import { verifyV4Header, verifyV4Url } from './verify-v4.js';

export type { Authority, SignedRequest } from './auth-checks.js';

/**
 * Verifies the request's signature as OSS does, or throws OSS's error: V1 in the Authorization
 * header (`OSS id:signature`) or in the URL (`OSSAccessKeyId`, `Expires`, `Signature`), V4 in the
 * header (`OSS4-HMAC-SHA256 Credential=…`) or in the URL (`x-oss-signature-version=…`).
 * There are no public buckets here: an unsigned request is 403.
 */
export function authenticate(request: SignedRequest, authority: Authority, now = Date.now()): void {
  const authorization = header(request.req, 'authorization');
  const { query } = request;
  const signedUrl = query.has('OSSAccessKeyId') || query.has('x-oss-signature');
  if (authorization !== undefined && signedUrl) {
    throw invalidArgument(
      'Only one authentication method is allowed: the Authorization header or a signed URL.',
    );
  }
  if (authorization?.startsWith(`${v4Algorithm} `) === true) {
    verifyV4Header(request, authorization, authority, now);
  } else if (authorization?.startsWith('OSS ') === true) {
    verifyV1Header(request, authorization, authority, now);
  } else if (authorization !== undefined) {
    throw invalidArgument('Authorization header is invalid.', { Authorization: authorization });
  } else if (query.get('x-oss-signature-version') === v4Algorithm) {
    verifyV4Url(request, authority, now);
  } else if (query.has('OSSAccessKeyId')) {
    verifyV1Url(request, authority, now);
  } else {
    throw accessDenied('You have no right to access this object because of bucket acl.');
  }
}
