import type { ModelContext } from './context.js';
import { openDatabase, type DatabaseOptions, type ProjectsDatabase } from './database.js';
import { Members } from './members.js';
import { Namespaces } from './namespaces.js';
import { Settings } from './settings.js';
import { DeployTokens, PersonalAccessTokens } from './tokens.js';
import { Users } from './users.js';

export interface ProjectsModelOptions {
  readonly database: DatabaseOptions;
  /** The clock that expires tokens; tests move it. */
  readonly now?: () => Date;
  /** bcrypt cost of new password hashes. Default 12 (about 0.25 s with bcryptjs). */
  readonly bcryptCost?: number;
}

/** Users, groups and projects, members, tokens and settings, on one database. */
export class ProjectsModel {
  readonly users: Users;
  readonly namespaces: Namespaces;
  readonly members: Members;
  readonly accessTokens: PersonalAccessTokens;
  readonly deployTokens: DeployTokens;
  readonly settings: Settings;

  constructor(
    private readonly database: ProjectsDatabase,
    options: Omit<ProjectsModelOptions, 'database'> = {},
  ) {
    const context: ModelContext = {
      db: database.db,
      now: options.now ?? (() => new Date()),
      bcryptCost: options.bcryptCost ?? 12,
    };
    this.users = new Users(context);
    this.settings = new Settings(context);
    this.namespaces = new Namespaces(context, this.settings);
    this.members = new Members(context, this.namespaces, this.users);
    this.accessTokens = new PersonalAccessTokens(context, this.users);
    this.deployTokens = new DeployTokens(context, this.namespaces);
  }

  get dialect(): ProjectsDatabase['dialect'] {
    return this.database.dialect;
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

/** Opens (and migrates) the database and the model on it. */
export async function openProjectsModel(options: ProjectsModelOptions): Promise<ProjectsModel> {
  const database = await openDatabase(options.database);
  return new ProjectsModel(database, options);
}
