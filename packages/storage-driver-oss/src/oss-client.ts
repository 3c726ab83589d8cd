import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import OSS from 'ali-oss';
import { isTransient } from './oss-errors.js';
import { defaultRequestTimeoutMs, type OssDriverOptions } from './oss-options.js';

/**
 * The ali-oss client for config.yml's settings. An `endpoint` wins over `region` and
 * `internal`, as in distribution; a bare host takes its scheme from `secure`.
 */
export function createOssClient(options: OssDriverOptions): OSS {
  // ali-oss's path-style switch, which its type declarations leave out, for `localhost`:
  // `<bucket>.localhost` resolves nowhere. (For an IP address ali-oss connects to the address
  // and names the bucket in the Host header by itself.)
  const addressing = {
    sldEnable: options.endpoint !== undefined && hostKind(options.endpoint) === 'localhost',
  };
  return new OSS({
    ...addressing,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    bucket: options.bucket,
    region: options.region,
    internal: options.internal ?? false,
    secure: options.secure ?? true,
    timeout: options.requestTimeoutMs ?? defaultRequestTimeoutMs,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
}

/**
 * Runs `call` up to `maxAttempts` times while it fails transiently, backing off from 100 ms
 * (doubling, with jitter, up to 2 s). ali-oss retries only network errors, and never a
 * streamed body, so the driver retries itself; every call it makes here can be repeated
 * (bodies are whole buffers).
 */
export async function withRetries<T>(maxAttempts: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxAttempts || !isTransient(error)) throw error;
      const delay = Math.min(100 * 2 ** (attempt - 1), 2_000);
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

/** Whether `endpoint` names its host by IP address, which ali-oss cannot sign URLs for. */
export function isIpEndpoint(endpoint: string): boolean {
  return hostKind(endpoint) === 'IP';
}

function hostKind(endpoint: string): 'localhost' | 'IP' | 'name' {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  const hostname = new URL(withScheme).hostname.replace(/^\[|\]$/g, '');
  if (hostname === 'localhost') return 'localhost';
  return isIP(hostname) === 0 ? 'name' : 'IP';
}
