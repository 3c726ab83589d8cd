import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Access } from './access.js';
import { parseCertificateBundle, verifyCertificateChain } from './certificates.js';
import { fromAccessClaims } from './claims.js';
import { TokenInvalidError } from './errors.js';
import { decodeJws } from './jws.js';
import { jwkThumbprint } from './key-id.js';
import { trustedKeys, type TrustedKey } from './trusted-keys.js';

/** The asymmetric algorithms a verifier can check; never `none`, never HMAC. */
export const verificationAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
] as const;

export interface TokenVerifierOptions {
  /** `auth.token.issuer`: the `iss` every token must carry. */
  readonly issuer: string;
  /** `auth.token.service`: must be the token's `aud` or one of them. */
  readonly service: string;
  /** `rootcertbundle`: PEM certificates whose keys sign tokens or root their `x5c` chains. */
  readonly rootCertificates?: string;
  /** `jwks` (distribution v3): keys found by their `kid`. */
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
  /**
   * `signingalgorithms`. Default: RS, ES and PS at 256, 384 and 512 bits.
   * `none` and HS* are never accepted, even when listed: a registry shares no
   * secret with its token server, and HS256 "signed" with the public key is
   * the classic forgery.
   */
  readonly algorithms?: readonly string[];
  /** Clock skew allowed on `exp` and `nbf`. Default 60 s, as distribution. */
  readonly leewaySeconds?: number;
  readonly now?: () => Date;
}

export interface VerifiedToken {
  /** `sub`; empty for anonymous access. */
  readonly subject: string;
  /** The `access` claim: what the token grants. */
  readonly access: Access[];
  /** Every claim, for policies that read more (GitLab's `meta`, `auth_type`). */
  readonly claims: Record<string, unknown>;
}

export interface TokenVerifier {
  /** The token's grant, or throws `TokenInvalidError` saying why not. */
  verify(token: string): VerifiedToken;
}

const bearerTypes = /^(?:application\/)?(?:jwt|at\+jwt)$/i;

/**
 * Checks registry bearer tokens as distribution's token access controller
 * does (both generations). The signing key comes from, in order: an `x5c`
 * chain leading to a root certificate; a `kid` naming a root certificate's key
 * (by libtrust ID or RFC 7638 thumbprint) or a JWKS key; a `jwk` header only
 * when it is one of those trusted keys — an embedded key alone proves nothing.
 * Then the signature, then `iss`, `aud`, `exp` and `nbf` with leeway.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (options.issuer === '' || options.service === '') {
    throw new TypeError('a token verifier needs an issuer and a service');
  }
  const roots =
    options.rootCertificates === undefined
      ? []
      : parseCertificateBundle(options.rootCertificates, 'rootCertificates');
  const keys = trustedKeys(roots, options.jwks);
  if (keys.size === 0) {
    throw new TypeError('a token verifier needs rootCertificates or jwks keys to trust');
  }
  const supported: readonly string[] = verificationAlgorithms;
  const algorithms = (options.algorithms ?? verificationAlgorithms).filter((alg) =>
    supported.includes(alg),
  );
  if (algorithms.length === 0) {
    throw new TypeError(`no usable algorithm; supported: ${verificationAlgorithms.join(', ')}`);
  }
  const leeway = options.leewaySeconds ?? 60;
  if (!(leeway >= 0)) throw new TypeError('leewaySeconds must not be negative');
  const clock = options.now ?? (() => new Date());

  function checkAlgorithm(alg: unknown): string {
    if (typeof alg !== 'string') throw new TokenInvalidError('malformed', 'token has no "alg"');
    if (alg.toLowerCase() === 'none') {
      throw new TokenInvalidError(
        'unsupported_algorithm',
        'unsigned tokens (alg "none") are never accepted',
      );
    }
    if (/^hs/i.test(alg)) {
      throw new TokenInvalidError(
        'unsupported_algorithm',
        `symmetric algorithm ${quote(alg)} is never accepted`,
      );
    }
    if (!algorithms.includes(alg)) {
      throw new TokenInvalidError(
        'unsupported_algorithm',
        `algorithm ${quote(alg)} is not accepted (accepted: ${algorithms.join(', ')})`,
      );
    }
    return alg;
  }

  function selectKey(header: Record<string, unknown>, alg: string, now: Date): KeyObject {
    if (header.x5c !== undefined) {
      // A chain is judged on its own: a failed one does not fall back to `kid`.
      return verifyCertificateChain(header.x5c, roots, now);
    }
    if (header.kid !== undefined) {
      if (typeof header.kid !== 'string') {
        throw new TokenInvalidError('malformed', '"kid" is not a string');
      }
      return pinned(keys.get(header.kid), header.kid, alg);
    }
    if (header.jwk !== undefined) {
      // The embedded key only names a trusted one (by thumbprint); its material is never used.
      let thumbprint: string;
      try {
        thumbprint = jwkThumbprint(
          createPublicKey({ key: header.jwk as JsonWebKey, format: 'jwk' }),
        );
      } catch (error) {
        throw new TokenInvalidError('malformed', '"jwk" is not a public key', { cause: error });
      }
      const trusted = keys.get(thumbprint);
      if (trusted === undefined) {
        throw new TokenInvalidError(
          'untrusted_key',
          `token carries only a "jwk" (thumbprint ${thumbprint}) that is not a trusted key; an embedded key is never trusted by itself`,
        );
      }
      return trusted.key;
    }
    throw new TokenInvalidError('untrusted_key', 'token names no key (no "x5c", "kid" or "jwk")');
  }

  function pinned(trusted: TrustedKey | undefined, kid: string, alg: string): KeyObject {
    if (trusted === undefined) {
      throw new TokenInvalidError(
        'untrusted_key',
        `token signed by untrusted key with ID ${quote(kid)}`,
      );
    }
    if (trusted.algorithm !== undefined && trusted.algorithm !== alg) {
      throw new TokenInvalidError(
        'unsupported_algorithm',
        `key ${quote(kid)} signs with ${quote(trusted.algorithm)}, not ${quote(alg)}`,
      );
    }
    return trusted.key;
  }

  function checkClaims(claims: Record<string, unknown>, now: Date): VerifiedToken {
    const { iss, aud, exp, nbf, sub } = claims;
    if (iss !== options.issuer) {
      throw new TokenInvalidError(
        'wrong_issuer',
        `token issuer ${quote(iss)} is not ${quote(options.issuer)}`,
      );
    }
    const audiences: unknown[] = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    if (!audiences.includes(options.service)) {
      throw new TokenInvalidError(
        'wrong_audience',
        `token audience ${quote(aud)} does not include ${quote(options.service)}`,
      );
    }
    const seconds = now.getTime() / 1000;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) {
      throw new TokenInvalidError('malformed', 'token has no numeric "exp"');
    }
    if (seconds > exp + leeway) {
      throw new TokenInvalidError(
        'expired',
        `token expired ${String(Math.round(seconds - exp))} s ago (leeway ${String(leeway)} s)`,
      );
    }
    if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) {
      throw new TokenInvalidError('malformed', 'token "nbf" is not a number');
    }
    if (nbf !== undefined && seconds < nbf - leeway) {
      throw new TokenInvalidError(
        'not_yet_valid',
        `token is not valid for another ${String(Math.round(nbf - seconds))} s (leeway ${String(leeway)} s)`,
      );
    }
    if (sub !== undefined && typeof sub !== 'string') {
      throw new TokenInvalidError('malformed', 'token "sub" is not a string');
    }
    const access = fromAccessClaims(claims.access);
    if (access === undefined) {
      throw new TokenInvalidError('malformed', 'token "access" is not a list of resource actions');
    }
    return { subject: sub ?? '', access, claims };
  }

  return {
    verify(token: string): VerifiedToken {
      const { header, payload } = decodeJws(token);
      const alg = checkAlgorithm(header.alg);
      if (
        header.typ !== undefined &&
        !(typeof header.typ === 'string' && bearerTypes.test(header.typ))
      ) {
        throw new TokenInvalidError(
          'wrong_type',
          `token type ${quote(header.typ)} is not a bearer token`,
        );
      }
      if (header.crit !== undefined) {
        // RFC 7515 §4.1.11: extensions we do not understand make the token unusable.
        throw new TokenInvalidError('malformed', 'token has critical header extensions ("crit")');
      }
      const now = clock();
      const key = selectKey(header, alg, now);
      try {
        jwt.verify(token, key, {
          algorithms: [alg as jwt.Algorithm],
          // Time claims are checked below with distribution's leeway semantics.
          ignoreExpiration: true,
          ignoreNotBefore: true,
        });
      } catch (error) {
        throw new TokenInvalidError(
          'bad_signature',
          `token signature does not verify: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return checkClaims(payload, now);
    },
  };
}

/** A value from a token, quoted and cut short for messages. */
function quote(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
