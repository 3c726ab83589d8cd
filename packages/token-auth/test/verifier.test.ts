import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import {
  createTokenIssuer,
  createTokenVerifier,
  libtrustKeyId,
  parseScopes,
} from '../src/index.js';
import { pki } from './support/pki.js';
import { claims, issuer, now, seconds, service, verifier } from './support/verifier-fixtures.js';
import { derOf, signWith } from './support/tokens.js';

describe('the token verifier', () => {
  describe('finds the signing key', () => {
    it('by a kid that is the libtrust ID of a root certificate key (distribution v2, GitLab)', () => {
      const tokens = createTokenIssuer({ privateKey: pki().rsa.key, issuer, now: () => now });
      const { token } = tokens.issue({
        subject: 'alice',
        audience: service,
        access: parseScopes('repository:group/app:pull,push repository(plugin):p:pull'),
      });
      const verified = verifier().verify(token);
      expect(verified.subject).to.equal('alice');
      expect(verified.access).to.deep.equal([
        { type: 'repository', name: 'group/app', actions: ['pull', 'push'] },
        { type: 'repository', class: 'plugin', name: 'p', actions: ['pull'] },
      ]);
      expect(verified.claims).to.include({ iss: issuer, aud: service, sub: 'alice' });
    });

    it('by a kid that is the RFC 7638 thumbprint of a root certificate key (distribution v3)', () => {
      const tokens = createTokenIssuer({ privateKey: pki().rsa.key, issuer, keyId: 'thumbprint' });
      const { token } = tokens.issue({ audience: service, access: [] });
      expect(verifier().verify(token).subject).to.equal('');
    });

    it('by the kid of a JWKS key, with no root bundle at all', () => {
      const tokens = createTokenIssuer({ privateKey: pki().ec.key, issuer });
      const { token } = tokens.issue({ subject: 'bob', audience: service, access: [] });
      const jwksOnly = verifier({ rootCertificates: undefined, jwks: tokens.jwks() });
      expect(jwksOnly.verify(token).subject).to.equal('bob');
      // Any kid a JWKS names, not only derived ones.
      const jwk = createPublicKey(pki().ec.key).export({ format: 'jwk' });
      const custom = verifier({ jwks: { keys: [{ ...jwk, kid: 'key-2026' }] } });
      const handMade = signWith(pki().ec.key, { alg: 'ES256', kid: 'key-2026' }, claims());
      expect(custom.verify(handMade).subject).to.equal('alice');
    });

    it('by an x5c chain through an intermediate to a root in the bundle', () => {
      const { root, intermediate, leaf } = pki();
      const tokens = createTokenIssuer({
        privateKey: leaf.key,
        certificateChain: leaf.certPem + intermediate.certPem,
        issuer,
      });
      const { token } = tokens.issue({ subject: 'carol', audience: service, access: [] });
      const check = verifier({ rootCertificates: pki().rsa.certPem + root.certPem });
      expect(check.verify(token).subject).to.equal('carol');
      // The chain may also include the root itself.
      const withRoot = createTokenIssuer({
        privateKey: leaf.key,
        certificateChain: leaf.certPem + intermediate.certPem + root.certPem,
        issuer,
      });
      expect(
        check.verify(withRoot.issue({ audience: service, access: [] }).token).subject,
      ).to.equal('');
      // Or stop at an intermediate that is itself in the bundle.
      const atIntermediate = verifier({ rootCertificates: intermediate.certPem });
      const leafOnly = signWith(leaf.key, { alg: 'ES256', x5c: [derOf(leaf.certPem)] }, claims());
      expect(atIntermediate.verify(leafOnly).subject).to.equal('alice');
    });

    it('by an x5c of a self-signed root that signs tokens itself', () => {
      const token = signWith(
        pki().rsa.key,
        { alg: 'RS256', x5c: [derOf(pki().rsa.certPem)] },
        claims(),
      );
      expect(verifier().verify(token).subject).to.equal('alice');
    });

    it('by a jwk header only when it is one of the trusted keys', () => {
      const jwk = createPublicKey(pki().rsa.key).export({ format: 'jwk' });
      const token = signWith(pki().rsa.key, { alg: 'RS256', jwk }, claims());
      expect(verifier().verify(token).subject).to.equal('alice');
    });

    it('checks ES and PS signatures too', () => {
      const es = signWith(
        pki().ec.key,
        { alg: 'ES256', kid: libtrustKeyId(pki().ec.key) },
        claims(),
      );
      expect(verifier({ rootCertificates: pki().ec.certPem }).verify(es).subject).to.equal('alice');
      for (const alg of ['PS256', 'PS384', 'PS512']) {
        const ps = signWith(pki().rsa.key, { alg, kid: libtrustKeyId(pki().rsa.key) }, claims());
        expect(verifier().verify(ps).subject, alg).to.equal('alice');
      }
    });

    it('trusts every certificate of the bundle, so keys can rotate', () => {
      const both = verifier({ rootCertificates: pki().rsa.certPem + pki().ec.certPem });
      for (const identity of [pki().rsa, pki().ec]) {
        const { token } = createTokenIssuer({ privateKey: identity.key, issuer }).issue({
          audience: service,
          access: [],
        });
        expect(both.verify(token).subject).to.equal('');
      }
    });
  });

  describe('accepts', () => {
    const kid = (): string => libtrustKeyId(pki().rsa.key);
    const sign = (payload: object, header: Record<string, unknown> = {}): string =>
      signWith(pki().rsa.key, { alg: 'RS256', kid: kid(), ...header }, payload);

    it('an audience list that includes the service', () => {
      expect(verifier().verify(sign(claims({ aud: ['other', service] }))).subject).to.equal(
        'alice',
      );
    });

    it('no nbf, no sub, no access, and typ absent, JWT or at+jwt', () => {
      const token = sign(claims({ nbf: undefined, sub: undefined, access: undefined }), {
        typ: undefined,
      });
      expect(verifier().verify(token)).to.deep.include({ subject: '', access: [] });
      expect(verifier().verify(sign(claims(), { typ: 'at+jwt' })).subject).to.equal('alice');
      expect(verifier().verify(sign(claims({ access: null }))).access).to.deep.equal([]);
    });

    it('59 s past exp or 59 s before nbf, within the 60 s leeway', () => {
      expect(verifier().verify(sign(claims({ exp: seconds - 59 }))).subject).to.equal('alice');
      expect(verifier().verify(sign(claims({ nbf: seconds + 59 }))).subject).to.equal('alice');
    });
  });

  it('is configured with at least one trusted key and one usable algorithm', () => {
    const base = { issuer, service };
    const pem = pki().rsa.certPem;
    expect(() => createTokenVerifier(base)).to.throw(TypeError, /rootCertificates or jwks/);
    expect(() => createTokenVerifier({ ...base, jwks: { keys: [] } })).to.throw(TypeError);
    expect(() => createTokenVerifier({ ...base, issuer: '', rootCertificates: pem })).to.throw(
      TypeError,
      /issuer and a service/,
    );
    expect(() => createTokenVerifier({ ...base, rootCertificates: 'no pem' })).to.throw(
      TypeError,
      /no PEM certificate/,
    );
    expect(() =>
      createTokenVerifier({ ...base, rootCertificates: pem, algorithms: ['HS256', 'none'] }),
    ).to.throw(TypeError, /no usable algorithm/);
    expect(() =>
      createTokenVerifier({ ...base, rootCertificates: pem, leewaySeconds: -1 }),
    ).to.throw(TypeError, /leeway/);
    const jwk = createPublicKey(pki().ec.key).export({ format: 'jwk' });
    for (const [keys, message] of [
      [[jwk], /no "kid"/],
      [[{ ...jwk, kid: 'a', use: 'enc' }], /not a signing key/],
      [[{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }], /not a public key/],
    ] as const) {
      expect(() => createTokenVerifier({ ...base, jwks: { keys } }), String(message)).to.throw(
        TypeError,
        message,
      );
    }
  });
});
