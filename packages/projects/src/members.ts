import { timestamp, type ModelContext } from './context.js';
import { InvalidInputError, notFound } from './errors.js';
import type { Namespaces } from './namespaces.js';
import { isRole, strongerRole, type Role } from './roles.js';
import type { Users } from './users.js';

export interface Member {
  readonly username: string;
  readonly userId: number;
  readonly role: Role;
  readonly createdAt: Date;
}

/** Who belongs to a group or project, and in what role. Group members are members of everything below. */
export class Members {
  constructor(
    private readonly context: ModelContext,
    private readonly namespaces: Namespaces,
    private readonly users: Users,
  ) {}

  /** Adds `username` to `path` as `role`, or changes the role of a member. */
  async set(path: string, username: string, role: Role): Promise<Member> {
    if (!isRole(role)) {
      throw new InvalidInputError(
        'role',
        `must be guest, reporter, developer, maintainer or owner, not ${JSON.stringify(role)}`,
      );
    }
    const namespace = await this.namespaces.get(path);
    const user = await this.users.get(username);
    const createdAt = timestamp(this.context.now());
    await this.context.db
      .insertInto('members')
      .values({ namespace_id: namespace.id, user_id: user.id, role, created_at: createdAt })
      .onConflict((conflict) => conflict.columns(['namespace_id', 'user_id']).doUpdateSet({ role }))
      .execute();
    const members = await this.list(path);
    const member = members.find((item) => item.userId === user.id);
    if (member === undefined) throw notFound(`member "${username}" of "${path}"`);
    return member;
  }

  async remove(path: string, username: string): Promise<void> {
    const namespace = await this.namespaces.get(path);
    const user = await this.users.get(username);
    const result = await this.context.db
      .deleteFrom('members')
      .where('namespace_id', '=', namespace.id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound(`member "${username}" of "${path}"`);
  }

  /** The direct members of `path` (not those inherited from its groups). */
  async list(path: string): Promise<Member[]> {
    const namespace = await this.namespaces.get(path);
    const rows = await this.context.db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .select(['users.username', 'members.user_id', 'members.role', 'members.created_at'])
      .where('members.namespace_id', '=', namespace.id)
      .orderBy('users.username')
      .execute();
    return rows.map((row) => ({
      username: row.username,
      userId: row.user_id,
      role: isRole(row.role) ? row.role : 'guest',
      createdAt: new Date(row.created_at),
    }));
  }

  /** The strongest role `userId` has on the namespaces `lineage` (a project and its groups). */
  async effectiveRole(userId: number, lineage: readonly number[]): Promise<Role | undefined> {
    if (lineage.length === 0) return undefined;
    const rows = await this.context.db
      .selectFrom('members')
      .select('role')
      .where('user_id', '=', userId)
      .where('namespace_id', 'in', lineage)
      .execute();
    let role: Role | undefined;
    for (const row of rows) if (isRole(row.role)) role = strongerRole(role, row.role);
    return role;
  }
}
