import type { Access } from './access.js';
import { resourceKey } from './scope.js';

/** Someone who signed in to the token endpoint. */
export interface TokenPrincipal {
  readonly name: string;
  /**
   * Which credential signed in (a personal access token's id, say), opaque to
   * the endpoint. A refresh token carries it, signed, and hands it back to
   * `resolve`, so a refresh never widens what the first sign-in was allowed.
   */
  readonly credential?: string;
}

/**
 * Who gets what: the policy behind a token endpoint (GitLab's
 * `ContainerRegistryAuthenticationService`, a static config, an LDAP bridge).
 */
export interface Authorizer {
  /** The principal for these credentials, or `undefined` when they are wrong. */
  authenticate(username: string, password: string): Promise<TokenPrincipal | undefined>;
  /**
   * What `principal` (`undefined` for anonymous) may have of `requested`:
   * per resource, the requested actions it is allowed. Resources with none
   * are left out; a partial or empty grant is a normal answer, not an error.
   */
  authorize(principal: TokenPrincipal | undefined, requested: readonly Access[]): Promise<Access[]>;
  /**
   * The principal of an account by name, or `undefined` when it no longer
   * exists or may no longer sign in. Asked when a refresh token comes back,
   * so a removed account (or a revoked credential) cannot keep minting
   * tokens with one. `credential` is the principal's, as it signed in.
   */
  resolve(name: string, credential?: string): Promise<TokenPrincipal | undefined>;
  /**
   * How long tokens granted now should last, in seconds (a site setting a
   * forge can change at run time); `undefined` or absent: the issuer's own.
   */
  tokenLifetimeSeconds?(): Promise<number | undefined>;
}

/**
 * `granted` cut down to what was `requested`, per resource and action, in the
 * order requested. The token endpoint applies it to every authorizer's answer,
 * so a policy that returns too much still cannot widen a token.
 */
export function grantWithin(granted: readonly Access[], requested: readonly Access[]): Access[] {
  const result: Access[] = [];
  for (const asked of requested) {
    const key = resourceKey(asked, false);
    const allowed = new Set(
      granted.filter((item) => resourceKey(item, false) === key).flatMap((item) => item.actions),
    );
    const actions = allowedActions(asked.actions, allowed);
    if (actions.length > 0) result.push({ ...asked, actions });
  }
  return result;
}

/**
 * The requested actions within `allowed`: all of them when `*` is allowed;
 * `*` itself only when `*` is allowed (a list of actions is not "everything").
 */
export function allowedActions(
  requested: readonly string[],
  allowed: ReadonlySet<string>,
): string[] {
  return allowed.has('*') ? [...requested] : requested.filter((action) => allowed.has(action));
}
