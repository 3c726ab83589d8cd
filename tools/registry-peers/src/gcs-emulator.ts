import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gcsEmulatorCli } from '@lading/gcs-emulator';
import { removeAbandonedTempDirectories } from './owned-temp-directory.js';
import { startInOwnedDirectory } from './owned-server-start.js';
import { removeTree } from './remove-tree.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

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
const readyTimeoutMs = 20_000;
const projectId = 'lading-test';
const bucketName = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
// The emulator's one line on stdout once it listens.
const endpointLine = /^\{"endpoint":"(http:\/\/127\.0\.0\.1:\d+)"\}$/m;

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
  const args = [
    // Resolved here: the child runs in the temp dir, where `tsx/esm` would not resolve.
    ...['--import', import.meta.resolve('tsx/esm'), gcsEmulatorCli],
    ...['--host', '127.0.0.1', '--port', '0', '--directory', join(directory, 'data')],
    ...['--service-account-file', keyFile],
  ];
  const server = await startServerProcess('gcs-emulator', process.execPath, args, {
    cwd: directory,
  });
  let endpoint: string;
  try {
    endpoint = await waitForEndpoint(server);
  } catch (error) {
    await server.stop();
    throw new Error(
      `the GCS emulator did not start in ${directory}: ${errorMessage(error)}\n` +
        `--- logs ---\n${server.output()}`,
      { cause: error },
    );
  }
  return running(server, endpoint, serviceAccount, directory, removed);
}

function newServiceAccount(): GcsServiceAccount {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    client_email: `lading-${randomBytes(4).toString('hex')}@${projectId}.iam.gserviceaccount.com`,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Polls the output for the endpoint line; fails early if the emulator exits. */
async function waitForEndpoint(server: ServerProcess): Promise<string> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    const endpoint = endpointLine.exec(server.output())?.[1];
    if (endpoint !== undefined) return endpoint;
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`it exited (code ${String(exitCode)}, signal ${String(signalCode)})`);
    }
    await sleep(20);
  }
  throw new Error(`no endpoint line after ${String(readyTimeoutMs)} ms`);
}

function running(
  server: ServerProcess,
  endpoint: string,
  serviceAccount: GcsServiceAccount,
  directory: string,
  removed: () => void,
): RunningGcsEmulator {
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server.stop();
      await removeTree(directory);
      removed();
    })());
  const createBucket = async (name = `lading-${randomBytes(6).toString('hex')}`) => {
    if (!bucketName.test(name)) {
      throw new Error(
        `invalid bucket name ${JSON.stringify(name)}: use 3–63 of a–z, 0–9, - and _, ` +
          'starting and ending with a letter or digit',
      );
    }
    if (stopping !== undefined) throw new Error(`createBucket(${name}): the emulator is stopped`);
    const response = await fetch(`${endpoint}/storage/v1/b?project=${projectId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    // 409 when it exists.
    if (response.status !== 200) {
      throw new Error(`createBucket(${name}): POST answered ${String(response.status)} ${body}`);
    }
    return name;
  };
  return {
    endpoint,
    projectId,
    serviceAccount,
    directory,
    pid: server.pid,
    createBucket,
    stop,
    logs: () => server.output(),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
