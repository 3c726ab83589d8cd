/**
 * One item of access, as Docker's token scheme names it: a resource
 * (`repository` `group/app`, or `registry` `catalog`) and the actions wanted
 * on it (`pull`, `push`, `delete`, `*`).
 */
export interface Access {
  readonly type: string;
  /**
   * The resource class of `repository(plugin)`, kept so it can be written
   * back into a token; distribution v3 ignores it when matching access.
   */
  readonly class?: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** What an access controller sees of a request; transport-neutral. */
export interface AuthRequest {
  readonly method: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly remoteAddress?: string;
  /** How the request reached this server (TLS or not), before any proxy headers. */
  readonly protocol?: 'http' | 'https';
}

/** Who made an authorized request; `name` is absent for anonymous access. */
export interface Principal {
  readonly name?: string;
}

/**
 * Decides whether a request may have the access it needs (distribution's
 * `auth.AccessController`). Resolves with the principal when it may; rejects
 * with `AuthorizationError` when it may not, carrying the challenge to send.
 */
export interface AccessController {
  authorize(request: AuthRequest, access: readonly Access[]): Promise<Principal>;
}

/** Lets every request through anonymously: a registry without `auth` in its config. */
export const allowAll: AccessController = {
  authorize: () => Promise.resolve({}),
};

/** `repository:group/app:pull,push` (or `repository(plugin):…`), the form of a token scope. */
export function formatAccess(access: Access): string {
  const type =
    access.class === undefined || access.class === ''
      ? access.type
      : `${access.type}(${access.class})`;
  return `${type}:${access.name}:${access.actions.join(',')}`;
}
