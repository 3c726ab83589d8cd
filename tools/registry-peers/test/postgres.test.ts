import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import pg from 'pg';
import { CommandFailedError, startPostgres, type RunningPostgres } from '../src/index.js';
import { removeAbandonedClusters } from '../src/postgres-cluster-directory.js';
import { cleanupStack, eventually, processIsGone, temporaryDirectory } from './helpers.js';

const run = promisify(execFile);
const abandonedPostgres = fileURLToPath(
  new URL('./fixtures/abandoned-postgres.ts', import.meta.url),
);
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const nobody = 65534;

interface Started {
  pid: number;
  port: number;
  directory: string;
  database?: string;
  uid?: number;
}

/** Runs one query on a fresh connection to `connectionString`. */
async function query<Row extends pg.QueryResultRow>(
  connectionString: string,
  sql: string,
): Promise<Row[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The real user id of `pid`, from /proc. */
async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

/** System V shared memory segments created by `pid` (columns of /proc/sysvipc/shm). */
async function sharedMemoryOf(pid: number): Promise<string[]> {
  const table = (await readFile('/proc/sysvipc/shm', 'utf8')).trim().split('\n').slice(1);
  return table.filter((line) => line.trim().split(/\s+/)[4] === String(pid));
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

/** Runs the fixture that starts a server (through setpriv with `setprivArgs`) and reports it. */
async function startAbandoned(
  ending: 'exit' | 'hang' | 'stop',
  setprivArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Started & { kill: () => void; exited: Promise<unknown> }> {
  const command = [process.execPath, '--import', 'tsx', abandonedPostgres, ending];
  // The fixture may run as another user, who cannot write c8's coverage directory; it is
  // test code, so it needs no coverage anyway.
  const { NODE_V8_COVERAGE: _coverage, ...fixtureEnv } = env;
  const child = spawn('setpriv', [...setprivArgs, '--', ...command], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: packageDirectory,
    env: fixtureEnv,
  });
  const exited = once(child, 'exit');
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { ...(JSON.parse(line) as Started), kill: () => child.kill('SIGKILL'), exited };
}

function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('startPostgres', function () {
  this.timeout(120_000);
  const cleanups = cleanupStack();
  let server: RunningPostgres;

  before(async () => {
    server = await startPostgres();
    cleanups.add(() => server.stop());
  });
  after(() => cleanups.run());

  it('listens on 127.0.0.1 only, as a user other than root, in a private temp dir', async () => {
    expect(server.connectionString).to.equal(
      `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    );
    const [row] = await query<{ listen: string; socket: string; fsync: string; addr: string }>(
      server.connectionString,
      `SELECT current_setting('listen_addresses') AS listen,
              current_setting('unix_socket_directories') AS socket,
              current_setting('fsync') AS fsync,
              host(inet_server_addr()) AS addr`,
    );
    expect(row).to.deep.equal({
      listen: '127.0.0.1',
      socket: server.directory,
      fsync: 'off',
      addr: '127.0.0.1',
    });
    const directory = await stat(server.directory);
    expect(directory.mode & 0o777).to.equal(0o700);
    if (process.getuid?.() === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      expect(await uidOf(server.pid)).to.equal(Number(stdout));
      expect(directory.uid).to.equal(Number(stdout));
    } else {
      expect(await uidOf(server.pid)).to.equal(process.getuid?.());
    }
    expect(server.logs()).to.include('database system is ready to accept connections');
  });

  it('creates separate, empty databases', async () => {
    const first = await server.createDatabase('lading_first');
    const second = await server.createDatabase();
    expect(first).to.equal(`postgres://postgres@127.0.0.1:${server.port}/lading_first`);
    expect(second).to.match(
      new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${server.port}/lading_[0-9a-f]{12}$`),
    );

    await query(first, 'CREATE TABLE blobs (digest text PRIMARY KEY)');
    await query(first, "INSERT INTO blobs VALUES ('sha256:aa')");
    const [inFirst] = await query<{ db: string; n: string }>(
      first,
      'SELECT current_database() AS db, count(*) AS n FROM blobs',
    );
    expect(inFirst).to.deep.equal({ db: 'lading_first', n: '1' });
    const [inSecond] = await query<{ db: string; table: string | null }>(
      second,
      "SELECT current_database() AS db, to_regclass('blobs')::text AS table",
    );
    expect(inSecond).to.deep.equal({ db: second.slice(second.lastIndexOf('/') + 1), table: null });
  });

  it('refuses database names that are not plain lower-case identifiers', async () => {
    const refused = ['', 'Upper', '1st', 'a-b', 'a"b', 'a; DROP DATABASE postgres', 'x'.repeat(64)];
    for (const name of refused) {
      try {
        await server.createDatabase(name);
        expect.fail(`must refuse ${JSON.stringify(name)}`);
      } catch (error) {
        expect(String(error)).to.include('invalid database name');
      }
    }
    await server.createDatabase('x'.repeat(63));
  });

  it('rejects with psql’s error when the database exists', async () => {
    await server.createDatabase('lading_twice');
    try {
      await server.createDatabase('lading_twice');
      expect.fail('must throw');
    } catch (error) {
      expect(error).to.be.instanceOf(CommandFailedError);
      expect((error as CommandFailedError).stderr).to.include(
        'database "lading_twice" already exists',
      );
    }
  });

  it('passes extra settings to the server', async () => {
    const tuned = await startPostgres({ settings: { max_connections: '7', fsync: 'on' } });
    try {
      const [row] = await query<{ max: string; fsync: string }>(
        tuned.connectionString,
        "SELECT current_setting('max_connections') AS max, current_setting('fsync') AS fsync",
      );
      expect(row).to.deep.equal({ max: '7', fsync: 'on' });
    } finally {
      await tuned.stop();
    }
  });

  it('refuses a bin directory without the programs, and leaves no temp dir', async () => {
    const temporary = await temporaryDirectory();
    try {
      await mkdir(join(temporary.path, 'bin'));
      await startPostgres({ binDirectory: join(temporary.path, 'bin') });
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include('has no executable initdb, postgres, pg_isready, psql');
    } finally {
      await temporary.remove();
    }
  });
});

describe('stopping PostgreSQL', function () {
  this.timeout(120_000);

  it('stops without waiting for connected clients, and leaves nothing behind', async () => {
    const server = await startPostgres();
    const client = new pg.Client({ connectionString: await server.createDatabase() });
    client.on('error', () => undefined); // the server hangs up on it
    await client.connect();
    try {
      expect(await sharedMemoryOf(server.pid)).to.have.length(1);
      const started = performance.now();
      await server.stop();
      // Fast shutdown; SIGTERM would wait for `client` to leave (the SIGKILL comes after 10 s).
      expect(performance.now() - started).to.be.below(5_000);
      expect(server.logs()).to.include('received fast shutdown request');
      expect(await processIsGone(server.pid), 'process gone').to.equal(true);
      expect(existsSync(server.directory), 'temp dir removed').to.equal(false);
      expect(await sharedMemoryOf(server.pid)).to.deep.equal([]);
      expect(await portIsFree(server.port)).to.equal(true);
      await server.stop(); // a second stop is harmless
      try {
        await server.createDatabase();
        expect.fail('must throw');
      } catch (error) {
        expect(String(error)).to.include('the server is stopped');
      }
    } finally {
      await client.end().catch(() => undefined);
      await server.stop();
    }
  });

  for (const ending of ['hang', 'exit'] as const) {
    const how = ending === 'hang' ? 'is killed with SIGKILL' : 'exits without stopping it';
    it(`dies with a test process that ${how}`, async () => {
      const abandoned = await startAbandoned(ending);
      try {
        if (ending === 'hang') {
          expect(await processIsGone(abandoned.pid)).to.equal(false);
          abandoned.kill();
        }
        await abandoned.exited;
        expect(await eventually(() => processIsGone(abandoned.pid), 5_000), 'gone').to.equal(true);
        // Marked for removal at start, the segment goes with the last postgres process.
        const segmentGone = async () => (await sharedMemoryOf(abandoned.pid)).length === 0;
        expect(await eventually(segmentGone, 5_000), 'shared memory gone').to.equal(true);
        if (ending === 'exit') {
          expect(existsSync(abandoned.directory), 'removed by the exit hook').to.equal(false);
        } else {
          // No hook runs on SIGKILL; the next start clears the directory instead.
          expect(existsSync(abandoned.directory), 'left behind').to.equal(true);
          expect(await removeAbandonedClusters()).to.include(abandoned.directory);
          expect(existsSync(abandoned.directory), 'cleared').to.equal(false);
        }
      } finally {
        killIfRunning(abandoned.pid);
      }
    });
  }

  it('runs as an ordinary user too, as that user', async () => {
    // As root, the fixture runs as nobody; otherwise it is an ordinary user already.
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? nobody : process.getuid?.();
    const temporary = await temporaryDirectory();
    try {
      // A TMPDIR of that user's own, for the cluster and for tsx's cache.
      const tmp = join(temporary.path, 'tmp');
      await mkdir(tmp);
      if (asRoot) {
        await run('chown', [`${nobody}:${nobody}`, tmp]);
        await run('chmod', ['755', temporary.path]);
      }
      const setprivArgs = asRoot
        ? [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups']
        : [];
      const started = await startAbandoned('stop', setprivArgs, { ...process.env, TMPDIR: tmp });
      await started.exited;
      expect(started.directory.startsWith(`${tmp}/lading-postgres-`)).to.equal(true);
      expect(started.uid).to.equal(user);
      expect(started.database).to.match(/^lading_[0-9a-f]{12}$/);
      expect(existsSync(started.directory)).to.equal(false);
    } finally {
      await temporary.remove();
    }
  });
});
