import {
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto';
import { jwkThumbprint, libtrustKeyId } from './key-id.js';

/** A key a token's `kid` may name; `algorithm` pins it when its JWK says `alg`. */
export interface TrustedKey {
  readonly key: KeyObject;
  readonly algorithm?: string;
}

/**
 * Every `kid` a verifier accepts, as both distribution generations build it:
 * each root certificate's key under its libtrust key ID (v2, GitLab) and its
 * RFC 7638 thumbprint (v3), and each JWKS key under its own `kid` (v3 `jwks`).
 * Throws on a JWKS entry that cannot be a token-signing public key.
 */
export function trustedKeys(
  roots: readonly X509Certificate[],
  jwks: { readonly keys: readonly JsonWebKey[] } | undefined,
): Map<string, TrustedKey> {
  const keys = new Map<string, TrustedKey>();
  for (const root of roots) {
    keys.set(libtrustKeyId(root.publicKey), { key: root.publicKey });
    keys.set(jwkThumbprint(root.publicKey), { key: root.publicKey });
  }
  for (const [index, jwk] of (jwks?.keys ?? []).entries()) {
    const { kid, alg, use } = jwk as { kid?: unknown; alg?: unknown; use?: unknown };
    if (typeof kid !== 'string' || kid === '') {
      throw new TypeError(`jwks.keys[${String(index)}] has no "kid" to be found by`);
    }
    if (use !== undefined && use !== 'sig') {
      throw new TypeError(`jwks.keys[${String(index)}] ("${kid}") is not a signing key`);
    }
    let key: KeyObject;
    try {
      // Symmetric ("oct") keys fail here: a shared secret never verifies registry tokens.
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch (error) {
      throw new TypeError(`jwks.keys[${String(index)}] ("${kid}") is not a public key`, {
        cause: error,
      });
    }
    keys.set(kid, typeof alg === 'string' ? { key, algorithm: alg } : { key });
  }
  return keys;
}
