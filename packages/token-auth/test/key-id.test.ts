import { createHash, createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { jwkThumbprint, libtrustKeyId } from '../src/index.js';
import { pki } from './support/pki.js';

describe('key IDs', () => {
  describe('libtrustKeyId', () => {
    // The expectation comes from openssl and coreutils, not from this package:
    // SPKI DER → SHA-256 → first 30 bytes → base32 → groups of 4 joined by ":".
    const fromOpenssl = (source: string): string =>
      pki()
        .shell(
          `${source} | openssl dgst -sha256 -binary | head -c 30 | base32 | tr -d '\\n' | fold -w4 | paste -sd: -`,
        )
        .trim();

    it('matches openssl for an RSA key', () => {
      const { rsa } = pki();
      const expected = fromOpenssl(`openssl pkey -in '${rsa.keyPath}' -pubout -outform DER`);
      expect(expected).to.match(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
      expect(libtrustKeyId(createPublicKey(rsa.key))).to.equal(expected);
      // A private key is reduced to its public half.
      expect(libtrustKeyId(rsa.key)).to.equal(expected);
    });

    it('matches openssl for EC keys, and for the key of a certificate', () => {
      const { ec, ec521, dir } = pki();
      for (const identity of [ec, ec521]) {
        const expected = fromOpenssl(`openssl pkey -in '${identity.keyPath}' -pubout -outform DER`);
        expect(libtrustKeyId(identity.key)).to.equal(expected);
      }
      const expected = fromOpenssl(
        `openssl x509 -in '${dir}/ec.crt' -pubkey -noout | openssl pkey -pubin -outform DER`,
      );
      expect(libtrustKeyId(ec.key)).to.equal(expected);
    });

    it('refuses a symmetric key', () => {
      expect(() => libtrustKeyId(createSecretKey(Buffer.alloc(32)))).to.throw(TypeError);
    });
  });

  describe('jwkThumbprint', () => {
    it('gives the RFC 7638 §3.1 example thumbprint', () => {
      const key = createPublicKey({
        format: 'jwk',
        key: {
          kty: 'RSA',
          e: 'AQAB',
          n:
            '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebW' +
            'KRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMi' +
            'cAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcR' +
            'wr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
        },
      });
      expect(jwkThumbprint(key)).to.equal('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    });

    it('gives the RFC 8037 appendix A.3 Ed25519 thumbprint', () => {
      const key = createPublicKey({
        format: 'jwk',
        key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      });
      expect(jwkThumbprint(key)).to.equal('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    });

    it('hashes {crv,kty,x,y} in that order for EC keys', () => {
      const { ec } = pki();
      const jwk = createPublicKey(ec.key).export({ format: 'jwk' });
      // Written out by hand, in RFC 7638's member order.
      const canonical = `{"crv":"P-256","kty":"EC","x":"${String(jwk.x)}","y":"${String(jwk.y)}"}`;
      expect(jwkThumbprint(ec.key)).to.equal(
        createHash('sha256').update(canonical).digest('base64url'),
      );
    });

    it('has no thumbprint for keys without a JWK form', () => {
      const { publicKey } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
      expect(() => jwkThumbprint(publicKey)).to.throw();
    });
  });
});
