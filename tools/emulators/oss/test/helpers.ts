import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startOssEmulator, type AccessKey, type RunningOssEmulator } from '../src/index.js';
import { ossClient, type ClientOptions, type OssClient } from './oss-client.js';

/** A fresh key pair, as startOssEmulator in registry-peers makes one per run. */
export function newAccessKey(): AccessKey {
  return {
    accessKeyId: `LTAI${randomBytes(10).toString('hex')}`,
    accessKeySecret: randomBytes(22).toString('base64url'),
  };
}

/** An emulator in a fresh temp dir, clients for it, and a way to restart it in place. */
export interface TestEmulator {
  readonly emulator: RunningOssEmulator;
  readonly directory: string;
  readonly key: AccessKey;
  readonly port: number;
  /** A new bucket with a random `lading-<hex>` name. */
  bucket(): Promise<string>;
  /**
   * ali-oss as the driver would make it: `endpoint` the emulator's IP, so requests go
   * virtual-hosted (`Host: <bucket>.oss-cn-hangzhou.aliyuncs.com`), V1 signatures.
   */
  client(bucket: string, options?: Partial<ClientOptions>): OssClient;
  /** ali-oss with `http://localhost:PORT` and `sldEnable`: path style, signed URLs possible. */
  pathStyleClient(bucket: string, options?: Partial<ClientOptions>): OssClient;
  /** Closes the emulator and starts it again on the same directory and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const directory = await mkdtemp(join(tmpdir(), 'lading-oss-emulator-test-'));
  const key = newAccessKey();
  const state = { emulator: await startOssEmulator({ directory, accessKeys: [key] }) };
  const port = Number(new URL(state.emulator.endpoint).port);
  const client = (bucket: string, endpoint: string, options: Partial<ClientOptions> = {}) =>
    ossClient({
      ...key,
      endpoint,
      bucket,
      region: 'oss-cn-hangzhou',
      // One try: a retry would hide the first answer, which is what the tests check.
      retryMax: 0,
      ...options,
    });
  return {
    get emulator() {
      return state.emulator;
    },
    directory,
    key,
    port,
    bucket: async () => {
      const name = `lading-${randomBytes(6).toString('hex')}`;
      await state.emulator.createBucket(name);
      return name;
    },
    client: (bucket, options) => client(bucket, state.emulator.endpoint, options),
    pathStyleClient: (bucket, options) =>
      client(bucket, `http://localhost:${String(port)}`, { sldEnable: true, ...options }),
    restart: async () => {
      await state.emulator.close();
      state.emulator = await startOssEmulator({ directory, port, accessKeys: [key] });
    },
    stop: async () => {
      await state.emulator.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** What ali-oss makes of an OSS error: status, code (OSS's Code), name and message. */
export interface OssFailure {
  status: number;
  code: string;
  name: string;
  message: string;
  requestId: string;
}

/** The error `promise` rejects with, as ali-oss reports it; fails the test if it resolves. */
export async function ossFailure(promise: Promise<unknown>): Promise<OssFailure> {
  try {
    await promise;
  } catch (error) {
    const { status, code, name, message, requestId } = error as OssFailure;
    return { status, code, name, message, requestId };
  }
  return expect.fail('must be rejected');
}

/** OSS's XML error, checked for its shape, and its elements by name. */
export async function xmlError(response: Response): Promise<Record<string, string>> {
  expect(response.headers.get('content-type')).to.equal('application/xml');
  const body = await response.text();
  return errorElements(body, response.headers.get('x-oss-request-id'));
}

/** The elements of an `<Error>` document; its RequestId must be the response header's. */
export function errorElements(body: string, requestId: string | null): Record<string, string> {
  expect(body).to.match(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>/);
  const elements = Object.fromEntries(
    [...body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map(([, name = '', text = '']) => [
      name,
      unescape(text),
    ]),
  );
  expect(elements).to.include.keys('Code', 'Message', 'RequestId', 'HostId');
  expect(elements.RequestId).to.equal(requestId);
  return elements;
}

function unescape(text: string): string {
  return text.replace(/&lt;|&gt;|&amp;|&#(\d+);/g, (entity, code: string | undefined) =>
    code !== undefined
      ? String.fromCharCode(Number(code))
      : ({ '&lt;': '<', '&gt;': '>', '&amp;': '&' }[entity] ?? entity),
  );
}

/** `count` bytes that differ from one position to the next, so misplaced bytes show. */
export function patternBytes(count: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(count);
  for (let i = 0; i < count; i += 1) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return bytes;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;
