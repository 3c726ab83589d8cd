import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export type SigningAlgorithm = 'ES256' | 'ES384' | 'RS256';

const algorithms: Record<
  SigningAlgorithm,
  webcrypto.RsaHashedKeyGenParams | (webcrypto.EcKeyGenParams & { hash: string })
> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' },
  RS256: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 3072,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};

export interface GeneratedKey {
  readonly keyPath: string;
  readonly certificatePath: string;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

/**
 * A signing key for Docker tokens and a self-signed certificate of it: the
 * key signs tokens (`lading.tokenservice.key`), the certificate goes in the
 * `rootcertbundle` of every registry that must trust them.
 */
export async function generateSigningKey(options: {
  directory: string;
  algorithm: SigningAlgorithm;
  commonName: string;
  days: number;
}): Promise<GeneratedKey> {
  // @peculiar/x509 is typed against the DOM's Crypto; Node's webcrypto is that API.
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = algorithms[options.algorithm];
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${options.commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + options.days * 86_400_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END PRIVATE KEY-----\n`;
  const certificatePem = `${certificate.toString('pem').trim()}\n`;
  await mkdir(options.directory, { recursive: true });
  const keyPath = join(options.directory, 'token.key');
  const certificatePath = join(options.directory, 'token.pem');
  await writeFile(keyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(certificatePath, certificatePem, { flag: 'wx' });
  return { keyPath, certificatePath, privateKeyPem, certificatePem };
}
