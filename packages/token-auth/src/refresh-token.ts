import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { refreshTokenType } from './claims.js';
import { TokenInvalidError } from './errors.js';
import { decodeJws } from './jws.js';

export interface RefreshTokenCheck {
  readonly publicKey: KeyObject;
  readonly algorithm: jwt.Algorithm;
  /** The issuer's name: both `iss` and `aud` of its refresh tokens. */
  readonly issuer: string;
  /** The service the client now asks a token for; must be the one the refresh token is for. */
  readonly service: string;
  readonly now: Date;
}

/**
 * The subject of a refresh token made by the issuer described in `check`, or
 * throws `TokenInvalidError`. Only the issuer's own key and algorithm are
 * tried, and the `refresh+jwt` type is required, so a bearer token (typed
 * `JWT`, audience a registry) can never be traded in for a refresh.
 */
export function verifyRefreshToken(
  token: string,
  check: RefreshTokenCheck,
): { subject: string; credential?: string } {
  const { header } = decodeJws(token);
  if (header.typ !== refreshTokenType) {
    throw new TokenInvalidError('wrong_type', 'not a refresh token');
  }
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, check.publicKey, {
      algorithms: [check.algorithm],
      issuer: check.issuer,
      audience: check.issuer,
      clockTimestamp: Math.floor(check.now.getTime() / 1000),
    }) as jwt.JwtPayload;
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'expired' : 'bad_signature';
    throw new TokenInvalidError(reason, `refresh token refused: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (claims.token_use !== 'refresh' || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new TokenInvalidError('wrong_type', 'not a refresh token');
  }
  if (claims.service !== check.service) {
    throw new TokenInvalidError('wrong_service', 'refresh token is for another service');
  }
  const credential: unknown = claims.credential;
  if (credential !== undefined && typeof credential !== 'string') {
    throw new TokenInvalidError('wrong_type', 'not a refresh token');
  }
  return credential === undefined ? { subject: claims.sub } : { subject: claims.sub, credential };
}
