import { randomBytes } from 'node:crypto';
import OSS from 'ali-oss';
import { startOssEmulator, type RunningOssEmulator } from '@lading/registry-peers';

/** The `storage: oss:` section for a test server, the emulator behind it, and how to stop it. */
export interface OssStorage {
  readonly description: string;
  /** The running OSS emulator, on 127.0.0.1. */
  readonly emulator: RunningOssEmulator;
  /** What the driver is given as `endpoint`: the emulator as `http://localhost:PORT`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** The driver's `rootdirectory`, without slashes. */
  readonly rootdirectory: string;
  /** The driver's `chunksize`: the size of every part of a multipart upload but the last. */
  readonly chunksize: number;
  /**
   * YAML lines of the oss driver's parameters, indented for `storage:\n  oss:\n`;
   * `overrides` replace keys or add more.
   */
  parameters(overrides?: Readonly<Record<string, string | number | boolean>>): string;
  /** The bucket through ali-oss, to look at what the driver stored, behind its back. */
  readonly behindTheDriver: OSS;
  /** The object name of a storage path (`/docker/registry/v2/…`). */
  objectName(path: string): string;
  stop(): Promise<void>;
}

/**
 * A bucket on Lading's OSS emulator started here on 127.0.0.1, for the reference server's oss
 * driver: parts of 5 MiB, distribution's smallest `chunksize`, so that a 12 MiB
 * layer takes three, and server-side encryption on.
 */
export async function ossStorage(): Promise<OssStorage> {
  const emulator = await startOssEmulator();
  try {
    const bucket = await emulator.createBucket();
    const rootdirectory = `lading-e2e-${randomBytes(6).toString('hex')}`;
    // localhost, not 127.0.0.1: ali-oss signs no URL for an IP address, and the driver then
    // redirects nothing. (localhost resolves to the emulator's 127.0.0.1.)
    const endpoint = emulator.endpoint.replace('127.0.0.1', 'localhost');
    const chunksize = 5 * 1024 * 1024;
    const base: Record<string, string | number | boolean> = {
      accesskeyid: emulator.accessKeyId,
      accesskeysecret: emulator.accessKeySecret,
      region: emulator.region,
      bucket,
      endpoint,
      secure: false,
      encrypt: true,
      chunksize,
      // As distribution's configs write it, with a leading slash.
      rootdirectory: `/${rootdirectory}`,
    };
    return {
      description: `the OSS emulator at ${emulator.endpoint}, bucket ${bucket}`,
      emulator,
      endpoint,
      bucket,
      rootdirectory,
      chunksize,
      parameters: (overrides = {}) => yamlLines({ ...base, ...overrides }),
      // The IP endpoint: ali-oss then names the bucket in the Host header, which the emulator
      // serves; this client signs no URLs.
      behindTheDriver: new OSS({
        endpoint: emulator.endpoint,
        accessKeyId: emulator.accessKeyId,
        accessKeySecret: emulator.accessKeySecret,
        region: emulator.region,
        bucket,
      }),
      objectName: (path) => `${rootdirectory}${path}`,
      stop: () => emulator.stop(),
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

function yamlLines(parameters: Readonly<Record<string, string | number | boolean>>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`)
    .join('');
}
