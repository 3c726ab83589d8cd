import {
  createPrivateKey,
  createPublicKey,
  randomUUID,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Access } from './access.js';
import { parseCertificateBundle } from './certificates.js';
import { refreshTokenType, toAccessClaims, type TokenClaims } from './claims.js';
import { jwkThumbprint, libtrustKeyId } from './key-id.js';
import { verifyRefreshToken } from './refresh-token.js';

export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

export interface TokenIssuerOptions {
  /** RSA (2048 bits or more) or EC P-256/384/521; a `KeyObject` or PEM. */
  readonly privateKey: KeyObject | string;
  /**
   * PEM bundle, leaf (the certificate of `privateKey`) first. When given,
   * tokens carry it as `x5c`, which a registry verifies up to its root bundle.
   */
  readonly certificateChain?: string;
  /** `iss`; the registry's `auth.token.issuer` must be the same. */
  readonly issuer: string;
  /** Token lifetime. Default 300 s (GitLab's default 5 minutes); at least 60. */
  readonly lifetimeSeconds?: number;
  /** Default from the key: RSA → RS256, P-256 → ES256, P-384 → ES384, P-521 → ES512. */
  readonly algorithm?: SigningAlgorithm;
  /**
   * How `kid` is derived: `libtrust` (default; distribution 2.x and GitLab) or
   * `thumbprint` (RFC 7638, what distribution 3 finds root-certificate keys
   * by). Serving `jwks()` to a v3 registry makes either work there.
   */
  readonly keyId?: 'libtrust' | 'thumbprint';
  readonly now?: () => Date;
}

export interface IssueRequest {
  /** The user name; absent or empty for anonymous. */
  readonly subject?: string;
  /** The service the token is for (`aud`). */
  readonly audience: string;
  /** What is granted: already the intersection of asked and allowed. */
  readonly access: readonly Access[];
  /** This token's lifetime instead of the issuer's; at least 60 s. */
  readonly lifetimeSeconds?: number;
}

export interface IssuedToken {
  readonly token: string;
  /** Seconds until `exp`. */
  readonly expiresIn: number;
  /** `iat` as RFC 3339 UTC, for the response's `issued_at`. */
  readonly issuedAt: string;
}

export interface RefreshTokenRequest {
  readonly subject: string;
  /** The principal's `credential`, handed back to the authorizer on refresh. */
  readonly credential?: string;
  /** The service the refresh token may fetch access tokens for. */
  readonly service: string;
  readonly lifetimeSeconds: number;
}

export interface TokenIssuer {
  readonly issuer: string;
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  readonly publicKey: KeyObject;
  issue(request: IssueRequest): IssuedToken;
  /** The public key as a JWKS, with the same `kid` as the tokens (distribution v3 `jwks`). */
  jwks(): { keys: JsonWebKey[] };
  /**
   * A refresh token: signed by the same key, but typed `refresh+jwt`, with
   * the issuer itself as audience and no `access`, so no registry takes it
   * as a bearer token. Bound to its subject and service.
   */
  issueRefreshToken(request: RefreshTokenRequest): string;
  /** The subject of a refresh token this issuer made for `service`, or throws `TokenInvalidError`. */
  verifyRefreshToken(token: string, service: string): { subject: string; credential?: string };
}

/** Tokens must outlive the 60 s docker clients assume when `expires_in` is short or missing. */
export const minLifetimeSeconds = 60;

/**
 * Signs registry bearer tokens the way GitLab's `/jwt/auth` does (RS256,
 * header `kid`, `nbf` 5 s in the past), with `x5c` and a JWKS on offer for
 * registries that find keys those ways.
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const privateKey =
    typeof options.privateKey === 'string'
      ? createPrivateKey(options.privateKey)
      : options.privateKey;
  if (privateKey.type !== 'private') throw new TypeError('privateKey must be a private key');
  const publicKey = createPublicKey(privateKey);
  const algorithm = options.algorithm ?? defaultAlgorithm(privateKey);
  checkAlgorithm(privateKey, algorithm);
  if (options.issuer === '') throw new TypeError('issuer must not be empty');
  const lifetime = options.lifetimeSeconds ?? 300;
  checkLifetime(lifetime);
  const keyId =
    options.keyId === 'thumbprint' ? jwkThumbprint(publicKey) : libtrustKeyId(publicKey);
  const x5c =
    options.certificateChain === undefined
      ? undefined
      : chainOf(options.certificateChain, publicKey);
  const clock = options.now ?? (() => new Date());
  const issuer = options.issuer;

  function sign(payload: object, typ: string): string {
    return jwt.sign(payload, privateKey, {
      algorithm,
      header:
        x5c === undefined
          ? { alg: algorithm, typ, kid: keyId }
          : { alg: algorithm, typ, kid: keyId, x5c },
    });
  }

  function times(lifetimeSeconds: number): { iat: number; nbf: number; exp: number } {
    const iat = Math.floor(clock().getTime() / 1000);
    // GitLab backdates nbf by 5 s so a registry whose clock is a little behind takes the token.
    return { iat, nbf: iat - 5, exp: iat + lifetimeSeconds };
  }

  return {
    issuer,
    keyId,
    algorithm,
    publicKey,
    issue(request: IssueRequest): IssuedToken {
      if (request.audience === '') throw new TypeError('a token needs an audience');
      const tokenLifetime = request.lifetimeSeconds ?? lifetime;
      checkLifetime(tokenLifetime);
      const { iat, nbf, exp } = times(tokenLifetime);
      const claims: TokenClaims = {
        iss: issuer,
        sub: request.subject ?? '',
        aud: request.audience,
        exp,
        nbf,
        iat,
        jti: randomUUID(),
        access: toAccessClaims(request.access),
      };
      return { token: sign(claims, 'JWT'), expiresIn: tokenLifetime, issuedAt: rfc3339(iat) };
    },
    jwks() {
      return {
        keys: [{ ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: algorithm, use: 'sig' }],
      };
    },
    issueRefreshToken(request: RefreshTokenRequest): string {
      if (request.subject === '') throw new TypeError('anonymous access has nothing to refresh');
      return sign(
        {
          iss: issuer,
          sub: request.subject,
          aud: issuer,
          service: request.service,
          ...times(request.lifetimeSeconds),
          jti: randomUUID(),
          token_use: 'refresh',
          ...(request.credential === undefined ? {} : { credential: request.credential }),
        },
        refreshTokenType,
      );
    },
    verifyRefreshToken(token: string, service: string) {
      return verifyRefreshToken(token, { publicKey, algorithm, issuer, service, now: clock() });
    },
  };
}

function checkLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < minLifetimeSeconds) {
    throw new TypeError(
      `lifetimeSeconds must be a whole number of at least ${String(minLifetimeSeconds)}`,
    );
  }
}

function defaultAlgorithm(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const algorithm = curveAlgorithms[String(key.asymmetricKeyDetails?.namedCurve)];
    if (algorithm !== undefined) return algorithm;
  }
  throw new TypeError(
    `cannot sign registry tokens with a ${String(key.asymmetricKeyType)} key; use RSA or EC P-256, P-384 or P-521`,
  );
}

const curveAlgorithms: Partial<Record<string, SigningAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

function checkAlgorithm(key: KeyObject, algorithm: SigningAlgorithm): void {
  const fits = algorithm.startsWith('RS')
    ? key.asymmetricKeyType === 'rsa' && Number(key.asymmetricKeyDetails?.modulusLength) >= 2048
    : curveAlgorithms[String(key.asymmetricKeyDetails?.namedCurve)] === algorithm;
  if (!fits) {
    throw new TypeError(
      `${algorithm} needs ${algorithm.startsWith('RS') ? 'an RSA key of 2048 bits or more' : `an EC key on the matching curve`}`,
    );
  }
}

/** The chain as `x5c` (base64 DER, leaf first), after checking the leaf is this key's. */
function chainOf(pem: string, publicKey: KeyObject): string[] {
  const certificates = parseCertificateBundle(pem, 'certificateChain');
  const leaf = certificates[0].publicKey.export({ type: 'spki', format: 'der' });
  if (!leaf.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new TypeError('the first certificate of certificateChain is not for privateKey');
  }
  return certificates.map((certificate) => certificate.raw.toString('base64'));
}

/** RFC 3339 without fractional seconds, as distribution's token server writes `issued_at`. */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
