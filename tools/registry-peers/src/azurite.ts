import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { signSharedKey } from './azure-shared-key.js';
import { freeLoopbackPort } from './free-port.js';
import { removeAbandonedTempDirectories } from './owned-temp-directory.js';
import { PortTakenError, startInOwnedDirectory } from './owned-server-start.js';
import { removeTree } from './remove-tree.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { waitUntilReady } from './wait-until-ready.js';

/** Azurite's blob service in a temp dir, on 127.0.0.1 only, with its one built-in account. */
export interface RunningAzurite {
  /** http://127.0.0.1:P/devstoreaccount1 (path-style: the account is the first segment) */
  readonly blobEndpoint: string;
  readonly accountName: 'devstoreaccount1';
  /** Azurite's well-known key (base64), the same on every machine. */
  readonly accountKey: string;
  /** DefaultEndpointsProtocol=http;AccountName=…;AccountKey=…;BlobEndpoint=… */
  readonly connectionString: string;
  /** Azurite's --location: its two LokiJS databases and `__blobstorage__`. stop() removes it. */
  readonly directory: string;
  readonly pid: number;
  /**
   * Creates a container and returns its name: 3–63 of a–z, 0–9 and single `-` between them;
   * by default a random `lading-<hex>`. Rejects if it exists.
   */
  createContainer(name?: string): Promise<string>;
  /** SIGTERM, SIGKILL after 5 s, then removes `directory`; idempotent. */
  stop(): Promise<void>;
  /** What Azurite printed (start-up lines; --silent turns off its access log). */
  logs(): string;
}

const accountName = 'devstoreaccount1';
// Azurite's fixed key for devstoreaccount1, published in its README.
const accountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
// lading-azurite-<pid of the test process>-XXXXXX.
const directoryPrefix = 'lading-azurite-';
const readyTimeoutMs = 20_000;
const containerName = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Runs the `azurite-blob` bin of the azurite package (3.35.0: later ones need Node 22) with
 * this Node on a free port on 127.0.0.1, data in a fresh temp dir, and resolves once it answers
 * HTTP. The queue and table services are not started.
 */
export async function startAzurite(): Promise<RunningAzurite> {
  const entry = await azuriteBlobEntry();
  await removeAbandonedTempDirectories(directoryPrefix);
  return startInOwnedDirectory(directoryPrefix, (directory, keep) =>
    startInDirectory(entry, directory, keep),
  );
}

/** The azurite-blob bin's script, from azurite's package.json: run with process.execPath. */
async function azuriteBlobEntry(): Promise<string> {
  const manifestPath = createRequire(import.meta.url).resolve('azurite/package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    bin?: Record<string, string>;
  };
  const script = manifest.bin?.['azurite-blob'];
  if (script === undefined) throw new Error(`no azurite-blob bin in ${manifestPath}`);
  return join(dirname(manifestPath), script);
}

async function startInDirectory(
  entry: string,
  directory: string,
  removed: () => void,
): Promise<RunningAzurite> {
  const port = await freeLoopbackPort();
  const blobEndpoint = `http://127.0.0.1:${String(port)}/${accountName}`;
  const args = [
    entry,
    ...['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', directory],
    // No access log on stdout: a conformance run would fill logs() with it.
    '--silent',
    // Otherwise it sends Application Insights telemetry to Microsoft.
    '--disableTelemetry',
    // @azure/storage-blob 12.31 sends x-ms-version 2026-02-06; Azurite 3.35 knows versions up
    // to 2025-11-05 and answers anything newer with 400 InvalidHeaderValue.
    '--skipApiVersionCheck',
  ];
  // The cwd too: nothing Azurite writes should land in the test's working directory.
  const server = await startServerProcess('azurite-blob', process.execPath, args, {
    cwd: directory,
  });
  try {
    // Every account URL needs auth, so an unsigned request gets 403 AuthorizationFailure:
    // proof enough that the blob service is listening and routing.
    await waitUntilReady(`${blobEndpoint}?comp=list`, server.child, readyTimeoutMs, 403);
  } catch (error) {
    await server.stop();
    const output = server.output();
    const message = `Azurite did not start in ${directory}`;
    if (output.includes('EADDRINUSE')) throw new PortTakenError(message);
    throw new Error(`${message}: ${errorMessage(error)}\n--- logs ---\n${output}`, {
      cause: error,
    });
  }
  return running(server, blobEndpoint, directory, removed);
}

function running(
  server: ServerProcess,
  blobEndpoint: string,
  directory: string,
  removed: () => void,
): RunningAzurite {
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server.stop();
      await removeTree(directory);
      removed();
    })());
  const createContainer = async (name = `lading-${randomBytes(6).toString('hex')}`) => {
    if (!containerName.test(name)) {
      throw new Error(
        `invalid container name ${JSON.stringify(name)}: use 3–63 of a–z, 0–9 and -, ` +
          'starting and ending with a letter or digit, no --',
      );
    }
    if (stopping !== undefined) throw new Error(`createContainer(${name}): Azurite is stopped`);
    const url = new URL(`${blobEndpoint}/${name}?restype=container`);
    const response = await fetch(url, {
      method: 'PUT',
      headers: signSharedKey('PUT', url, { name: accountName, key: accountKey }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    // 409 ContainerAlreadyExists when it exists.
    if (response.status !== 201) {
      throw new Error(`createContainer(${name}): PUT answered ${String(response.status)} ${body}`);
    }
    return name;
  };
  return {
    blobEndpoint,
    accountName,
    accountKey,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${accountName};` +
      `AccountKey=${accountKey};BlobEndpoint=${blobEndpoint}`,
    directory,
    pid: server.pid,
    createContainer,
    stop,
    logs: () => server.output(),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
