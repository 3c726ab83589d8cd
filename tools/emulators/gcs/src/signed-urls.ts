import { createHash, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requireParam, type RequestContext } from './context.js';
import { XmlApiError } from './errors.js';
import { sendMedia } from './media-download.js';

const algorithm = 'GOOG4-RSA-SHA256';
// GCS's longest V4 expiry: seven days.
const maxExpiresSeconds = 7 * 24 * 60 * 60;

/**
 * `GET|HEAD /:bucket/:object…` on the XML API, path style: serves the object to a V4 signed
 * URL whose signature checks out against the named service account's public key.
 */
export async function serveSignedUrl(context: RequestContext): Promise<void> {
  const { req, res, emulator } = context;
  verifySignedUrl(req, emulator.serviceAccounts, new Date());
  const bucket = requireParam(context, 'bucket');
  const name = requireParam(context, 'object');
  // As on GCS: a signed URL may set the response's type and disposition (signed with it).
  const overrides: Record<string, string> = {};
  const type = context.url.searchParams.get('response-content-type');
  const disposition = context.url.searchParams.get('response-content-disposition');
  if (type !== null) overrides['Content-Type'] = type;
  if (disposition !== null) overrides['Content-Disposition'] = disposition;
  const lookup = () => {
    if (emulator.store.bucket(bucket) === undefined) {
      throw new XmlApiError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    }
    const record = emulator.store.get(bucket, name);
    if (record === undefined) {
      throw new XmlApiError(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    return record;
  };
  await sendMedia(req, res, emulator.store, lookup, overrides);
}

/** The query parameters of a V4 signed URL, as found in the request. */
interface SignedQuery {
  email: string;
  scope: string;
  date: string;
  expires: number;
  signedHeaders: string[];
  signature: string;
}

/**
 * Rebuilds the V4 canonical request (method, path as sent, query without the signature in
 * canonical form, the signed headers, `UNSIGNED-PAYLOAD`) and the string to sign, and checks
 * the RSA-SHA256 signature; throws the XML API's error otherwise.
 *
 * The host: SDK 7.22's signer.js signs `host` as the endpoint's hostname alone, without the
 * port (`new URL(apiEndpoint).hostname`), while the request carries `Host: 127.0.0.1:PORT`.
 * Against storage.googleapis.com the two are the same; here both are tried, so URLs from the
 * SDK and from signers that include the port both verify. A HEAD may carry a URL signed for
 * GET, as GCS allows (Google's client libraries document it). Nothing else is relaxed.
 */
export function verifySignedUrl(
  req: IncomingMessage,
  accounts: ReadonlyMap<string, KeyObject>,
  now: Date,
): void {
  const { path, pairs } = splitUrl(req.url ?? '/');
  const query = readSignedQuery(pairs);
  checkValidity(query, now);
  const key = accounts.get(query.email);
  if (key === undefined) {
    throw new XmlApiError(
      403,
      'AccessDenied',
      `No service account ${query.email} is known to this emulator.`,
    );
  }
  const canonicalQuery = canonicalQueryString(pairs);
  const attempts = methodCandidates(req.method).flatMap((method) =>
    hostCandidates(req.headers.host).map((host) => {
      const canonicalRequest = [
        method,
        path,
        canonicalQuery,
        canonicalHeaders(req, query.signedHeaders, host),
        query.signedHeaders.join(';'),
        payloadHash(req, query.signedHeaders),
      ].join('\n');
      const digest = createHash('sha256').update(canonicalRequest).digest('hex');
      const stringToSign = [algorithm, query.date, query.scope, digest].join('\n');
      return { canonicalRequest, stringToSign };
    }),
  );
  const signature = /^[0-9a-f]+$/i.test(query.signature)
    ? Buffer.from(query.signature, 'hex')
    : Buffer.alloc(0);
  if (
    attempts.some(({ stringToSign }) => verify('sha256', Buffer.from(stringToSign), key, signature))
  )
    return;
  const [first] = attempts;
  throw new XmlApiError(
    403,
    'SignatureDoesNotMatch',
    'The request signature does not match the one computed from the request and the key.',
    { StringToSign: first?.stringToSign ?? '', CanonicalRequest: first?.canonicalRequest ?? '' },
  );
}

/** GCS lets a URL signed for GET answer HEAD too. */
function methodCandidates(method = 'GET'): string[] {
  return method === 'HEAD' ? ['HEAD', 'GET'] : [method];
}

function readSignedQuery(pairs: readonly [string, string][]): SignedQuery {
  const get = (name: string) => pairs.find(([key]) => key === name)?.[1];
  const algorithmValue = get('X-Goog-Algorithm');
  const credential = get('X-Goog-Credential');
  const date = get('X-Goog-Date');
  const expires = get('X-Goog-Expires');
  const signedHeaders = get('X-Goog-SignedHeaders');
  const signature = get('X-Goog-Signature');
  if (algorithmValue === undefined || credential === undefined || signature === undefined) {
    throw new XmlApiError(
      403,
      'AccessDenied',
      'Anonymous caller does not have storage.objects.get access.',
    );
  }
  if (algorithmValue !== algorithm) {
    throw new XmlApiError(
      501,
      'NotImplemented',
      `The GCS emulator verifies ${algorithm} signatures only.`,
    );
  }
  const parts = credential.split('/');
  const [email = '', scopeDate = '', location = '', service, request] = parts;
  const valid =
    parts.length === 5 &&
    service === 'storage' &&
    request === 'goog4_request' &&
    date !== undefined &&
    /^\d{8}T\d{6}Z$/.test(date) &&
    date.startsWith(scopeDate) &&
    expires !== undefined &&
    /^\d+$/.test(expires) &&
    signedHeaders?.split(';').includes('host') === true;
  if (!valid) {
    throw new XmlApiError(
      400,
      'AuthorizationQueryParametersError',
      'Malformed V4 signed URL query parameters.',
    );
  }
  return {
    email,
    scope: `${scopeDate}/${location}/storage/goog4_request`,
    date,
    expires: Number(expires),
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** 400 for an expired URL, one not valid yet, or an expiry past GCS's seven days. */
function checkValidity(query: SignedQuery, now: Date): void {
  if (query.expires < 1 || query.expires > maxExpiresSeconds) {
    throw new XmlApiError(
      400,
      'AuthorizationQueryParametersError',
      `X-Goog-Expires must be 1 to ${String(maxExpiresSeconds)} seconds.`,
    );
  }
  const d = query.date;
  const signedAt = Date.parse(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  if (now.getTime() < signedAt) {
    throw new XmlApiError(400, 'RequestNotValidYet', 'The request is not valid yet.');
  }
  const expiresAt = signedAt + query.expires * 1000;
  if (now.getTime() > expiresAt) {
    throw new XmlApiError(400, 'ExpiredToken', 'The provided token has expired.', {
      Details: `Request signature expired at: ${new Date(expiresAt).toISOString()}`,
    });
  }
}

/** The path exactly as sent, and the query as decoded pairs ('+' stays '+': not a form). */
function splitUrl(url: string): { path: string; pairs: [string, string][] } {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const search = at < 0 ? '' : url.slice(at + 1);
  const pairs = search
    .split('&')
    .filter((part) => part !== '')
    .map((part): [string, string] => {
      const equals = part.indexOf('=');
      const key = equals < 0 ? part : part.slice(0, equals);
      const value = equals < 0 ? '' : part.slice(equals + 1);
      return [safeDecode(key), safeDecode(value)];
    });
  return { path, pairs };
}

/** Every parameter but the signature, RFC 3986-encoded, sorted by name. */
function canonicalQueryString(pairs: readonly [string, string][]): string {
  return pairs
    .filter(([key]) => key !== 'X-Goog-Signature')
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function canonicalHeaders(req: IncomingMessage, names: readonly string[], host: string): string {
  return names
    .map((name) => {
      const raw = name === 'host' ? host : req.headers[name];
      const value = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
        .trim()
        .replace(/\s{2,}/g, ' ');
      return `${name}:${value}\n`;
    })
    .join('');
}

function payloadHash(req: IncomingMessage, names: readonly string[]): string {
  const header = req.headers['x-goog-content-sha256'];
  return names.includes('x-goog-content-sha256') && typeof header === 'string'
    ? header
    : 'UNSIGNED-PAYLOAD';
}

/** The Host header as sent and, if it has a port, without it (see verifySignedUrl). */
function hostCandidates(host: string | undefined): string[] {
  if (host === undefined) return [''];
  const withoutPort = host.replace(/:\d+$/, '');
  return withoutPort === host ? [host] : [host, withoutPort];
}

// encodeURIComponent leaves !'()* alone; RFC 3986, which V4 signing uses, encodes them.
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new XmlApiError(400, 'InvalidArgument', 'Malformed percent-encoding in the URL.');
  }
}
