import { sql, type RawBuilder, type Selectable } from 'kysely';
import { isUniqueViolation, timestamp, type ModelContext } from './context.js';
import { InvalidInputError, ProjectsError, UnnamablePathError, notFound } from './errors.js';
import { checkNamespacePath, registryNameProblem } from './names.js';
import { isVisibility, visibilityRank, type Visibility } from './roles.js';
import type { NamespacesTable } from './schema.js';
import type { Settings } from './settings.js';

/** A group or a project: a node of the path tree. */
export interface Namespace {
  readonly id: number;
  readonly kind: 'group' | 'project';
  readonly path: string;
  readonly parentId?: number;
  readonly visibility: Visibility;
  /** For projects: the registry is on, as set (see `registryDisabledReason`). */
  readonly containerRegistryEnabled: boolean;
  /** Set when the path cannot name images, so the registry stays off whatever the setting. */
  readonly registryDisabledReason?: string;
  readonly createdAt: Date;
}

export interface NewNamespace {
  readonly path: string;
  /** Default `private`. */
  readonly visibility?: Visibility;
  /** Projects only; default: the site's `containerRegistryDefault`. */
  readonly containerRegistryEnabled?: boolean;
}

export interface NamespaceChanges {
  readonly visibility?: Visibility;
  readonly containerRegistryEnabled?: boolean;
}

/**
 * Groups and projects. A project's registry repositories are its path and
 * everything below it; a project's parent must be a group, and nothing can
 * be more visible than the group it is in.
 */
export class Namespaces {
  constructor(
    private readonly context: ModelContext,
    private readonly settings: Settings,
  ) {}

  // Async so the refusal below rejects the promise rather than throwing before there is one.
  async createGroup(group: NewNamespace): Promise<Namespace> {
    if (group.containerRegistryEnabled !== undefined) {
      throw new InvalidInputError(
        'containerRegistryEnabled',
        'is a project setting; groups have none',
      );
    }
    return await this.create('group', group);
  }

  createProject(project: NewNamespace): Promise<Namespace> {
    return this.create('project', project);
  }

  async find(path: string): Promise<Namespace | undefined> {
    const row = await this.context.db
      .selectFrom('namespaces')
      .selectAll()
      .where('path', '=', path)
      .executeTakeFirst();
    return row === undefined ? undefined : toNamespace(row);
  }

  async get(path: string, kind?: 'group' | 'project'): Promise<Namespace> {
    const namespace = await this.find(path);
    if (namespace === undefined || (kind !== undefined && namespace.kind !== kind)) {
      throw notFound(`${kind ?? 'group or project'} "${path}"`);
    }
    return namespace;
  }

  async byId(id: number): Promise<Namespace | undefined> {
    const row = await this.context.db
      .selectFrom('namespaces')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toNamespace(row);
  }

  async list(kind?: 'group' | 'project'): Promise<Namespace[]> {
    let query = this.context.db.selectFrom('namespaces').selectAll().orderBy('path');
    if (kind !== undefined) query = query.where('kind', '=', kind);
    return (await query.execute()).map(toNamespace);
  }

  /**
   * The project whose registry holds `repository`: the one whose path is the
   * longest whole-component prefix of the name (`a/b` holds `a/b/c`, not `a/bc`).
   */
  async projectOf(repository: string): Promise<Namespace | undefined> {
    const components = repository.split('/');
    const prefixes = components.map((_, index) => components.slice(0, index + 1).join('/'));
    const rows = await this.context.db
      .selectFrom('namespaces')
      .selectAll()
      .where('kind', '=', 'project')
      .where('path', 'in', prefixes)
      .execute();
    const longest = rows.sort((a, b) => b.path.length - a.path.length)[0];
    return longest === undefined ? undefined : toNamespace(longest);
  }

  /** The namespace's ancestors' ids and its own, root first. */
  async lineage(namespace: Namespace): Promise<number[]> {
    const components = namespace.path.split('/');
    const prefixes = components.map((_, index) => components.slice(0, index + 1).join('/'));
    const rows = await this.context.db
      .selectFrom('namespaces')
      .select(['id', 'path'])
      .where('path', 'in', prefixes)
      .execute();
    return rows.sort((a, b) => a.path.length - b.path.length).map((row) => row.id);
  }

  update(path: string, changes: NamespaceChanges): Promise<Namespace> {
    return this.change(path, changes);
  }

  /**
   * Moves a group or project, and everything below it, to `newPath`, under the
   * same parent. Images are not moved: the caller refuses renames of projects
   * whose registry holds any (as GitLab does).
   */
  rename(path: string, newPath: string): Promise<Namespace> {
    return this.change(path, { path: newPath });
  }

  /**
   * A rename (`path`) and other changes together, in one transaction, every
   * one checked before anything is written: a refusal changes nothing.
   */
  async change(path: string, changes: NamespaceChanges & { path?: string }): Promise<Namespace> {
    const namespace = await this.get(path);
    const newPath = changes.path ?? path;
    const moves = newPath === path ? [] : await this.plannedMoves(namespace, newPath);
    // After a rename, the registry can take the project's name exactly when its new path allows.
    const reason = moves.length === 0 ? namespace.registryDisabledReason : moves[0]?.problem;
    const values = await this.plannedValues(namespace, changes, { path: newPath, reason });
    try {
      await this.context.db.transaction().execute(async (transaction) => {
        for (const move of moves) {
          await transaction
            .updateTable('namespaces')
            .set({
              path: move.moved,
              registry_disabled_reason: move.problem ?? null,
              ...(move.problem !== undefined && move.kind === 'project'
                ? { container_registry_enabled: 0 }
                : {}),
            })
            .where('id', '=', move.id)
            .execute();
        }
        if (Object.keys(values).length > 0) {
          await transaction
            .updateTable('namespaces')
            .set(values)
            .where('id', '=', namespace.id)
            .execute();
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectsError('CONFLICT', `"${newPath}" exists`);
      throw error;
    }
    return this.get(newPath);
  }

  /** Where the namespace and everything below it go, and what the registry makes of each new path. */
  private async plannedMoves(namespace: Namespace, newPath: string): Promise<Move[]> {
    const { path } = namespace;
    checkNamespacePath(newPath);
    if (parentPath(newPath) !== parentPath(path)) {
      throw new InvalidInputError(
        'path',
        `"${newPath}" is not in the same group as "${path}"; renames keep the parent`,
      );
    }
    const below = await this.context.db
      .selectFrom('namespaces')
      .select(['id', 'kind', 'path'])
      .where(startsWith(`${path}/`))
      .execute();
    const moves: Move[] = [];
    for (const row of [{ id: namespace.id, kind: namespace.kind, path }, ...below]) {
      const moved = newPath + row.path.slice(path.length);
      moves.push({ id: row.id, kind: row.kind, moved, problem: await this.registryProblem(moved) });
    }
    return moves;
  }

  /** The columns `changes` set, once each is checked; a name `reason` keeps the registry off. */
  private async plannedValues(
    namespace: Namespace,
    changes: NamespaceChanges,
    name: { readonly path: string; readonly reason: string | undefined },
  ): Promise<
    Partial<Pick<Selectable<NamespacesTable>, 'visibility' | 'container_registry_enabled'>>
  > {
    const values: Partial<
      Pick<Selectable<NamespacesTable>, 'visibility' | 'container_registry_enabled'>
    > = {};
    if (changes.visibility !== undefined) {
      checkVisibility(changes.visibility);
      await this.checkFitsParent(namespace.parentId, changes.visibility);
      await this.checkChildrenFit(namespace, changes.visibility);
      values.visibility = changes.visibility;
    }
    if (changes.containerRegistryEnabled !== undefined) {
      if (namespace.kind !== 'project') {
        throw new InvalidInputError(
          'containerRegistryEnabled',
          'is a project setting; groups have none',
        );
      }
      if (changes.containerRegistryEnabled && name.reason !== undefined) {
        throw new UnnamablePathError(name.path, name.reason);
      }
      values.container_registry_enabled = changes.containerRegistryEnabled ? 1 : 0;
    }
    return values;
  }

  /** Removes a group or project, its members and deploy tokens, and everything below it. */
  async delete(path: string): Promise<void> {
    const namespace = await this.get(path);
    await this.context.db.transaction().execute(async (transaction) => {
      await transaction
        .deleteFrom('namespaces')
        .where(startsWith(`${path}/`))
        .execute();
      await transaction.deleteFrom('namespaces').where('id', '=', namespace.id).execute();
    });
  }

  private async create(kind: 'group' | 'project', spec: NewNamespace): Promise<Namespace> {
    checkNamespacePath(spec.path);
    const visibility = spec.visibility ?? 'private';
    checkVisibility(visibility);
    const parent = await this.parentOf(spec.path, kind);
    await this.checkFitsParent(parent?.id, visibility);
    const problem = await this.registryProblem(spec.path);
    const settings = await this.settings.get();
    const enabled =
      problem === undefined && (spec.containerRegistryEnabled ?? settings.containerRegistryDefault);
    try {
      const row = await this.context.db
        .insertInto('namespaces')
        .values({
          kind,
          path: spec.path,
          parent_id: parent?.id ?? null,
          visibility,
          container_registry_enabled: kind === 'project' && enabled ? 1 : 0,
          registry_disabled_reason: problem ?? null,
          created_at: timestamp(this.context.now()),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toNamespace(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectsError('CONFLICT', `"${spec.path}" exists`);
      throw error;
    }
  }

  /** Why the registry cannot take `path`; throws instead unless the site allows such paths. */
  private async registryProblem(path: string): Promise<string | undefined> {
    const problem = registryNameProblem(path);
    if (problem === undefined) return undefined;
    if (!(await this.settings.get()).allowUnnamablePaths)
      throw new UnnamablePathError(path, problem);
    return problem;
  }

  private async parentOf(path: string, kind: 'group' | 'project'): Promise<Namespace | undefined> {
    const parent = parentPath(path);
    if (parent === undefined) return undefined;
    const found = await this.find(parent);
    if (found === undefined) {
      throw new InvalidInputError('path', `group "${parent}" does not exist; create it first`);
    }
    if (found.kind !== 'group') {
      throw new InvalidInputError(
        'path',
        `"${parent}" is a project; a ${kind} can only be in a group`,
      );
    }
    return found;
  }

  private async checkFitsParent(
    parentId: number | undefined,
    visibility: Visibility,
  ): Promise<void> {
    if (parentId === undefined) return;
    const parent = await this.byId(parentId);
    if (parent !== undefined && visibilityRank(visibility) > visibilityRank(parent.visibility)) {
      throw new InvalidInputError(
        'visibility',
        `${visibility} is more visible than its group "${parent.path}" (${parent.visibility})`,
      );
    }
  }

  private async checkChildrenFit(namespace: Namespace, visibility: Visibility): Promise<void> {
    const children = await this.context.db
      .selectFrom('namespaces')
      .select(['path', 'visibility'])
      .where('parent_id', '=', namespace.id)
      .execute();
    const tooVisible = children.find(
      (child) =>
        isVisibility(child.visibility) &&
        visibilityRank(child.visibility) > visibilityRank(visibility),
    );
    if (tooVisible !== undefined) {
      throw new InvalidInputError(
        'visibility',
        `"${tooVisible.path}" is ${tooVisible.visibility}; make it no more visible than ${visibility} first`,
      );
    }
  }
}

interface Move {
  readonly id: number;
  readonly kind: string;
  readonly moved: string;
  readonly problem: string | undefined;
}

function checkVisibility(visibility: unknown): void {
  if (!isVisibility(visibility)) {
    throw new InvalidInputError(
      'visibility',
      `must be public, internal or private, not ${JSON.stringify(visibility)}`,
    );
  }
}

function parentPath(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? undefined : path.slice(0, slash);
}

/** `path` starts with `prefix`, in SQL both dialects share (LIKE would need escaping of `_`). */
function startsWith(prefix: string): RawBuilder<boolean> {
  return sql<boolean>`substr(path, 1, ${prefix.length}) = ${prefix}`;
}

export function toNamespace(row: Selectable<NamespacesTable>): Namespace {
  return {
    id: row.id,
    kind: row.kind,
    path: row.path,
    ...(row.parent_id === null ? {} : { parentId: row.parent_id }),
    visibility: isVisibility(row.visibility) ? row.visibility : 'private',
    containerRegistryEnabled: row.container_registry_enabled !== 0,
    ...(row.registry_disabled_reason === null
      ? {}
      : { registryDisabledReason: row.registry_disabled_reason }),
    createdAt: new Date(row.created_at),
  };
}
