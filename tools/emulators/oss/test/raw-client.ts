import { createHash, createHmac } from 'node:crypto';
import type { AccessKey } from '../src/index.js';

// Sub-resources this signer signs: the ones the tests send. Written from OSS's V1 description,
// independently of the emulator's code, so the two cannot share a mistake.
const subResources = new Set([
  'acl',
  'append',
  'delete',
  'objectMeta',
  'partNumber',
  'position',
  'response-content-type',
  'uploadId',
  'uploads',
]);

/** One request sent path style with `fetch`, V1-signed; the `signed*` fields let a test tamper. */
export interface RawCall {
  method: string;
  /** '' for the service itself (`GET /`). */
  bucket: string;
  key?: string;
  /** Sent in the query, values unencoded. */
  query?: Record<string, string>;
  /** Sent, lower-case names. */
  headers?: Record<string, string>;
  /** A stream goes chunked, as a body of unknown length does. */
  body?: Uint8Array | ReadableStream<Uint8Array>;
  /** What the signature covers when it differs from what is sent. */
  signedQuery?: Record<string, string>;
  signedHeaders?: Record<string, string>;
  /** Sign with another secret, or under another key id. */
  signWith?: Partial<AccessKey>;
  /** The request time, by default now. */
  date?: Date;
}

/** Sends `call` to the emulator at `endpoint` (`http://127.0.0.1:PORT`), signed with `key`. */
export async function rawFetch(endpoint: string, key: AccessKey, call: RawCall): Promise<Response> {
  const headers = signedHeaders(key, call);
  const query = new URLSearchParams(call.query).toString().replace(/=(&|$)/g, '$1');
  const path =
    call.bucket === ''
      ? '/'
      : `/${call.bucket}/${(call.key ?? '').split('/').map(encodeURIComponent).join('/')}`;
  return fetch(`${endpoint}${path}${query === '' ? '' : `?${query}`}`, {
    method: call.method,
    headers,
    body: call.body ?? null,
    duplex: 'half',
  });
}

/** The headers to send for `call`: its own, `x-oss-date` and the V1 `Authorization`. */
export function signedHeaders(key: AccessKey, call: RawCall): Record<string, string> {
  const date = (call.date ?? new Date()).toUTCString();
  const signed: Record<string, string> = {
    'x-oss-date': date,
    ...(call.signedHeaders ?? call.headers),
  };
  const signing = { ...key, ...call.signWith };
  const stringToSign = [
    call.method,
    signed['content-md5'] ?? '',
    signed['content-type'] ?? '',
    date,
    ...Object.entries(signed)
      .filter(([name]) => name.startsWith('x-oss-'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => `${name}:${value}`),
    resource(call.bucket, call.key ?? '', call.signedQuery ?? call.query ?? {}),
  ].join('\n');
  const signature = createHmac('sha1', signing.accessKeySecret)
    .update(stringToSign)
    .digest('base64');
  return {
    'x-oss-date': date,
    ...call.headers,
    authorization: `OSS ${signing.accessKeyId}:${signature}`,
  };
}

function resource(bucket: string, key: string, query: Record<string, string>): string {
  const signed = Object.keys(query)
    .filter((name) => subResources.has(name))
    .sort()
    .map((name) => (query[name] === '' ? name : `${name}=${query[name] ?? ''}`));
  const path = bucket === '' ? '/' : `/${bucket}/${key}`;
  return `${path}${signed.length === 0 ? '' : `?${signed.join('&')}`}`;
}

/** base64 of the MD5 of `bytes`, as Content-MD5 carries it. */
export function contentMd5(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('base64');
}
