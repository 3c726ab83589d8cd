import { randomBytes } from 'node:crypto';
import { ossEmulatorCli, putBucketRequest } from '@lading/oss-emulator';
import { removeAbandonedTempDirectories } from './owned-temp-directory.js';
import { startInOwnedDirectory } from './owned-server-start.js';
import {
  bucketCreator,
  startEmulatorProcess,
  type BucketNameRule,
  type EmulatorProcess,
} from './emulator-process.js';

/** tools/emulators/oss as a child process, in a temp dir, on 127.0.0.1 only. */
export interface RunningOssEmulator {
  /**
   * http://127.0.0.1:P: ali-oss's `endpoint`. With it ali-oss goes virtual-hosted (it sends
   * `Host: <bucket>.oss-<region>.aliyuncs.com` to the IP); for signed URLs use
   * `http://localhost:P` with `sldEnable: true` (path style). See the emulator's README.
   */
  readonly endpoint: string;
  /** A key pair made for this run: the only one the emulator accepts. */
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** ali-oss's `region`: `oss-cn-hangzhou`. V4 signatures must name it. */
  readonly region: string;
  /** The emulator's data (under `data/`). stop() removes it. */
  readonly directory: string;
  readonly pid: number;
  /**
   * Creates a bucket and returns its name: 3–63 of a–z, 0–9 and `-`, starting and ending with a
   * letter or digit; by default a random `lading-<hex>`. Rejects if it exists.
   */
  createBucket(name?: string): Promise<string>;
  /** SIGTERM (the emulator finishes requests in flight), SIGKILL after 5 s, then removes `directory`; idempotent. */
  stop(): Promise<void>;
  /** What the emulator printed: its endpoint line, and any internal error. */
  logs(): string;
}

// lading-oss-<pid of the test process>-XXXXXX.
const directoryPrefix = 'lading-oss-';
const region = 'oss-cn-hangzhou';
const bucketName: BucketNameRule = {
  pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
  description: '3–63 of a–z, 0–9 and -, starting and ending with a letter or digit',
};

/**
 * Runs the emulator's CLI (`node --import tsx/esm cli.ts`) with this Node on a port the kernel
 * picks, with its data in a fresh temp dir and a newly generated key pair, and resolves once it
 * has printed its endpoint. The port comes from the emulator itself (`--port 0`), so no other
 * process can take it in between.
 */
export async function startOssEmulator(): Promise<RunningOssEmulator> {
  await removeAbandonedTempDirectories(directoryPrefix);
  return startInOwnedDirectory(directoryPrefix, (directory, keep) =>
    startInDirectory(directory, keep),
  );
}

async function startInDirectory(
  directory: string,
  removed: () => void,
): Promise<RunningOssEmulator> {
  // Shaped like Aliyun's: `LTAI` and 20 more characters, a 30-character secret.
  const key = {
    accessKeyId: `LTAI${randomBytes(10).toString('hex')}`,
    accessKeySecret: randomBytes(22).toString('base64url').slice(0, 30),
  };
  const emulator = await startEmulatorProcess(
    'the OSS emulator',
    ossEmulatorCli,
    directory,
    ['--region', region, '--access-key', `${key.accessKeyId}:${key.accessKeySecret}`],
    removed,
  );
  return running(emulator, key, directory);
}

function running(
  emulator: EmulatorProcess,
  key: { accessKeyId: string; accessKeySecret: string },
  directory: string,
): RunningOssEmulator {
  const { endpoint, server } = emulator;
  // A signed PutBucket, as any OSS client sends it.
  const createBucket = bucketCreator(emulator, bucketName, (name) =>
    putBucketRequest({ endpoint, ...key, bucket: name, signal: AbortSignal.timeout(10_000) }),
  );
  return {
    endpoint,
    ...key,
    region,
    directory,
    pid: server.pid,
    createBucket,
    stop: () => emulator.stop(),
    logs: () => server.output(),
  };
}
