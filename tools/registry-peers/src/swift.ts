import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';
import { freeLoopbackPort } from './free-port.js';
import { removeAbandonedTempDirectories } from './owned-temp-directory.js';
import { PortTakenError, startInOwnedDirectory } from './owned-server-start.js';
import { removeTree } from './remove-tree.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import {
  devicesDirectory,
  proxyServerConf,
  storageServerConf,
  swiftConf,
  swiftCredentials,
  type IniSections,
  type SwiftLayout,
} from './swift-config.js';
import { swiftLauncherScript, swiftServerCommand, type SwiftServerType } from './swift-launcher.js';
import { startMemcached, waitForMemcached } from './swift-memcached.js';
import { buildSwiftRings, swiftDevice } from './swift-rings.js';
import { tempAuth } from './swift-tempauth.js';
import { checkUserXattrs } from './swift-xattrs.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface SwiftOptions {
  /**
   * More proxy-server.conf settings by section, merged over the defaults and winning, e.g.
   * `{ 'filter:s3api': { max_bucket_listing: '2' } }` to make S3 listings page early.
   */
  proxySettings?: IniSections;
  /** swift.conf's [swift-constraints], e.g. `{ container_listing_limit: '100' }`. */
  constraints?: Record<string, string>;
}

/** The processes of one all-in-one. */
export type SwiftProcessName = 'memcached' | 'account' | 'container' | 'object' | 'proxy';

/** A single-node OpenStack Swift in a temp dir, on 127.0.0.1 only. */
export interface RunningSwift {
  /** The S3 API (s3api): path-style only, SigV4 for us-east-1. */
  readonly s3: {
    endpoint: string;
    region: 'us-east-1';
    accessKeyId: string;
    secretAccessKey: string;
  };
  /** The native API: TempAuth v1 at `authUrl`, whose storage URL is …/v1/AUTH_test. */
  readonly swift: { authUrl: string; user: string; key: string };
  /** swift.conf, rings, configs and `devices/d1` (the data). stop() removes it. */
  readonly directory: string;
  /** Each server's pid, for checks that it is gone after stop(). */
  readonly pids: Readonly<Record<SwiftProcessName, number>>;
  /**
   * Creates a bucket (a Swift container in AUTH_test, the same thing to s3api) and returns its
   * name: an S3 bucket name (3–63 of a–z, 0–9, `.`, `-`); by default a random
   * `lading-<hex>`. Rejects if it exists.
   */
  createBucket(name?: string): Promise<string>;
  /** Stops every process (SIGTERM, SIGKILL after 5 s), then removes `directory`; idempotent. */
  stop(): Promise<void>;
  /** What every process printed, process by process. */
  logs(): string;
}

/** The Debian packages, each found by a command it installs. */
const swiftCommands = {
  'swift-ring-builder': 'swift',
  'swift-account-server': 'swift-account',
  'swift-container-server': 'swift-container',
  'swift-object-server': 'swift-object',
  'swift-proxy-server': 'swift-proxy',
  memcached: 'memcached',
};

// lading-swift-<pid of the test process>-XXXXXX.
const directoryPrefix = 'lading-swift-';
const readyTimeoutMs = 30_000;
const bucketName = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Starts memcached, Swift's account, container and object servers and its proxy, each on a
 * free port on 127.0.0.1, from a fresh temp dir, and resolves once a TempAuth login works and
 * its token is accepted. Installs Debian's swift packages and memcached first if missing.
 */
export async function startSwift(options: SwiftOptions = {}): Promise<RunningSwift> {
  await ensureDebianPackages(swiftCommands);
  await removeAbandonedTempDirectories(directoryPrefix);
  return startInOwnedDirectory(directoryPrefix, (directory, keep) =>
    startInDirectory(directory, options, keep),
  );
}

async function startInDirectory(
  directory: string,
  options: SwiftOptions,
  removed: () => void,
): Promise<RunningSwift> {
  const layout = await prepare(directory, options);
  const { ports } = layout;
  const endpoint = `http://127.0.0.1:${String(ports.proxy)}`;
  const authUrl = `${endpoint}/auth/v1.0`;
  const user = `${swiftCredentials.account}:${swiftCredentials.user}`;
  const { key } = swiftCredentials;

  const servers = new Map<SwiftProcessName, ServerProcess>();
  const logs = () =>
    [...servers.values()].map((server) => `--- ${server.name} ---\n${server.output()}`).join('\n');
  const stopAll = () => Promise.all([...servers.values()].map((server) => server.stop()));
  try {
    const memcached = await startMemcached(ports.memcached, directory);
    servers.set('memcached', memcached);
    for (const type of ['account', 'container', 'object'] as const) {
      servers.set(type, await startSwiftServer(layout, `${type}-server`));
    }
    // The storage servers need no ring to start, the proxy does.
    await buildSwiftRings(directory, ports);
    // Before the proxy's first try: its memcache client would stop trying for a minute after
    // ten failures.
    await waitForMemcached(memcached, ports.memcached, 10_000);
    servers.set('proxy', await startSwiftServer(layout, 'proxy-server'));
    await waitUntilServing(layout, servers, { authUrl, user, key });
  } catch (error) {
    await stopAll();
    const output = logs();
    const message = `Swift did not start in ${directory}`;
    if (/Address already in use|Could not bind to/.test(output)) throw new PortTakenError(message);
    throw new Error(`${message}: ${errorMessage(error)}\n--- logs ---\n${output}`, {
      cause: error,
    });
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopAll();
      await removeTree(directory);
      removed();
    })());
  const createBucket = async (name = `lading-${randomBytes(6).toString('hex')}`) => {
    if (!bucketName.test(name)) {
      throw new Error(
        `invalid bucket name ${JSON.stringify(name)}: use 3–63 of a–z, 0–9, . and -, ` +
          'starting and ending with a letter or digit',
      );
    }
    if (stopping !== undefined) throw new Error(`createBucket(${name}): Swift is stopped`);
    const { token, storageUrl } = await tempAuth(authUrl, user, key);
    const response = await fetch(`${storageUrl}/${name}`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': token },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    // 202: it exists already.
    if (response.status !== 201) {
      throw new Error(`createBucket(${name}): PUT answered ${String(response.status)} ${body}`);
    }
    return name;
  };
  const pids = Object.fromEntries(
    [...servers].map(([name, server]) => [name, server.pid]),
  ) as Record<SwiftProcessName, number>;
  return {
    s3: { endpoint, region: 'us-east-1', accessKeyId: user, secretAccessKey: key },
    swift: { authUrl, user, key },
    directory,
    pids,
    createBucket,
    stop,
    logs,
  };
}

/** The device directory, swift.conf, the configs and the launcher; checks user xattrs. */
async function prepare(directory: string, options: SwiftOptions): Promise<SwiftLayout> {
  const device = join(devicesDirectory(directory), swiftDevice);
  await mkdir(device, { recursive: true });
  await mkdir(join(directory, 'cache'));
  await checkUserXattrs(device);
  const layout: SwiftLayout = { directory, ports: await distinctFreePorts() };
  const hash = { prefix: randomHex(), suffix: randomHex() };
  await writeFile(join(directory, 'swift.conf'), swiftConf(hash, options.constraints));
  for (const type of ['account', 'container', 'object'] as const) {
    await writeFile(join(directory, `${type}-server.conf`), storageServerConf(type, layout));
  }
  const proxyConf = proxyServerConf(layout, options.proxySettings);
  await writeFile(join(directory, 'proxy-server.conf'), proxyConf);
  await writeFile(join(directory, 'swift-server.py'), swiftLauncherScript);
  return layout;
}

function startSwiftServer(layout: SwiftLayout, type: SwiftServerType): Promise<ServerProcess> {
  const { directory } = layout;
  const launcher = join(directory, 'swift-server.py');
  const [command, args] = swiftServerCommand(
    launcher,
    directory,
    type,
    join(directory, `${type}.conf`),
  );
  return startServerProcess(type, command, args, { cwd: directory });
}

/**
 * Until every Swift server answers /healthcheck, a TempAuth login works and the proxy accepts
 * its token (memcached holds it). Fails early if a server exits, or after readyTimeoutMs.
 */
async function waitUntilServing(
  layout: SwiftLayout,
  servers: ReadonlyMap<SwiftProcessName, ServerProcess>,
  login: { authUrl: string; user: string; key: string },
): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  await Promise.all(
    (['account', 'container', 'object', 'proxy'] as const).map(async (name) => {
      const server = servers.get(name);
      if (server === undefined) throw new Error(`no ${name} server`);
      const url = `http://127.0.0.1:${String(layout.ports[name])}/healthcheck`;
      try {
        await waitUntilReady(url, server.child, deadline - Date.now());
      } catch (error) {
        throw new Error(`${server.name}: ${errorMessage(error)}`, { cause: error });
      }
    }),
  );
  let lastProblem: unknown;
  while (Date.now() < deadline) {
    try {
      const { token, storageUrl } = await tempAuth(login.authUrl, login.user, login.key);
      const response = await fetch(storageUrl, {
        method: 'HEAD',
        headers: { 'X-Auth-Token': token },
        signal: AbortSignal.timeout(5_000),
      });
      // 204, or 200 while the account does not exist yet (account_autocreate).
      if (response.ok) return;
      lastProblem = `HEAD ${storageUrl} answered ${String(response.status)}`;
    } catch (error) {
      lastProblem = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no working TempAuth login: ${errorMessage(lastProblem)}`);
}

/** Five different free ports: the kernel may hand out the same one twice in a row. */
async function distinctFreePorts(): Promise<SwiftLayout['ports']> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freeLoopbackPort());
  const [proxy, account, container, object, memcached] = [...ports] as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { proxy, account, container, object, memcached };
}

function randomHex(): string {
  return randomBytes(16).toString('hex');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
