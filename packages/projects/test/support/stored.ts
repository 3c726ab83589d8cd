import { expect } from 'chai';
import { sql, type Kysely } from 'kysely';
import {
  InvalidInputError,
  ProjectsError,
  ProjectsModel,
  openDatabase,
  type ProjectsDatabase,
  type ProjectsErrorCode,
} from '../../src/index.js';
import type { Tables } from '../../src/schema.js';
import { dialects, type Dialect } from './dialects.js';

/** The model's clock, which a test moves. */
export interface Clock {
  now: Date;
  advance(milliseconds: number): void;
}

export interface StoredContext {
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly model: () => ProjectsModel;
  /** The model's own Kysely handle, to check (or plant) what is stored. */
  readonly db: () => Kysely<Tables>;
}

/**
 * `describeEachDialect` for tests that look under the model: each test gets a
 * fresh model on each dialect, a clock it can move, and the Kysely handle the
 * model writes through (the model is built the public way, from an open
 * database, so nothing reaches into its privates).
 *
 * SQLite gets a new in-memory database per test. PostgreSQL gets one database
 * per suite, emptied before each test: CREATE DATABASE costs about 0.4 s,
 * which per test would dominate the run.
 */
export function describeEachDialectStored(
  title: string,
  body: (context: StoredContext) => void,
): void {
  for (const dialect of dialects) {
    describe(`${title} (${dialect.name})`, function () {
      this.timeout(120_000);
      const start = new Date('2026-03-01T12:00:00Z');
      const clock: Clock = {
        now: start,
        advance(milliseconds) {
          this.now = new Date(this.now.getTime() + milliseconds);
        },
      };
      let shared: ProjectsDatabase | undefined;
      let current: { model: ProjectsModel; database: ProjectsDatabase } | undefined;
      before(async () => {
        if (dialect.name === 'PostgreSQL') shared = await openDatabase(await dialect.database());
      });
      after(async () => {
        await shared?.close();
      });
      beforeEach(async () => {
        clock.now = start;
        let database = shared;
        if (database === undefined) database = await openDatabase(await dialect.database());
        else
          await sql`truncate ${sql.join(tables.map((table) => sql.table(table)))} restart identity cascade`.execute(
            database.db,
          );
        const model = new ProjectsModel(database, { now: () => clock.now, bcryptCost: 4 });
        current = { model, database };
      });
      afterEach(async () => {
        if (current !== undefined && current.database !== shared) await current.model.close();
        current = undefined;
      });
      const opened = () => {
        if (current === undefined) throw new Error('no model outside a test');
        return current;
      };
      body({ dialect, clock, model: () => opened().model, db: () => opened().database.db });
    });
  }
}

const tables: readonly (keyof Tables)[] = [
  'members',
  'deploy_tokens',
  'personal_access_tokens',
  'namespaces',
  'users',
  'settings',
];

/** What `promise` rejected with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection, but it resolved');
}

/** Expects a `ProjectsError` with `code`, and a message including each of `mentions`. */
export async function expectProjectsError(
  promise: Promise<unknown>,
  code: ProjectsErrorCode,
  ...mentions: readonly string[]
): Promise<ProjectsError> {
  const error = await rejection(promise);
  expect(error).to.be.instanceOf(ProjectsError);
  const thrown = error as ProjectsError;
  expect(thrown.code, thrown.message).to.equal(code);
  for (const mention of mentions) expect(thrown.message).to.include(mention);
  return thrown;
}

/** Expects an `InvalidInputError` naming `field`, its message including each of `mentions`. */
export async function expectInvalid(
  promise: Promise<unknown>,
  field: string,
  ...mentions: readonly string[]
): Promise<InvalidInputError> {
  const error = await rejection(promise);
  expect(error).to.be.instanceOf(InvalidInputError);
  const thrown = error as InvalidInputError;
  expect(thrown.code).to.equal('INVALID');
  expect(thrown.field, thrown.message).to.equal(field);
  expect(thrown.message.startsWith(`${field}: `), thrown.message).to.equal(true);
  for (const mention of mentions) expect(thrown.message).to.include(mention);
  return thrown;
}
