import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort } from './free-port.js';
import { spawnOrphanProof, type SwitchToUser } from './orphan-proof-spawn.js';
import { postgresBinDirectory } from './postgres-binaries.js';
import { createClusterDirectory, removeAbandonedClusters } from './postgres-cluster-directory.js';
import { commandAs, serverUser } from './postgres-server-user.js';
import { removeOnExit } from './remove-on-exit.js';
import { removeTree } from './remove-tree.js';
import { runCommand } from './run-command.js';
import { closedPromise, stopChild } from './stop-child.js';

export interface PostgresOptions {
  /**
   * Where initdb, postgres, pg_isready and psql are. By default the newest
   * /usr/lib/postgresql/<major>/bin, after installing Debian's `postgresql` if there is none.
   */
  binDirectory?: string;
  /** More server settings, each passed as `-c NAME=VALUE` after the defaults, so they win. */
  settings?: Record<string, string>;
}

/** A private PostgreSQL cluster in a temp dir, listening on 127.0.0.1 only. */
export interface RunningPostgres {
  /**
   * postgres://postgres@127.0.0.1:PORT/postgres — ready to use with the `pg` npm client, no
   * password needed (trust auth on loopback for that cluster only)
   */
  readonly connectionString: string;
  readonly port: number;
  /** The postmaster's pid, for checks that it is gone after stop(). */
  readonly pid: number;
  /** The cluster's temp dir: `data/` (PGDATA) and the unix socket. stop() removes it. */
  readonly directory: string;
  /**
   * Creates a fresh, empty database on this server and returns its connection string (so test
   * suites can isolate themselves). `name` must be a lower-case SQL identifier (a–z, 0–9, _,
   * at most 63 characters); by default a random `lading_<hex>`.
   */
  createDatabase(name?: string): Promise<string>;
  /**
   * Fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends: clients are disconnected, not
   * waited for), SIGKILL after 10 s, then removes the cluster's temp dir; idempotent.
   */
  stop(): Promise<void>;
  /** Everything the server logged so far. */
  logs(): string;
}

/** The cluster's superuser: initdb -U, the same name on every machine. */
const superuser = 'postgres';
const host = '127.0.0.1';
const readyTimeoutMs = 30_000;
const pollEveryMs = 25;
const portAttempts = 3;
const killAfterMs = 10_000;
const databaseName = /^[a-z_][a-z0-9_]{0,62}$/;

// Speed over durability: a test cluster is never recovered, only thrown away.
const defaultSettings: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  // Dynamic shared memory in files under data/ rather than in /dev/shm, where a killed server
  // would leave its segments behind.
  dynamic_shared_memory_type: 'mmap',
};

/**
 * initdb's a new cluster in a fresh temp dir and runs `postgres` on it, on a free port on
 * 127.0.0.1 with its unix socket in that dir, until it accepts connections.
 *
 * postgres runs in the foreground as our child rather than daemonized by `pg_ctl start`: the
 * pid we hold is the postmaster's, so stop() signals and waits for exactly it, and it carries
 * the parent-death signal (spawnOrphanProof), so even a SIGKILLed test run takes it along. A
 * pg_ctl-started server is reparented to init and would outlive a crashed run.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const binDirectory = await postgresBinDirectory(options.binDirectory);
  const user = await serverUser();
  await removeAbandonedClusters();
  const directory = await createClusterDirectory();
  const exitCleanup = removeOnExit(directory);
  try {
    // initdb and postgres run as `user`, so the directory must be theirs; 0700 from mkdtemp.
    if (user !== undefined) await chown(directory, user.uid, user.gid);
    const dataDirectory = join(directory, 'data');
    await initdb(binDirectory, user, directory, dataDirectory);
    const settings = { ...defaultSettings, ...options.settings };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await startOnFreePort({ binDirectory, user, directory, settings }, () => {
          exitCleanup.forget();
        });
      } catch (error) {
        // Another process can take the port between our probe and the server's bind.
        if (!(error instanceof PortTakenError) || attempt === portAttempts) throw error;
      }
    }
  } catch (error) {
    await removeTree(directory);
    exitCleanup.forget();
    throw error;
  }
}

async function initdb(
  binDirectory: string,
  user: SwitchToUser | undefined,
  directory: string,
  dataDirectory: string,
): Promise<void> {
  const [command, args] = commandAs(user, join(binDirectory, 'initdb'), [
    '--pgdata',
    dataDirectory,
    // Trust, also over TCP: the server listens on 127.0.0.1 only, and only for one test run.
    '--auth=trust',
    '--username',
    superuser,
    '--encoding=UTF8',
    // The same collation everywhere, whatever LANG the machine has.
    '--locale=C',
    '--no-sync',
  ]);
  // The working directory must be one `user` may enter.
  await runCommand(command, args, { cwd: directory });
}

class PortTakenError extends Error {}

interface Cluster {
  binDirectory: string;
  user: SwitchToUser | undefined;
  directory: string;
  settings: Record<string, string>;
}

async function startOnFreePort(cluster: Cluster, removed: () => void): Promise<RunningPostgres> {
  const { binDirectory, user, directory, settings } = cluster;
  const port = await freeLoopbackPort();
  const dataDirectory = join(directory, 'data');
  const args = [
    ...['-D', dataDirectory, '-k', directory, '-h', host, '-p', String(port)],
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const child = await spawnOrphanProof(join(binDirectory, 'postgres'), args, {
    cwd: directory,
    user,
  });
  const closed = closedPromise(child);
  let output = '';
  const capture = (text: string) => (output += text);
  child.stdout.setEncoding('utf8').on('data', capture);
  child.stderr.setEncoding('utf8').on('data', capture);

  try {
    await waitUntilAccepting(binDirectory, port, child, () => output);
  } catch (error) {
    await stopChild(child, closed, killAfterMs, 'SIGINT');
    const message = `postgres did not start on ${host}:${port}`;
    if (output.includes('Address already in use')) throw new PortTakenError(message);
    throw new Error(`${message}: ${errorMessage(error)}\n--- logs ---\n${output}`, {
      cause: error,
    });
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('postgres started without a pid');
  await releaseSharedMemoryWithServer(dataDirectory);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await stopChild(child, closed, killAfterMs, 'SIGINT');
      await removeTree(directory);
      removed();
    })());
  const urlFor = (database: string) => `postgres://${superuser}@${host}:${port}/${database}`;
  const createDatabase = async (name = `lading_${randomBytes(6).toString('hex')}`) => {
    if (!databaseName.test(name)) {
      throw new Error(
        `invalid database name ${JSON.stringify(name)}: use a–z, 0–9 and _, at most 63 ` +
          'characters, not starting with a digit',
      );
    }
    if (stopping !== undefined) throw new Error(`createDatabase(${name}): the server is stopped`);
    // Over the unix socket; a clean environment keeps PGHOST, PGOPTIONS, PGSERVICE, ~/.pgpass
    // and the like out of it, and -X skips ~/.psqlrc. The name is validated, so quoting is safe.
    await runCommand(
      join(binDirectory, 'psql'),
      [
        ...['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', directory, '-p', String(port)],
        ...['-U', superuser, '-d', 'postgres', '-c', `CREATE DATABASE "${name}"`],
      ],
      { inheritEnv: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
    );
    return urlFor(name);
  };
  return {
    connectionString: urlFor('postgres'),
    port,
    pid,
    directory,
    createDatabase,
    stop,
    logs: () => output,
  };
}

/**
 * Until pg_isready says the server on `port` accepts connections and our own server has said
 * it listens there, not some other server that took the port first. Fails early if `child`
 * exits, or after readyTimeoutMs.
 */
async function waitUntilAccepting(
  binDirectory: string,
  port: number,
  child: ChildProcess,
  logs: () => string,
): Promise<void> {
  const listening = `listening on IPv4 address "${host}", port ${port}`;
  const isReady = [
    ...['-q', '-h', host, '-p', String(port)],
    // Without -U and -d it asks for the caller's name, and the server logs a FATAL for it.
    ...['-U', superuser, '-d', 'postgres', '-t', '2'],
  ];
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `postgres exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`,
      );
    }
    if (logs().includes(listening)) {
      try {
        await runCommand(join(binDirectory, 'pg_isready'), isReady);
        return;
      } catch {
        // Exit code 1: still starting up; 2: no answer yet.
      }
    }
    await sleep(pollEveryMs);
  }
  throw new Error(`timed out after ${readyTimeoutMs} ms`);
}

/**
 * Marks the server's System V shared memory segment (a small interlock postgres keeps beside
 * its mmap'ed memory) for removal now, so the kernel frees it once the last postgres process
 * detaches, however the server ends. Killed with SIGKILL, as when the test process dies,
 * postgres would leave it behind for good. The cost: at a clean shutdown postgres tries to
 * remove it too and logs "shmctl(ID, 0, 0) failed: Invalid argument". The id is on line 7 of
 * postmaster.pid ("KEY ID"). Best effort: without ipcrm nothing worse happens than the leak.
 */
async function releaseSharedMemoryWithServer(dataDirectory: string): Promise<void> {
  try {
    const lockFile = await readFile(join(dataDirectory, 'postmaster.pid'), 'utf8');
    const id = /^\s*\d+\s+(\d+)\s*$/.exec(lockFile.split('\n')[6] ?? '')?.[1];
    if (id !== undefined) await runCommand('ipcrm', ['-m', id]);
  } catch {
    // Leave it to postgres's own shutdown.
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
