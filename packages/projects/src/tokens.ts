import type { Selectable } from 'kysely';
import { optionalDate, timestamp, type ModelContext } from './context.js';
import { InvalidInputError, isProjectsError, notFound } from './errors.js';
import type { Namespaces } from './namespaces.js';
import { isTokenScope, type TokenScope } from './roles.js';
import type { DeployTokensTable, PersonalAccessTokensTable } from './schema.js';
import { deployTokenPrefix, newToken, personalAccessTokenPrefix, tokenHash } from './secrets.js';
import type { Users } from './users.js';

interface TokenState {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly expiresAt?: Date;
  readonly revokedAt?: Date;
  readonly createdAt: Date;
}

export interface PersonalAccessToken extends TokenState {
  readonly userId: number;
  readonly username: string;
  readonly lastUsedAt?: Date;
}

export interface DeployToken extends TokenState {
  readonly projectId: number;
  readonly projectPath: string;
  /** The user name to sign in with, together with the token as password. */
  readonly username: string;
}

export interface NewToken {
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly expiresAt?: Date;
}

/** A token just made: `token` is the secret, shown this once and never stored. */
export interface Created<T> {
  readonly token: string;
  readonly record: T;
}

/** Personal access tokens: a user's password substitute for tools, limited by scope. */
export class PersonalAccessTokens {
  constructor(
    private readonly context: ModelContext,
    private readonly users: Users,
  ) {}

  async create(username: string, spec: NewToken): Promise<Created<PersonalAccessToken>> {
    checkToken(spec, ['read_registry', 'write_registry', 'api'], this.context.now());
    const user = await this.users.get(username);
    const token = newToken(personalAccessTokenPrefix);
    const row = await this.context.db
      .insertInto('personal_access_tokens')
      .values({
        user_id: user.id,
        name: spec.name,
        token_hash: tokenHash(token),
        scopes: spec.scopes.join(' '),
        expires_at: spec.expiresAt === undefined ? null : timestamp(spec.expiresAt),
        revoked_at: null,
        last_used_at: null,
        created_at: timestamp(this.context.now()),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token, record: toPersonalAccessToken(row, user.username) };
  }

  async list(username: string): Promise<PersonalAccessToken[]> {
    const user = await this.users.get(username);
    const rows = await this.context.db
      .selectFrom('personal_access_tokens')
      .selectAll()
      .where('user_id', '=', user.id)
      .orderBy('id')
      .execute();
    return rows.map((row) => toPersonalAccessToken(row, user.username));
  }

  async get(id: number): Promise<PersonalAccessToken> {
    if (!isStorableId(id)) throw notFound(`personal access token ${id}`);
    const row = await this.withOwner()
      .where('personal_access_tokens.id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound(`personal access token ${id}`);
    return toPersonalAccessToken(row, row.username);
  }

  /** Revokes the token; it stops working at once, refresh tokens made with it included. */
  async revoke(id: number): Promise<PersonalAccessToken> {
    await this.get(id);
    await revokeRow(this.context, 'personal_access_tokens', id);
    return this.get(id);
  }

  /** The token whose secret is `token`, when it is neither revoked nor expired; notes its use. */
  async findUsable(token: string): Promise<PersonalAccessToken | undefined> {
    if (!token.startsWith(personalAccessTokenPrefix)) return undefined;
    const row = await this.withOwner()
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const record = toPersonalAccessToken(row, row.username);
    if (!isUsable(record, this.context.now())) return undefined;
    await this.context.db
      .updateTable('personal_access_tokens')
      .set({ last_used_at: timestamp(this.context.now()) })
      .where('id', '=', record.id)
      .execute();
    return record;
  }

  /** The token with `id` when still usable (for refresh). */
  usable(id: number): Promise<PersonalAccessToken | undefined> {
    return usableOrNothing(this.get(id), this.context.now());
  }

  /** The tokens with their owner's name. */
  private withOwner() {
    return this.context.db
      .selectFrom('personal_access_tokens')
      .innerJoin('users', 'users.id', 'personal_access_tokens.user_id')
      .selectAll('personal_access_tokens')
      .select('users.username');
  }
}

/** Deploy tokens: a project's own credentials for machines, no user behind them. */
export class DeployTokens {
  constructor(
    private readonly context: ModelContext,
    private readonly namespaces: Namespaces,
  ) {}

  async create(projectPath: string, spec: NewToken): Promise<Created<DeployToken>> {
    checkToken(spec, ['read_registry', 'write_registry'], this.context.now());
    const project = await this.namespaces.get(projectPath, 'project');
    const token = newToken(deployTokenPrefix);
    const row = await this.context.db.transaction().execute(async (transaction) => {
      const inserted = await transaction
        .insertInto('deploy_tokens')
        .values({
          project_id: project.id,
          name: spec.name,
          // Rewritten below once the id is known; unique meanwhile.
          username: `pending-${tokenHash(token)}`,
          token_hash: tokenHash(token),
          scopes: spec.scopes.join(' '),
          expires_at: spec.expiresAt === undefined ? null : timestamp(spec.expiresAt),
          revoked_at: null,
          created_at: timestamp(this.context.now()),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return transaction
        .updateTable('deploy_tokens')
        .set({ username: deployTokenUsername(inserted.id) })
        .where('id', '=', inserted.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return { token, record: toDeployToken(row, project.path) };
  }

  async list(projectPath: string): Promise<DeployToken[]> {
    const project = await this.namespaces.get(projectPath, 'project');
    const rows = await this.context.db
      .selectFrom('deploy_tokens')
      .selectAll()
      .where('project_id', '=', project.id)
      .orderBy('id')
      .execute();
    return rows.map((row) => toDeployToken(row, project.path));
  }

  async get(id: number): Promise<DeployToken> {
    if (!isStorableId(id)) throw notFound(`deploy token ${id}`);
    const row = await this.withProject().where('deploy_tokens.id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound(`deploy token ${id}`);
    return toDeployToken(row, row.path);
  }

  async revoke(id: number): Promise<DeployToken> {
    await this.get(id);
    await revokeRow(this.context, 'deploy_tokens', id);
    return this.get(id);
  }

  /** The deploy token signed in as `username` with `token`, when usable. */
  async findUsable(username: string, token: string): Promise<DeployToken | undefined> {
    if (!token.startsWith(deployTokenPrefix)) return undefined;
    const row = await this.withProject()
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (row?.username !== username) return undefined;
    const record = toDeployToken(row, row.path);
    return isUsable(record, this.context.now()) ? record : undefined;
  }

  usable(id: number): Promise<DeployToken | undefined> {
    return usableOrNothing(this.get(id), this.context.now());
  }

  /** The tokens with their project's path. */
  private withProject() {
    return this.context.db
      .selectFrom('deploy_tokens')
      .innerJoin('namespaces', 'namespaces.id', 'deploy_tokens.project_id')
      .selectAll('deploy_tokens')
      .select('namespaces.path');
  }
}

/** Ids are PostgreSQL `integer`s; any other number names no row (and would fail the query). */
function isStorableId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= 2_147_483_647;
}

/** Marks a token revoked, keeping the first revocation time. */
async function revokeRow(
  context: ModelContext,
  table: 'personal_access_tokens' | 'deploy_tokens',
  id: number,
): Promise<void> {
  await context.db
    .updateTable(table)
    .set({ revoked_at: timestamp(context.now()) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The token `lookup` finds, when it exists and is usable at `now`; a database failure is thrown. */
async function usableOrNothing<T extends TokenState>(
  lookup: Promise<T>,
  now: Date,
): Promise<T | undefined> {
  const record = await lookup.catch((error: unknown) => {
    if (isProjectsError(error, 'NOT_FOUND')) return undefined;
    throw error;
  });
  return record !== undefined && isUsable(record, now) ? record : undefined;
}

/** GitLab names them `gitlab+deploy-token-N`; `+` cannot be in a user name, so they never clash. */
export function deployTokenUsername(id: number): string {
  return `lading+deploy-token-${id}`;
}

function isUsable(token: TokenState, now: Date): boolean {
  return token.revokedAt === undefined && (token.expiresAt === undefined || token.expiresAt > now);
}

function checkToken(spec: NewToken, allowed: readonly TokenScope[], now: Date): void {
  if (spec.name.trim() === '' || spec.name.length > 255) {
    throw new InvalidInputError('name', 'must be 1 to 255 characters');
  }
  if (spec.scopes.length === 0) {
    throw new InvalidInputError('scopes', `name at least one of ${allowed.join(', ')}`);
  }
  for (const scope of spec.scopes) {
    if (!isTokenScope(scope) || !allowed.includes(scope)) {
      throw new InvalidInputError(
        'scopes',
        `${JSON.stringify(scope)} is not one of ${allowed.join(', ')}`,
      );
    }
  }
  if (spec.expiresAt !== undefined) {
    if (Number.isNaN(spec.expiresAt.getTime()))
      throw new InvalidInputError('expiresAt', 'is not a date');
    if (spec.expiresAt <= now) throw new InvalidInputError('expiresAt', 'is in the past');
  }
}

function scopesOf(text: string): TokenScope[] {
  return text.split(' ').filter(isTokenScope);
}

function toPersonalAccessToken(
  row: Selectable<PersonalAccessTokensTable>,
  username: string,
): PersonalAccessToken {
  const lastUsedAt = optionalDate(row.last_used_at);
  return {
    ...tokenState(row),
    userId: row.user_id,
    username,
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
  };
}

function toDeployToken(row: Selectable<DeployTokensTable>, projectPath: string): DeployToken {
  return { ...tokenState(row), projectId: row.project_id, projectPath, username: row.username };
}

function tokenState(
  row: Selectable<PersonalAccessTokensTable> | Selectable<DeployTokensTable>,
): TokenState {
  const expiresAt = optionalDate(row.expires_at);
  const revokedAt = optionalDate(row.revoked_at);
  return {
    id: row.id,
    name: row.name,
    scopes: scopesOf(row.scopes),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    createdAt: new Date(row.created_at),
  };
}
