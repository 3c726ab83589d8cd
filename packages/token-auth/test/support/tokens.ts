import { constants, createHmac, createSign, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { TokenInvalidError, type TokenInvalidReason } from '../../src/index.js';

/*
 * Hand-built JWS compact tokens, so tests can make what no honest issuer
 * would: `alg: none`, HMAC keyed with a public key, foreign keys, odd headers.
 */

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

export function unsigned(header: object, payload: object): string {
  return `${b64url(header)}.${b64url(payload)}`;
}

/** RS256 or ES256 (JOSE raw r||s signature) with `key`. */
export function signWith(key: KeyObject, header: Record<string, unknown>, payload: object): string {
  const input = unsigned(header, payload);
  const alg = String(header.alg);
  const hash = `sha${alg.slice(2)}`;
  const signer = createSign(hash).update(input);
  const signature = alg.startsWith('ES')
    ? signer.sign({ key, dsaEncoding: 'ieee-p1363' })
    : alg.startsWith('PS')
      ? signer.sign({
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: Number(alg.slice(2)) / 8,
        })
      : signer.sign(key);
  return `${input}.${signature.toString('base64url')}`;
}

export function hmacWith(
  secret: string | Buffer,
  header: Record<string, unknown>,
  payload: object,
): string {
  const input = unsigned(header, payload);
  const signature = createHmac(`sha${String(header.alg).slice(2)}`, secret)
    .update(input)
    .digest('base64url');
  return `${input}.${signature}`;
}

/** Asserts `action` throws `TokenInvalidError` with `reason`, and returns its message. */
export function refusal(action: () => unknown, reason: TokenInvalidReason): string {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a TokenInvalidError').to.be.instanceOf(TokenInvalidError);
  const error = caught as TokenInvalidError;
  expect(error.reason, error.message).to.equal(reason);
  return error.message;
}

/** Header and payload of a compact JWS, unverified. */
export function decodeToken(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  };
}

/** base64 DER of the first certificate of a PEM, as `x5c` wants it. */
export function derOf(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
}
