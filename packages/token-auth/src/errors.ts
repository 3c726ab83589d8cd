import { formatAccess, type Access } from './access.js';

const authErrorBrand = Symbol.for('@lading/token-auth/error');

/**
 * A request that may not have what it asked for. `UNAUTHORIZED` (401) means
 * "who are you?" — missing or invalid credentials — and `challenge` is the
 * `WWW-Authenticate` value that tells the client how to authenticate;
 * `DENIED` (403) means the principal is known and still may not.
 */
export class AuthorizationError extends Error {
  readonly [authErrorBrand] = true;

  constructor(
    readonly code: 'UNAUTHORIZED' | 'DENIED',
    message: string,
    readonly access: readonly Access[] = [],
    readonly challenge?: string,
  ) {
    super(message);
    this.name = 'AuthorizationError';
  }

  /** The access that was asked for, as the error detail distribution sends. */
  get detail(): { Type: string; Name: string; Action: string }[] {
    return this.access.flatMap((item) =>
      item.actions.map((action) => ({ Type: item.type, Name: item.name, Action: action })),
    );
  }

  /** The scopes asked for, space-separated, as a challenge's `scope` parameter. */
  get scope(): string {
    return this.access.map(formatAccess).join(' ');
  }
}

export function isAuthorizationError(error: unknown): error is AuthorizationError {
  return typeof error === 'object' && error !== null && authErrorBrand in error;
}
