import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gcsEmulatorCli } from '@lading/gcs-emulator';
import { removeAbandonedTempDirectories } from './owned-temp-directory.js';
import { startInOwnedDirectory } from './owned-server-start.js';
import {
  bucketCreator,
  startEmulatorProcess,
  type BucketNameRule,
  type EmulatorProcess,
} from './emulator-process.js';

/** The service account the emulator trusts: the two fields the SDK's `credentials` take. */
export interface GcsServiceAccount {
  client_email: string;
  /** PEM (PKCS #8), as in Google's JSON key files. */
  private_key: string;
}

/** tools/emulators/gcs as a child process, in a temp dir, on 127.0.0.1 only. */
export interface RunningGcsEmulator {
  /** http://127.0.0.1:P: the SDK's `apiEndpoint`. API calls need no token. */
  readonly endpoint: string;
  readonly projectId: string;
  /** A fresh RSA key pair's account: its V4 signed URLs verify, any other key's do not. */
  readonly serviceAccount: GcsServiceAccount;
  /** The emulator's data (under `data/`) and the key file. stop() removes it. */
  readonly directory: string;
  readonly pid: number;
  /**
   * Creates a bucket and returns its name: 3–63 of a–z, 0–9, `-` and `_`, starting and ending
   * with a letter or digit; by default a random `lading-<hex>`. Rejects if it exists.
   */
  createBucket(name?: string): Promise<string>;
  /** SIGTERM (the emulator finishes requests in flight), SIGKILL after 5 s, then removes `directory`; idempotent. */
  stop(): Promise<void>;
  /** What the emulator printed: its endpoint line, and any internal error. */
  logs(): string;
}

// lading-gcs-<pid of the test process>-XXXXXX.
const directoryPrefix = 'lading-gcs-';
const projectId = 'lading-test';
const bucketName: BucketNameRule = {
  pattern: /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/,
  description: '3–63 of a–z, 0–9, - and _, starting and ending with a letter or digit',
};

/**
 * Runs the emulator's CLI (`node --import tsx/esm cli.ts`) with this Node on a port the kernel
 * picks, with its data in a fresh temp dir and a newly generated service account, and resolves
 * once it has printed its endpoint. The port comes from the emulator itself (`--port 0`), so
 * no other process can take it in between.
 */
export async function startGcsEmulator(): Promise<RunningGcsEmulator> {
  await removeAbandonedTempDirectories(directoryPrefix);
  return startInOwnedDirectory(directoryPrefix, (directory, keep) =>
    startInDirectory(directory, keep),
  );
}

async function startInDirectory(
  directory: string,
  removed: () => void,
): Promise<RunningGcsEmulator> {
  const serviceAccount = newServiceAccount();
  const keyFile = join(directory, 'service-account.json');
  const key = { type: 'service_account', project_id: projectId, ...serviceAccount };
  await writeFile(keyFile, JSON.stringify(key), { mode: 0o600 });
  const emulator = await startEmulatorProcess(
    'the GCS emulator',
    gcsEmulatorCli,
    directory,
    ['--service-account-file', keyFile],
    removed,
  );
  return running(emulator, serviceAccount, directory);
}

function newServiceAccount(): GcsServiceAccount {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    client_email: `lading-${randomBytes(4).toString('hex')}@${projectId}.iam.gserviceaccount.com`,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function running(
  emulator: EmulatorProcess,
  serviceAccount: GcsServiceAccount,
  directory: string,
): RunningGcsEmulator {
  const { endpoint, server } = emulator;
  const createBucket = bucketCreator(emulator, bucketName, (name) =>
    fetch(`${endpoint}/storage/v1/b?project=${projectId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
      signal: AbortSignal.timeout(10_000),
    }),
  );
  return {
    endpoint,
    projectId,
    serviceAccount,
    directory,
    pid: server.pid,
    createBucket,
    stop: () => emulator.stop(),
    logs: () => server.output(),
  };
}
