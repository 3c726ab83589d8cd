import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';
import {
  distributionConfigYaml,
  type DistributionLogLevel,
  type TokenAuthSettings,
} from './distribution-config.js';
import { freeLoopbackPort } from './free-port.js';
import { bcryptHtpasswd } from './htpasswd.js';
import { spawnOrphanProof } from './orphan-proof-spawn.js';
import { removeOnExit } from './remove-on-exit.js';
import { closedPromise, stopChild } from './stop-child.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface DistributionOptions {
  /** storage.filesystem.rootdirectory; created if missing, left in place by stop(). */
  rootDirectory: string;
  /** storage.delete.enabled; off by default, as in distribution. */
  deleteEnabled?: boolean;
  /**
   * Turns on auth.htpasswd: HTTP Basic auth for every request, against these users (name →
   * password), hashed with bcrypt by Apache's `htpasswd` (Debian package apache2-utils). Without
   * it, the server has no auth at all.
   */
  htpasswd?: { users: Record<string, string> };
  /**
   * Turns on auth.token: Docker token auth, trusting tokens signed by a key whose certificate
   * is in `rootcertbundle` (a PEM file path) and issued by `issuer` for `service`.
   */
  token?: TokenAuthSettings;
  /** log.level: `info` by default. */
  logLevel?: DistributionLogLevel;
  /** Whether it logs a line per request (log.accesslog); on by default. */
  accessLog?: boolean;
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
  /**
   * SIGTERM, then SIGKILL after 5 s; resolves once the process is gone (and, with htpasswd, its
   * htpasswd file too).
   */
  stop(): Promise<void>;
  /** Everything the server printed so far. */
  logs(): string;
}

const readyTimeoutMs = 20_000;
const portAttempts = 3;

/**
 * Starts `docker-registry serve` on a free loopback port and waits until GET /v2/ answers 200
 * (401 with htpasswd).
 */
export async function startDistribution(
  options: DistributionOptions,
): Promise<RunningDistribution> {
  await ensureDebianPackages({ 'docker-registry': 'docker-registry' });
  const rootDirectory = resolve(options.rootDirectory);
  await mkdir(rootDirectory, { recursive: true });
  const settings: ServerSettings = {
    rootDirectory,
    deleteEnabled: options.deleteEnabled ?? false,
    htpasswd:
      options.htpasswd === undefined ? undefined : await bcryptHtpasswd(options.htpasswd.users),
    token: options.token,
    logLevel: options.logLevel ?? 'info',
    accessLog: options.accessLog ?? true,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnFreePort(settings);
    } catch (error) {
      // Another process can take the port between our probe and the server's bind.
      if (!(error instanceof PortTakenError) || attempt === portAttempts) throw error;
    }
  }
}

class PortTakenError extends Error {}

interface ServerSettings {
  rootDirectory: string;
  deleteEnabled: boolean;
  /** The htpasswd file's content, or undefined for no auth. */
  htpasswd: string | undefined;
  token: TokenAuthSettings | undefined;
  logLevel: DistributionLogLevel;
  accessLog: boolean;
}

async function startOnFreePort(settings: ServerSettings): Promise<RunningDistribution> {
  const { rootDirectory, deleteEnabled } = settings;
  const port = await freeLoopbackPort();
  const configDirectory = await mkdtemp(join(tmpdir(), 'lading-distribution-'));
  const configFile = join(configDirectory, 'config.yml');
  let htpasswdPath: string | undefined;
  if (settings.htpasswd !== undefined) {
    htpasswdPath = join(configDirectory, 'htpasswd');
    await writeFile(htpasswdPath, settings.htpasswd, { mode: 0o600 });
  }
  const config = distributionConfigYaml({
    rootDirectory,
    port,
    deleteEnabled,
    logLevel: settings.logLevel,
    accessLog: settings.accessLog,
    ...(htpasswdPath === undefined ? {} : { htpasswdPath }),
    ...(settings.token === undefined ? {} : { token: settings.token }),
  });
  await writeFile(configFile, config);

  const child = await spawnOrphanProof('docker-registry', ['serve', configFile]);
  const closed = closedPromise(child);
  let output = '';
  const capture = (text: string) => (output += text);
  child.stdout.setEncoding('utf8').on('data', capture);
  child.stderr.setEncoding('utf8').on('data', capture);

  const host = `127.0.0.1:${port}`;
  const removeConfigDirectory = () => rm(configDirectory, { recursive: true, force: true });
  const exitCleanup = removeOnExit(configDirectory);
  const stop = async () => {
    await stopChild(child, closed);
    await removeConfigDirectory();
    exitCleanup.forget();
  };
  try {
    // With auth, GET /v2/ without credentials answers 401 once the server is up.
    const readyStatus = htpasswdPath === undefined && settings.token === undefined ? 200 : 401;
    await waitUntilReady(`http://${host}/v2/`, child, readyTimeoutMs, readyStatus);
  } catch (error) {
    await stop();
    const message = `docker-registry serve ${configFile} did not become ready on ${host}`;
    if (output.includes('address already in use')) throw new PortTakenError(message);
    throw new Error(
      `${message}: ${errorMessage(error)}\n--- config.yml ---\n${config}--- logs ---\n${output}`,
      { cause: error },
    );
  }
  // distribution reads its config once, at start-up; removing it now leaves nothing behind
  // even when this process dies without calling stop(). The htpasswd file has to stay: the
  // server looks at it again on every authenticated request and answers 400 to all of them
  // once it is gone. stop() or the exit hook removes it.
  if (htpasswdPath === undefined) {
    await removeConfigDirectory();
    exitCleanup.forget();
  } else {
    await rm(configFile);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('docker-registry started without a pid');
  return { url: `http://${host}`, host, rootDirectory, pid, stop, logs: () => output };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
