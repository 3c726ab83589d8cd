import { roleRank, type Role, type TokenScope, type Visibility } from './roles.js';

export type RegistryAction = 'pull' | 'push' | 'delete';

/**
 * Who asks, as far as the registry cares. `user` covers a password sign-in
 * (no `scopes`) and a personal access token (its scopes). Blocked users,
 * revoked or expired tokens never get this far: they are no subject at all.
 */
export type Subject =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly admin: boolean;
      /** The user's role on the project, inherited from its groups or its own. */
      readonly role?: Role;
      readonly scopes?: readonly TokenScope[];
    }
  | {
      readonly kind: 'deploy-token';
      readonly projectId: number;
      readonly scopes: readonly TokenScope[];
    };

/** The registry-relevant state of one project and of the site. */
export interface RegistryTarget {
  readonly projectId: number;
  readonly visibility: Visibility;
  /** The project's `container_registry_enabled`, after any name problem switched it off. */
  readonly projectRegistryEnabled: boolean;
  readonly siteRegistryEnabled: boolean;
}

const everything: readonly RegistryAction[] = ['pull', 'push', 'delete'];

/**
 * What `subject` may do to the registry repositories of a project: the whole
 * permission table in one function.
 *
 * - Nothing while the registry is off for the site or the project.
 * - Admins: everything. Members: pull from reporter, push from developer,
 *   delete from maintainer. Non-members: pull public projects (anyone) and
 *   internal ones (anyone signed in).
 * - Personal access tokens cap that: `read_registry` pull, `write_registry`
 *   pull and push, `api` everything the user may.
 * - Deploy tokens: on their own project `read_registry` pull,
 *   `write_registry` pull and push, never delete; elsewhere only what
 *   anonymous may.
 */
export function allowedActions(subject: Subject, target: RegistryTarget): RegistryAction[] {
  if (!target.siteRegistryEnabled || !target.projectRegistryEnabled) return [];
  switch (subject.kind) {
    case 'anonymous':
      return target.visibility === 'public' ? ['pull'] : [];
    case 'deploy-token':
      if (subject.projectId === target.projectId) return scopeCap(subject.scopes, ['pull', 'push']);
      // Elsewhere a deploy token is nobody in particular: what anonymous may do.
      return target.visibility === 'public' ? scopeCap(subject.scopes, ['pull']) : [];
    case 'user': {
      const allowed = subject.admin ? everything : userActions(subject.role, target.visibility);
      return subject.scopes === undefined ? [...allowed] : scopeCap(subject.scopes, allowed);
    }
  }
}

function userActions(role: Role | undefined, visibility: Visibility): RegistryAction[] {
  const rank = role === undefined ? -1 : roleRank(role);
  const actions: RegistryAction[] = [];
  if (visibility !== 'private' || rank >= roleRank('reporter')) actions.push('pull');
  if (rank >= roleRank('developer')) actions.push('push');
  if (rank >= roleRank('maintainer')) actions.push('delete');
  return actions;
}

const scopeActions: Record<TokenScope, readonly RegistryAction[]> = {
  read_registry: ['pull'],
  write_registry: ['pull', 'push'],
  api: everything,
};

/** `allowed`, cut to what the token's scopes permit. */
function scopeCap(
  scopes: readonly TokenScope[],
  allowed: readonly RegistryAction[],
): RegistryAction[] {
  const permitted = new Set(scopes.flatMap((scope) => scopeActions[scope]));
  return allowed.filter((action) => permitted.has(action));
}
