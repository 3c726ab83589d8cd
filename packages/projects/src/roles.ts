/** Member roles, weakest first (GitLab's access levels). */
export const roles = ['guest', 'reporter', 'developer', 'maintainer', 'owner'] as const;
export type Role = (typeof roles)[number];

export const visibilities = ['public', 'internal', 'private'] as const;
export type Visibility = (typeof visibilities)[number];

/** What a personal access token or deploy token may be used for. */
export const tokenScopes = ['read_registry', 'write_registry', 'api'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

/** The stronger of two roles; `undefined` counts as no role. */
export function strongerRole(a: Role | undefined, b: Role | undefined): Role | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return roleRank(a) >= roleRank(b) ? a : b;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isVisibility(value: unknown): value is Visibility {
  return typeof value === 'string' && (visibilities as readonly string[]).includes(value);
}

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (tokenScopes as readonly string[]).includes(value);
}

/** Public > internal > private. */
export function visibilityRank(visibility: Visibility): number {
  return visibilities.length - 1 - visibilities.indexOf(visibility);
}
