import { loopbackHost, serveOnLoopback } from '@lading/emulator-kit';
import { join } from 'node:path';
import { checkBucketName } from './buckets.js';
import type { Emulator } from './context.js';
import { ObjectStore } from './object-store.js';
import { handleRequest } from './router.js';
import { UploadStore } from './upload-store.js';

/** An access key the emulator accepts, and signs with. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface OssEmulatorOptions {
  /** Where buckets, objects and multipart uploads live; reopening it finds them again. */
  directory: string;
  /** The keys whose signatures are accepted; any other key id is 403 InvalidAccessKeyId. */
  accessKeys: readonly AccessKey[];
  /** 0 (the default) for any free port. */
  port?: number;
  /** A loopback address only: 127.0.0.1 (the default) or ::1. */
  host?: string;
  /** The region V4 signatures must name: `cn-hangzhou` (the default) or `oss-cn-hangzhou`. */
  region?: string;
}

export interface RunningOssEmulator {
  /** `http://127.0.0.1:PORT`: ali-oss's `endpoint` (see the README for the two styles). */
  readonly endpoint: string;
  /** Creates a bucket (3–63 of a–z, 0–9 and `-`); rejects if it exists. */
  createBucket(name: string): Promise<void>;
  /** Stops listening, cuts open connections and waits for requests in flight. */
  close(): Promise<void>;
}

/** Starts the emulator on a loopback port with its data in `directory`. */
export async function startOssEmulator(options: OssEmulatorOptions): Promise<RunningOssEmulator> {
  const host = loopbackHost('OSS emulator', options.host);
  if (options.accessKeys.length === 0) {
    throw new Error('the OSS emulator needs at least one access key');
  }
  const store = await ObjectStore.open(options.directory);
  const emulator: Emulator = {
    store,
    uploads: await UploadStore.open(join(options.directory, 'uploads')),
    authority: {
      secrets: new Map(options.accessKeys.map((key) => [key.accessKeyId, key.accessKeySecret])),
      region: (options.region ?? 'cn-hangzhou').replace(/^oss-/, ''),
    },
  };
  const server = await serveOnLoopback(
    'OSS emulator',
    { host, port: options.port },
    () => (req, res) => handleRequest(emulator, req, res),
  );
  return {
    endpoint: server.endpoint,
    createBucket: async (name) => {
      checkBucketName(name);
      await store.createBucket(name);
    },
    close: () => server.close(),
  };
}
