import type { Access } from './access.js';

/** One entry of a token's `access` claim, as distribution reads it. */
export interface AccessClaim {
  type: string;
  /** Only when the scope had one (`repository(plugin)`). */
  class?: string;
  name: string;
  actions: string[];
}

/** The claims of a registry bearer token (distribution `token.ClaimSet`). */
export interface TokenClaims {
  iss: string;
  /** The user name; empty for anonymous access. */
  sub: string;
  aud: string | string[];
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: AccessClaim[];
}

/** The `typ` header of refresh tokens, which no bearer-token check accepts (RFC 8725 §3.11). */
export const refreshTokenType = 'refresh+jwt';

export function toAccessClaims(access: readonly Access[]): AccessClaim[] {
  return access.map((item) => {
    const claim: AccessClaim = { type: item.type, name: item.name, actions: [...item.actions] };
    if (item.class !== undefined && item.class !== '') claim.class = item.class;
    return claim;
  });
}

/**
 * The `access` claim read back, or `undefined` when it is not a list of
 * `{type, name, actions}` with strings where strings belong: such a token is
 * refused whole (distribution fails to decode it), never partly honoured.
 */
export function fromAccessClaims(value: unknown): Access[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const access: Access[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { type, class: resourceClass, name, actions } = item as Record<string, unknown>;
    if (typeof type !== 'string' || typeof name !== 'string') return undefined;
    if (resourceClass !== undefined && typeof resourceClass !== 'string') return undefined;
    if (!isStringArray(actions)) return undefined;
    access.push(
      resourceClass === undefined || resourceClass === ''
        ? { type, name, actions }
        : { type, class: resourceClass, name, actions },
    );
  }
  return access;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && (value as unknown[]).every((item) => typeof item === 'string');
}
