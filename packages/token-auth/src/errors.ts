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

const tokenErrorBrand = Symbol.for('@lading/token-auth/token-invalid');

/** Why a token was refused; stable, for metrics and tests (the message is for people). */
export type TokenInvalidReason =
  | 'too_large'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'wrong_type'
  | 'untrusted_key'
  | 'untrusted_chain'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_service';

/**
 * A bearer or refresh token that may not be used. The registry answers it
 * with 401 and `error="invalid_token"`; the token endpoint with
 * `invalid_grant`. The message says why, never echoing the token itself.
 */
export class TokenInvalidError extends Error {
  readonly [tokenErrorBrand] = true;

  constructor(
    readonly reason: TokenInvalidReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenInvalidError';
  }
}

export function isTokenInvalidError(error: unknown): error is TokenInvalidError {
  return typeof error === 'object' && error !== null && tokenErrorBrand in error;
}
