import { startPostgres, type RunningPostgres } from '@lading/registry-peers';
import { openProjectsModel, type DatabaseOptions, type ProjectsModel } from '../../src/index.js';

/** One PostgreSQL server for the whole run, started when a suite first needs it. */
let postgres: Promise<RunningPostgres> | undefined;

export const mochaHooks = {
  async afterAll(): Promise<void> {
    if (postgres !== undefined) await (await postgres).stop();
  },
};

export interface Dialect {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty database. */
  database(): Promise<DatabaseOptions>;
}

export const dialects: readonly Dialect[] = [
  { name: 'SQLite', database: () => Promise.resolve({ dialect: 'sqlite', path: ':memory:' }) },
  {
    name: 'PostgreSQL',
    async database() {
      postgres ??= startPostgres();
      return { dialect: 'postgres', connectionString: await (await postgres).createDatabase() };
    },
  },
];

export interface ModelOptions {
  readonly now?: () => Date;
}

/** A model on a fresh database of `dialect`, with cheap bcrypt so tests stay fast. */
export async function openModel(
  dialect: Dialect,
  options: ModelOptions = {},
): Promise<ProjectsModel> {
  return openProjectsModel({ database: await dialect.database(), bcryptCost: 4, ...options });
}

/** `describe`s `body` once per dialect, each with a fresh model per test. */
export function describeEachDialect(
  title: string,
  body: (context: { model: () => ProjectsModel; dialect: Dialect }) => void,
): void {
  for (const dialect of dialects) {
    describe(`${title} (${dialect.name})`, function () {
      this.timeout(120_000);
      let current: ProjectsModel | undefined;
      beforeEach(async () => {
        current = await openModel(dialect);
      });
      afterEach(async () => {
        await current?.close();
        current = undefined;
      });
      body({
        dialect,
        model: () => {
          if (current === undefined) throw new Error('no model outside a test');
          return current;
        },
      });
    });
  }
}
