import { createServer, type AddressInfo, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort } from '@lading/registry-peers';
import { expect } from 'chai';
import { sql, type Kysely } from 'kysely';
import {
  ProjectsError,
  ProjectsModel,
  isProjectsError,
  openDatabase,
  openProjectsModel,
  type DatabaseOptions,
} from '../src/index.js';
import type { Tables } from '../src/schema.js';
import { dialects } from './support/dialects.js';
import { rejection } from './support/stored.js';

const password = 'correct horse battery';
const allMigrations = ['0001-initial'];

async function migrationsRun(db: Kysely<Tables>): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

describe('opening the database (SQLite file)', () => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'lading-projects-'));
    file = join(directory, 'state', 'nested', 'projects.db');
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates the file and its directories, readable by its owner only', async () => {
    const model = await openProjectsModel({
      database: { dialect: 'sqlite', path: file },
      bcryptCost: 4,
    });
    try {
      await model.users.create({ username: 'alice', email: 'a@example.com', password });
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      // SQLite gives the write-ahead log the database file's permissions.
      expect(existsSync(`${file}-wal`)).to.equal(true);
      expect(statSync(`${file}-wal`).mode & 0o777).to.equal(0o600);
      expect(model.dialect).to.equal('sqlite');
    } finally {
      await model.close();
    }
  });

  it('runs each migration once, however often the file is opened', async () => {
    const first = await openProjectsModel({
      database: { dialect: 'sqlite', path: file },
      bcryptCost: 4,
    });
    await first.users.create({ username: 'alice', email: 'a@example.com', password });
    // A second opening while the first is still open: the CLI beside the server.
    const second = await openDatabase({ dialect: 'sqlite', path: file });
    expect(await migrationsRun(second.db)).to.deep.equal(allMigrations);
    await second.close();
    await first.close();

    const again = await openDatabase({ dialect: 'sqlite', path: file });
    try {
      expect(await migrationsRun(again.db)).to.deep.equal(allMigrations);
      const model = new ProjectsModel(again, { bcryptCost: 4 });
      expect((await model.users.authenticate('alice', password))?.username).to.equal('alice');
    } finally {
      await again.close();
    }
  });

  it('never hands out a deleted token id again', async () => {
    const database = await openDatabase({ dialect: 'sqlite', path: join(directory, 'ids.db') });
    try {
      const model = new ProjectsModel(database, { bcryptCost: 4 });
      await model.users.create({ username: 'alice', email: 'a@example.com', password });
      const first = await model.accessTokens.create('alice', { name: 'one', scopes: ['api'] });
      await database.db
        .deleteFrom('personal_access_tokens')
        .where('id', '=', first.record.id)
        .execute();
      const second = await model.accessTokens.create('alice', { name: 'two', scopes: ['api'] });
      expect(second.record.id).to.equal(first.record.id + 1);
    } finally {
      await database.close();
    }
  });

  it('says UNAVAILABLE when the file cannot be made', async () => {
    const blocker = join(directory, 'not-a-directory');
    writeFileSync(blocker, '');
    const error = await rejection(
      openDatabase({ dialect: 'sqlite', path: join(blocker, 'projects.db') }),
    );
    expect(error).to.be.instanceOf(ProjectsError);
    expect((error as ProjectsError).code).to.equal('UNAVAILABLE');
    expect((error as ProjectsError).cause).to.be.instanceOf(Error);
  });
});

describe('opening the database (PostgreSQL)', function () {
  this.timeout(120_000);
  const postgres = dialects.find((dialect) => dialect.name === 'PostgreSQL');
  if (postgres === undefined) throw new Error('no PostgreSQL dialect');

  it('says UNAVAILABLE, quickly, when nothing listens', async () => {
    const port = await freeLoopbackPort();
    const started = Date.now();
    const error = await rejection(
      openDatabase({
        dialect: 'postgres',
        connectionString: `postgres://postgres@127.0.0.1:${port}/lading`,
      }),
    );
    expect(isProjectsError(error, 'UNAVAILABLE')).to.equal(true);
    expect(isProjectsError(error, 'NOT_FOUND')).to.equal(false);
    expect(isProjectsError(error)).to.equal(true);
    expect(isProjectsError(new Error('the projects database could not be migrated'))).to.equal(
      false,
    );
    expect((error as ProjectsError).message).to.equal(
      'the projects database could not be migrated',
    );
    expect(((error as ProjectsError).cause as { code?: string }).code).to.equal('ECONNREFUSED');
    expect(Date.now() - started).to.be.below(5000);
  });

  it('says UNAVAILABLE when the server accepts but never answers, after the connection timeout', async () => {
    // A host that takes the connection and then says nothing: a hung server, a black-holing firewall.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const error = await rejection(
        openDatabase({
          dialect: 'postgres',
          connectionString: `postgres://postgres@127.0.0.1:${port}/lading`,
          connectionTimeoutMillis: 300,
        }),
      );
      expect(isProjectsError(error, 'UNAVAILABLE')).to.equal(true);
      expect(String((error as ProjectsError).cause)).to.match(/timeout/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says UNAVAILABLE when the database does not exist', async () => {
    const options = (await postgres.database()) as Extract<
      DatabaseOptions,
      { dialect: 'postgres' }
    >;
    const missing = options.connectionString.replace(/\/[^/]+$/, '/no_such_database');
    const error = await rejection(openDatabase({ dialect: 'postgres', connectionString: missing }));
    expect((error as ProjectsError).code).to.equal('UNAVAILABLE');
  });

  it('runs each migration once when several nodes open it at once, and again later', async () => {
    const options = await postgres.database();
    const opened = await Promise.all([
      openDatabase(options),
      openDatabase(options),
      openDatabase(options),
    ]);
    try {
      for (const database of opened) {
        expect(await migrationsRun(database.db)).to.deep.equal(allMigrations);
      }
      const model = new ProjectsModel(opened[0], { bcryptCost: 4 });
      await model.users.create({ username: 'alice', email: 'a@example.com', password });
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
    const model = await openProjectsModel({ database: options, bcryptCost: 4 });
    try {
      expect(model.dialect).to.equal('postgres');
      expect((await model.users.get('alice')).username).to.equal('alice');
    } finally {
      await model.close();
    }
  });

  it('outlives an idle connection the server drops', async () => {
    const options = await postgres.database();
    const database = await openDatabase(options);
    const other = await openDatabase(options);
    try {
      const model = new ProjectsModel(database, { bcryptCost: 4 });
      await model.settings.get();
      // The model's pooled connection now idles; end it from the server side.
      const { rows } = await sql<{ ended: boolean }>`
        select pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`.execute(other.db);
      expect(rows.map((row) => row.ended)).to.deep.equal([true]);
      await sleep(100);
      expect((await model.settings.get()).registryEnabled).to.equal(true);
    } finally {
      await other.close();
      await database.close();
    }
  });
});
