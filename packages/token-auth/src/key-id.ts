import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/*
 * The two key IDs a registry may look a token's `kid` up by. distribution v2
 * (and GitLab, which signs for it) use docker/libtrust's fingerprint of the
 * key; distribution v3 indexes its root-certificate keys by RFC 7638 JWK
 * thumbprint instead, so a GitLab-style `kid` is unknown to it (issues #4299,
 * #4533). Issuers pick one; verifiers here accept both.
 */

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * docker/libtrust's key ID: SHA-256 of the PKIX SubjectPublicKeyInfo DER,
 * first 30 bytes, RFC 4648 base32 (48 characters, no padding), in 12 groups
 * of 4 joined by `:` (`ABCD:EFGH:…`). A private key is reduced to its public half.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = asPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return Array.from({ length: 12 }, (_, group) => encoded.slice(group * 4, group * 4 + 4)).join(
    ':',
  );
}

/**
 * The RFC 7638 SHA-256 JWK thumbprint, base64url: the hash of the required
 * members in lexical order with no whitespace — RSA `{e,kty,n}`, EC
 * `{crv,kty,x,y}`, OKP `{crv,kty,x}` (RFC 8037). Throws for keys with no JWK form.
 */
export function jwkThumbprint(publicKey: KeyObject): string {
  // Node exports RSA, EC and OKP keys as JWK and throws for the rest (DSA, RSA-PSS).
  const jwk = asPublicKey(publicKey).export({ format: 'jwk' });
  const canonical =
    jwk.kty === 'RSA'
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === 'EC'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

function asPublicKey(key: KeyObject): KeyObject {
  if (key.type === 'public') return key;
  if (key.type === 'private') return createPublicKey(key);
  throw new TypeError('a symmetric key has no key ID');
}

/**
 * RFC 4648 §6 base32 of a whole number of 5-byte groups (libtrust's 30
 * bytes), which never needs padding.
 */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return out;
}
