import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeTree } from './remove-tree.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** One of tools/emulators running as a child process, and how to end it. */
export interface EmulatorProcess {
  readonly server: ServerProcess;
  /** http://127.0.0.1:P, as the emulator printed it. */
  readonly endpoint: string;
  /** Stops the process (SIGTERM, SIGKILL after 5 s), then removes its directory; idempotent. */
  stop(): Promise<void>;
  /** Whether `stop()` has begun. */
  readonly stopped: boolean;
}

const readyTimeoutMs = 20_000;
// An emulator's one line on stdout once it listens.
const endpointLine = /^\{"endpoint":"(http:\/\/127\.0\.0\.1:\d+)"\}$/m;

/**
 * Runs an emulator's CLI (`node --import tsx/esm cli.ts`) with this Node, on 127.0.0.1 and a
 * port it picks itself (`--port 0`, so no other process can take it in between), with its
 * data in `directory/data`, and resolves once it has printed its endpoint. `removed` is
 * called once the directory is gone.
 */
export async function startEmulatorProcess(
  label: string,
  cli: string,
  directory: string,
  args: readonly string[],
  removed: () => void,
): Promise<EmulatorProcess> {
  const server = await startServerProcess(
    label,
    process.execPath,
    [
      // Resolved here: the child runs in the temp dir, where `tsx/esm` would not resolve.
      ...['--import', import.meta.resolve('tsx/esm'), cli],
      ...['--host', '127.0.0.1', '--port', '0', '--directory', join(directory, 'data')],
      ...args,
    ],
    { cwd: directory },
  );
  let endpoint: string;
  try {
    endpoint = await waitForEndpoint(server);
  } catch (error) {
    await server.stop();
    throw new Error(
      `${label} did not start in ${directory}: ${errorMessage(error)}\n` +
        `--- logs ---\n${server.output()}`,
      { cause: error },
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    server,
    endpoint,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await removeTree(directory);
        removed();
      })()),
    get stopped() {
      return stopping !== undefined;
    },
  };
}

/** The bucket names a store accepts, and how to say so. */
export interface BucketNameRule {
  readonly pattern: RegExp;
  /** Completes "use …", e.g. "3–63 of a–z, 0–9 and -, starting and ending with a letter or digit". */
  readonly description: string;
}

/**
 * `createBucket(name?)` for a running emulator: checks the name (by default a random
 * `lading-<hex>`) against `rule`, refuses once the emulator is stopping, sends the store's own
 * create request (`create`) and resolves with the name once it answered 200 (409 when it exists).
 */
export function bucketCreator(
  emulator: EmulatorProcess,
  rule: BucketNameRule,
  create: (name: string) => Promise<Response>,
): (name?: string) => Promise<string> {
  return async (name = `lading-${randomBytes(6).toString('hex')}`) => {
    if (!rule.pattern.test(name)) {
      throw new Error(`invalid bucket name ${JSON.stringify(name)}: use ${rule.description}`);
    }
    if (emulator.stopped) throw new Error(`createBucket(${name}): the emulator is stopped`);
    const response = await create(name);
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`createBucket(${name}): answered ${String(response.status)} ${body}`);
    }
    return name;
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
