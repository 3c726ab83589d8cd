import { createHash } from 'node:crypto';
import { hashPassword, verifyPassword } from './secrets.js';
import { isUniqueViolation, timestamp, type ModelContext } from './context.js';
import { InvalidInputError, ProjectsError, notFound } from './errors.js';
import type { UsersTable } from './schema.js';
import type { Selectable } from 'kysely';

export interface User {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly admin: boolean;
  readonly blocked: boolean;
  readonly createdAt: Date;
}

export interface NewUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly admin?: boolean;
}

export interface UserChanges {
  readonly email?: string;
  readonly password?: string;
  readonly admin?: boolean;
  readonly blocked?: boolean;
}

const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const emailPattern = /^[^\s@]+@[^\s@]+$/;

/** Accounts: who can sign in, with what password, and whether they are admins or blocked. */
export class Users {
  // Compared against when no such user exists, so a wrong name costs as long as a wrong password.
  #decoy: Promise<string> | undefined;

  constructor(private readonly context: ModelContext) {}

  async create(user: NewUser): Promise<User> {
    checkUsername(user.username);
    checkEmail(user.email);
    const row = {
      username: user.username,
      email: user.email,
      password_hash: await hashPassword(user.password, this.context.bcryptCost),
      admin: user.admin === true ? 1 : 0,
      blocked: 0,
      created_at: timestamp(this.context.now()),
    };
    try {
      const inserted = await this.context.db
        .insertInto('users')
        .values(row)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(inserted);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProjectsError(
          'CONFLICT',
          `a user named "${user.username}" or with email ${user.email} exists`,
        );
      }
      throw error;
    }
  }

  async find(username: string): Promise<User | undefined> {
    const row = await this.context.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async get(username: string): Promise<User> {
    const user = await this.find(username);
    if (user === undefined) throw notFound(`user "${username}"`);
    return user;
  }

  async byId(id: number): Promise<User | undefined> {
    const row = await this.context.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  /**
   * A short fingerprint of the user's current password hash, or `undefined`
   * for no such user: it changes with the password, so a sign-in that carries
   * it ends when the password does.
   */
  async passwordStamp(id: number): Promise<string | undefined> {
    const row = await this.context.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : createHash('sha256').update(row.password_hash).digest('hex').slice(0, 16);
  }

  async list(): Promise<User[]> {
    const rows = await this.context.db
      .selectFrom('users')
      .selectAll()
      .orderBy('username')
      .execute();
    return rows.map(toUser);
  }

  async update(username: string, changes: UserChanges): Promise<User> {
    const user = await this.get(username);
    if (changes.email !== undefined) checkEmail(changes.email);
    const values = {
      ...(changes.email === undefined ? {} : { email: changes.email }),
      ...(changes.admin === undefined ? {} : { admin: changes.admin ? 1 : 0 }),
      ...(changes.blocked === undefined ? {} : { blocked: changes.blocked ? 1 : 0 }),
      ...(changes.password === undefined
        ? {}
        : { password_hash: await hashPassword(changes.password, this.context.bcryptCost) }),
    };
    if (Object.keys(values).length === 0) return user;
    try {
      const row = await this.context.db
        .updateTable('users')
        .set(values)
        .where('id', '=', user.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ProjectsError('CONFLICT', `email ${String(changes.email)} is taken`);
      throw error;
    }
  }

  /** Removes the account with its memberships and personal access tokens. */
  async delete(username: string): Promise<void> {
    const result = await this.context.db
      .deleteFrom('users')
      .where('username', '=', username)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound(`user "${username}"`);
  }

  /** The user, when `password` is theirs and they are not blocked; otherwise `undefined`. */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = await this.context.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    this.#decoy ??= hashPassword('decoy password', this.context.bcryptCost);
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.#decoy));
    if (!ok || row?.blocked !== 0) return undefined;
    return toUser(row);
  }
}

function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) {
    throw new InvalidInputError(
      'username',
      `"${username}" must start with a letter or digit and use only letters, digits, ".", "_" and "-" (at most 255)`,
    );
  }
}

function checkEmail(email: string): void {
  if (!emailPattern.test(email) || email.length > 254) {
    throw new InvalidInputError('email', `"${email}" is not an email address`);
  }
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    admin: row.admin !== 0,
    blocked: row.blocked !== 0,
    createdAt: new Date(row.created_at),
  };
}
