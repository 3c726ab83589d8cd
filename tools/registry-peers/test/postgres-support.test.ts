import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  findDebianPostgres,
  missingPostgresPrograms,
  postgresBinDirectory,
  postgresPrograms,
} from '../src/postgres-binaries.js';
import { removeAbandonedClusters } from '../src/postgres-cluster-directory.js';
import { commandAs, serverUser } from '../src/postgres-server-user.js';
import { temporaryDirectory } from './helpers.js';

/** Executable stand-ins for `programs` in `directory`. */
async function fakePrograms(directory: string, programs: readonly string[]): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const program of programs) {
    await writeFile(join(directory, program), '#!/bin/sh\n', { mode: 0o755 });
  }
}

/** A pid that belonged to a process a moment ago and now belongs to none. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

describe('finding the PostgreSQL server', () => {
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    temporary = await temporaryDirectory();
  });
  afterEach(() => temporary.remove());

  it('takes the newest <major>/bin that has every program', async () => {
    const root = temporary.path;
    await fakePrograms(join(root, '9.6/bin'), postgresPrograms);
    await fakePrograms(join(root, '13/bin'), postgresPrograms);
    // A client-only install: psql and pg_isready, but no server.
    await fakePrograms(join(root, '16/bin'), ['psql', 'pg_isready']);
    await fakePrograms(join(root, 'lib/bin'), postgresPrograms);
    expect(await findDebianPostgres(root)).to.equal(join(root, '13/bin'));
    expect(await missingPostgresPrograms(join(root, '16/bin'))).to.deep.equal([
      'initdb',
      'postgres',
    ]);
  });

  it('is not fooled by a client alone, or a program that is not executable', async () => {
    const root = temporary.path;
    expect(await findDebianPostgres(join(root, 'missing'))).to.equal(undefined);
    await fakePrograms(join(root, '15/bin'), postgresPrograms);
    await chmod(join(root, '15/bin/postgres'), 0o644);
    expect(await findDebianPostgres(root)).to.equal(undefined);
    expect(await missingPostgresPrograms(join(root, '15/bin'))).to.deep.equal(['postgres']);
  });

  it('uses the one under /usr/lib/postgresql, installing it when missing', async () => {
    expect(await postgresBinDirectory()).to.match(/^\/usr\/lib\/postgresql\/[\d.]+\/bin$/);
  });
});

describe('abandoned cluster directories', () => {
  it('are removed once their test process is gone, and only then', async () => {
    const temporary = await temporaryDirectory();
    try {
      const base = temporary.path;
      const abandoned = join(base, `lading-postgres-${await deadPid()}-AbC123`);
      const ours = join(base, `lading-postgres-${process.pid}-AbC123`);
      const unrelated = join(base, `lading-postgres-${await deadPid()}-too-long`);
      for (const directory of [abandoned, ours, unrelated]) {
        await mkdir(join(directory, 'data/base'), { recursive: true });
      }
      expect(await removeAbandonedClusters(base)).to.deep.equal([abandoned]);
      expect(existsSync(abandoned)).to.equal(false);
      expect(existsSync(ours)).to.equal(true);
      expect(existsSync(unrelated)).to.equal(true);
      expect(await removeAbandonedClusters(join(base, 'missing'))).to.deep.equal([]);
    } finally {
      await temporary.remove();
    }
  });
});

describe('the user that runs PostgreSQL', () => {
  it('is this process’s own unless it is root', async () => {
    expect(await serverUser(false)).to.equal(undefined);
    expect(commandAs(undefined, '/bin/initdb', ['-D', 'x'])).to.deep.equal([
      '/bin/initdb',
      ['-D', 'x'],
    ]);
  });

  it('is a system user for root, switched to by setpriv', async () => {
    const user = await serverUser(true, 'root');
    expect(user).to.deep.equal({ uid: 0, gid: 0 });
    expect(commandAs({ uid: 101, gid: 104 }, '/bin/initdb', ['-D', 'x'])).to.deep.equal([
      'setpriv',
      ['--reuid', '101', '--regid', '104', '--clear-groups', '--', '/bin/initdb', '-D', 'x'],
    ]);
  });

  it('must exist when this process is root', async () => {
    try {
      await serverUser(true, 'lading-no-such-user');
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include(
        'initdb and postgres refuse to run as root, and there is no "lading-no-such-user" user',
      );
    }
  });
});
