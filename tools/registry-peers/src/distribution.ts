import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';
import { distributionConfigYaml } from './distribution-config.js';
import { freeLoopbackPort } from './free-port.js';
import { spawnOrphanProof } from './orphan-proof-spawn.js';
import { closedPromise, stopChild } from './stop-child.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface DistributionOptions {
  /** storage.filesystem.rootdirectory; created if missing, left in place by stop(). */
  rootDirectory: string;
  /** storage.delete.enabled; off by default, as in distribution. */
  deleteEnabled?: boolean;
}

/** A CNCF distribution (Debian's docker-registry) serving plain HTTP on 127.0.0.1. */
export interface RunningDistribution {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT, for image references such as docker://127.0.0.1:PORT/library/demo:1 */
  host: string;
  rootDirectory: string;
  /** The docker-registry process, for checks that it is gone after stop(). */
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Everything the server printed so far. */
  logs(): string;
}

const readyTimeoutMs = 20_000;
const portAttempts = 3;

/** Starts `docker-registry serve` on a free loopback port and waits until GET /v2/ answers 200. */
export async function startDistribution(
  options: DistributionOptions,
): Promise<RunningDistribution> {
  await ensureDebianPackages({ 'docker-registry': 'docker-registry' });
  const rootDirectory = resolve(options.rootDirectory);
  await mkdir(rootDirectory, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnFreePort(rootDirectory, options.deleteEnabled ?? false);
    } catch (error) {
      // Another process can take the port between our probe and the server's bind.
      if (!(error instanceof PortTakenError) || attempt === portAttempts) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnFreePort(
  rootDirectory: string,
  deleteEnabled: boolean,
): Promise<RunningDistribution> {
  const port = await freeLoopbackPort();
  const configDirectory = await mkdtemp(join(tmpdir(), 'lading-distribution-'));
  const configFile = join(configDirectory, 'config.yml');
  const config = distributionConfigYaml({ rootDirectory, port, deleteEnabled });
  await writeFile(configFile, config);

  const child = await spawnOrphanProof('docker-registry', ['serve', configFile]);
  const closed = closedPromise(child);
  let output = '';
  const capture = (text: string) => (output += text);
  child.stdout.setEncoding('utf8').on('data', capture);
  child.stderr.setEncoding('utf8').on('data', capture);

  const host = `127.0.0.1:${port}`;
  const removeConfig = () => rm(configDirectory, { recursive: true, force: true });
  const stop = () => stopChild(child, closed);
  try {
    await waitUntilReady(`http://${host}/v2/`, child, readyTimeoutMs);
  } catch (error) {
    await stop();
    await removeConfig();
    const message = `docker-registry serve ${configFile} did not become ready on ${host}`;
    if (output.includes('address already in use')) throw new PortTakenError(message);
    throw new Error(
      `${message}: ${errorMessage(error)}\n--- config.yml ---\n${config}--- logs ---\n${output}`,
      { cause: error },
    );
  }
  // distribution reads its config once, at start-up; removing it now leaves nothing behind
  // even when this process dies without calling stop().
  await removeConfig();
  const pid = child.pid;
  if (pid === undefined) throw new Error('docker-registry started without a pid');
  return { url: `http://${host}`, host, rootDirectory, pid, stop, logs: () => output };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
