import { isIP } from 'node:net';
import { invalidArgument } from './errors.js';

/** What a request addresses: a bucket (or none, the service), and an object key ('' for none). */
export interface Address {
  readonly bucket: string | undefined;
  readonly key: string;
  readonly style: 'virtual-hosted' | 'path';
}

/**
 * Where the bucket is, taken from the Host header as OSS does, in one of two styles:
 *
 * - **Virtual-hosted**, `Host: <bucket>.<anything>`: the bucket is the first label and the whole
 *   path is the key. ali-oss uses it against an IP endpoint too: it sends the request to the IP
 *   with `Host: <bucket>.oss-<region>.aliyuncs.com` (createRequest.js), so that is what a client
 *   configured with `endpoint: 'http://127.0.0.1:PORT'` produces.
 * - **Path style**, when the Host is an IP address or a name without a dot (`localhost`): the
 *   first path segment is the bucket. ali-oss produces it with `sldEnable: true` and a hostname
 *   endpoint (`http://localhost:PORT`), and that is the only way its signed URLs name a bucket
 *   here: `bucket.localhost` does not resolve, and ali-oss refuses to sign URLs for an IP
 *   endpoint.
 *
 * `rawPath` is the path as sent: no dot segments resolved, since `..` may be part of a key.
 */
export function resolveAddress(host: string | undefined, rawPath: string): Address {
  const hostname = hostnameOf(host ?? '');
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (isIP(hostname) !== 0 || !hostname.includes('.')) {
    const slash = path.indexOf('/');
    const bucket = decode(slash === -1 ? path : path.slice(0, slash));
    return {
      bucket: bucket === '' ? undefined : bucket,
      key: slash === -1 ? '' : decode(path.slice(slash + 1)),
      style: 'path',
    };
  }
  return {
    bucket: hostname.slice(0, hostname.indexOf('.')),
    key: decode(path),
    style: 'virtual-hosted',
  };
}

function hostnameOf(host: string): string {
  // `[::1]:8080`, `127.0.0.1:8080`, `bucket.oss-cn-hangzhou.aliyuncs.com`.
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidArgument(`Malformed percent-encoding in the path: ${segment}`);
  }
}
