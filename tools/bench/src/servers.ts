import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ensureDebianPackages,
  freeLoopbackPort,
  startDistribution,
  startServerProcess,
  waitUntilReady,
} from '@lading/registry-peers';
import { onInterrupt, removeAtExit } from './cleanup.js';

export type ServerName = 'lading' | 'distribution';
export const serverNames: readonly ServerName[] = ['lading', 'distribution'];

/** One registry process on fresh storage, for one run of one workload. */
export interface BenchServer {
  name: ServerName;
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** Everything it printed, for failure messages. */
  logs(): string;
  /** Stops the process and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export interface ServerSettings {
  /** apps/registry/dist/cli.js */
  ladingCli: string;
  /** Where run directories go; each server gets a new one, removed by stop(). */
  baseDirectory: string;
}

const readyTimeoutMs = 30_000;
const portAttempts = 3;

/** distribution's version line, e.g. `docker-registry github.com/docker/distribution 2.8.2+ds1`. */
export async function distributionVersion(): Promise<string> {
  await ensureDebianPackages({ 'docker-registry': 'docker-registry' });
  const { stdout } = await promisify(execFile)('docker-registry', ['--version']);
  return stdout.trim();
}

/**
 * The config.yml Lading runs with: filesystem storage, deletes on, no auth, logging only
 * warnings and no access log (as distribution is run), plain HTTP on 127.0.0.1.
 */
export function ladingConfigYaml(rootDirectory: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(rootDirectory)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(`127.0.0.1:${port}`)}`,
    '',
  ].join('\n');
}

export interface ServerVariant {
  /**
   * Lading only: run it under Debian's `eatmydata`, which makes fsync and its kin return at
   * once without flushing anything (installed with apt-get when missing, as root).
   */
  withoutFsync?: boolean;
  /**
   * Leave the run's directory when the server stops, for the bench to remove with its base
   * directory at the end: deleting thousands of files would slow the next runs (see
   * `Workload.keepsStorageUntilTheEnd`).
   */
  keepStorage?: boolean;
}

/** Starts `name` on fresh storage in a new directory under settings.baseDirectory. */
export async function startServer(
  name: ServerName,
  settings: ServerSettings,
  variant: ServerVariant = {},
): Promise<BenchServer> {
  if (variant.withoutFsync === true && name !== 'lading') {
    throw new Error(`only Lading runs without fsync, not ${name}`);
  }
  const directory = await mkdtemp(join(settings.baseDirectory, `${name}-`));
  const forgetDirectory = removeAtExit(directory);
  const removeDirectory = async () => {
    await rm(directory, { recursive: true, force: true });
    forgetDirectory();
  };
  let server: Omit<BenchServer, 'stop'>;
  let stopProcess: () => Promise<void>;
  try {
    ({ server, stopProcess } =
      name === 'lading'
        ? await startLading(settings.ladingCli, directory, variant.withoutFsync === true)
        : await startDistributionServer(directory));
  } catch (error) {
    await removeDirectory();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await stopProcess();
      } finally {
        // Kept: it goes with the base directory, which has its own clean-up at exit.
        if (variant.keepStorage === true) forgetDirectory();
        else await removeDirectory();
        forgetInterrupt();
      }
    })());
  const forgetInterrupt = onInterrupt(stop);
  return { ...server, stop };
}

interface Started {
  server: Omit<BenchServer, 'stop'>;
  stopProcess: () => Promise<void>;
}

/**
 * Extra Node options for the Lading server, from `LADING_BENCH_NODE_ARGS`
 * (space-separated): `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
function ladingNodeArguments(): string[] {
  return (process.env.LADING_BENCH_NODE_ARGS ?? '').split(' ').filter((part) => part !== '');
}

/** The command that runs Lading: node itself, or node under eatmydata. */
async function ladingCommand(withoutFsync: boolean): Promise<[string, string[]]> {
  if (!withoutFsync) return [process.execPath, []];
  await ensureDebianPackages({ eatmydata: 'eatmydata' });
  return ['eatmydata', [process.execPath]];
}

async function startLading(
  cli: string,
  directory: string,
  withoutFsync: boolean,
): Promise<Started> {
  const rootDirectory = join(directory, 'data');
  await mkdir(rootDirectory);
  const [command, prefix] = await ladingCommand(withoutFsync);
  for (let attempt = 1; ; attempt += 1) {
    const port = await freeLoopbackPort();
    const configFile = join(directory, 'config.yml');
    await writeFile(configFile, ladingConfigYaml(rootDirectory, port));
    const child = await startServerProcess(
      'lading',
      command,
      [...prefix, ...ladingNodeArguments(), cli, 'serve', configFile],
      { cwd: directory },
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(`${url}/v2/`, child.child, readyTimeoutMs);
      return {
        server: { name: 'lading', url, pid: child.pid, logs: () => child.output() },
        stopProcess: () => child.stop(),
      };
    } catch (error) {
      await child.stop();
      const output = child.output();
      if (output.includes('EADDRINUSE') && attempt < portAttempts) continue;
      throw new Error(
        `lading serve did not become ready on ${url}: ${error instanceof Error ? error.message : String(error)}\n--- output ---\n${output}`,
        { cause: error },
      );
    }
  }
}

async function startDistributionServer(directory: string): Promise<Started> {
  const registry = await startDistribution({
    rootDirectory: join(directory, 'data'),
    deleteEnabled: true,
    logLevel: 'warn',
    accessLog: false,
  });
  return {
    server: {
      name: 'distribution',
      url: registry.url,
      pid: registry.pid,
      logs: () => registry.logs(),
    },
    stopProcess: () => registry.stop(),
  };
}
