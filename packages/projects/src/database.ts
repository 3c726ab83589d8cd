import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { debuglog } from 'node:util';
import type SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { ProjectsError } from './errors.js';
import { migrationProvider, type Dialect } from './migrations.js';
import type { Tables } from './schema.js';

const debug = debuglog('lading:projects');

/** Where the model is kept. */
export type DatabaseOptions =
  | {
      readonly dialect: 'sqlite';
      /** A file (created owner-only if missing), or `:memory:` for tests. */
      readonly path: string;
    }
  | {
      readonly dialect: 'postgres';
      /** `postgres://user:password@host:5432/database` (libpq URL, `?sslmode=…` understood by `pg`). */
      readonly connectionString: string;
      /** Pool size. Default 10. */
      readonly maxConnections?: number;
      /** How long to wait for a connection, ms. Default 10,000. */
      readonly connectionTimeoutMillis?: number;
    };

/** An open database with its schema brought up to date. */
export interface ProjectsDatabase {
  readonly dialect: Dialect;
  readonly db: Kysely<Tables>;
  close(): Promise<void>;
}

/**
 * Opens the database and runs every migration it has not had yet. Several
 * registry nodes may start at once against one PostgreSQL: Kysely's migrator
 * takes a lock, so each migration runs exactly once.
 */
export async function openDatabase(options: DatabaseOptions): Promise<ProjectsDatabase> {
  const db = new Kysely<Tables>({ dialect: await dialectOf(options) });
  const migrator = new Migrator({ db, provider: migrationProvider(options.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new ProjectsError('UNAVAILABLE', `the projects database could not be migrated`, {
      cause: error,
    });
  }
  return { dialect: options.dialect, db, close: () => db.destroy() };
}

/** Each database's client is imported only when used: `pg` alone costs a process 13 MiB. */
async function dialectOf(options: DatabaseOptions): Promise<SqliteDialect | PostgresDialect> {
  if (options.dialect === 'postgres') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      // An unreachable host would otherwise hang start-up (and every query) for the OS's
      // TCP timeout, minutes; ten seconds says "database down" soon enough.
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    });
    // An idle connection the server drops (restart, failover, idle timeout) makes the pool emit
    // 'error'; unheard, that would crash the process. The pool has already discarded the
    // connection and opens a new one for the next query.
    pool.on('error', (error) => {
      debug('idle PostgreSQL connection lost: %s', error.message);
    });
    return new PostgresDialect({ pool });
  }
  const { default: SQLiteDatabase } = await import('better-sqlite3');
  return new SqliteDialect({
    database: () => Promise.resolve(openSqlite(SQLiteDatabase, options.path)),
  });
}

function openSqlite(SQLiteDatabase: typeof SQLite, path: string): SQLite.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    // Password and token hashes live here: create it readable by its owner only.
    closeSync(openSync(path, 'a', 0o600));
  }
  const database = new SQLiteDatabase(path);
  // WAL lets the CLI read while the server writes; FULL syncs every commit, so a crash loses none.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}
