import { randomBytes } from 'node:crypto';
import { startOssEmulator, type RunningOssEmulator } from '@lading/registry-peers';
import type { OssDriverOptions } from '../../src/index.js';

/**
 * Where the oss tests store: by default a bucket on the OSS emulator in tools/emulators/oss,
 * started here on 127.0.0.1; with `LADING_OSS_BUCKET` set, that bucket on Aliyun OSS, with
 * `LADING_OSS_ACCESSKEYID`, `LADING_OSS_ACCESSKEYSECRET`, `LADING_OSS_REGION` and the
 * optional `LADING_OSS_ENDPOINT`.
 */
export interface OssTarget {
  readonly description: string;
  /** Options reaching the bucket, under a root directory of its own for each call. */
  driverOptions(overrides?: Partial<OssDriverOptions>): OssDriverOptions;
  readonly emulator: RunningOssEmulator | undefined;
}

let emulator: Promise<RunningOssEmulator> | undefined;
let target: Promise<OssTarget> | undefined;

export function ossTarget(): Promise<OssTarget> {
  target ??= process.env.LADING_OSS_BUCKET ? Promise.resolve(cloudTarget()) : localOssTarget();
  return target;
}

export function localEmulator(): Promise<RunningOssEmulator> {
  emulator ??= startOssEmulator();
  return emulator;
}

/** Always the local emulator: for tests that look behind the driver or disturb the store. */
export async function localOssTarget(): Promise<OssTarget> {
  const running = await localEmulator();
  const bucket = await running.createBucket();
  const base: OssDriverOptions = {
    accessKeyId: running.accessKeyId,
    accessKeySecret: running.accessKeySecret,
    region: running.region,
    bucket,
    // localhost, not 127.0.0.1: ali-oss signs no URL for an IP address.
    endpoint: running.endpoint.replace('127.0.0.1', 'localhost'),
    secure: false,
  };
  return {
    description: `the OSS emulator at ${running.endpoint}`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    emulator: running,
  };
}

function cloudTarget(): OssTarget {
  const environment = process.env;
  const endpoint = environment.LADING_OSS_ENDPOINT;
  const base: OssDriverOptions = {
    accessKeyId: String(environment.LADING_OSS_ACCESSKEYID),
    accessKeySecret: String(environment.LADING_OSS_ACCESSKEYSECRET),
    region: String(environment.LADING_OSS_REGION),
    bucket: String(environment.LADING_OSS_BUCKET),
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
  };
  return {
    description: `bucket ${base.bucket} on Aliyun OSS ${base.region}`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    emulator: undefined,
  };
}

function uniqueRoot(): string {
  return `/lading-test-${randomBytes(6).toString('hex')}`;
}

export async function stopOssTargets(): Promise<void> {
  const running = emulator;
  emulator = undefined;
  target = undefined;
  if (running !== undefined) await (await running).stop();
}
