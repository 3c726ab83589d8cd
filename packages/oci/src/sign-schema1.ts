import { sign, type KeyObject } from 'node:crypto';
import type { Schema1Manifest } from './manifest-types.js';

const algorithmOfCurve: Record<string, { alg: string; hash: string }> = {
  'P-256': { alg: 'ES256', hash: 'sha256' },
  'P-384': { alg: 'ES384', hash: 'sha384' },
  'P-521': { alg: 'ES512', hash: 'sha512' },
};

/**
 * Signs a schema 1 manifest the way libtrust does (a JWS "pretty signature"
 * with an EC key), giving the bytes a client would push as
 * `application/vnd.docker.distribution.manifest.v1+prettyjws`.
 */
export function signSchema1(
  manifest: Schema1Manifest,
  privateKey: KeyObject,
  time = new Date(),
): Buffer {
  const content = Buffer.from(JSON.stringify(manifest, null, 3));
  // libtrust signs the document up to its last member, then re-appends the tail ("\n}").
  const formatLength = content.lastIndexOf('}');
  const trimmed = content.subarray(0, formatLength).toString().trimEnd().length;
  const tail = content.subarray(trimmed);
  const jwk = privateKey.export({ format: 'jwk' });
  const curve = algorithmOfCurve[jwk.crv ?? ''];
  if (curve === undefined)
    throw new Error(`signSchema1 needs an EC P-256/384/521 key, not ${String(jwk.crv)}`);
  const header = Buffer.from(
    JSON.stringify({
      formatLength: trimmed,
      formatTail: tail.toString('base64url'),
      time: time.toISOString(),
    }),
  ).toString('base64url');
  const signingInput = `${header}.${content.toString('base64url')}`;
  const signature = sign(curve.hash, Buffer.from(signingInput), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  const signatures = [
    {
      header: { jwk: { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }, alg: curve.alg },
      signature: signature.toString('base64url'),
      protected: header,
    },
  ];
  const signatureBlock = JSON.stringify(signatures, null, 3).replace(/\n/g, '\n   ');
  return Buffer.concat([
    content.subarray(0, trimmed),
    Buffer.from(`,\n   "signatures": ${signatureBlock}`),
    tail,
  ]);
}
