import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import {
  createTokenIssuer,
  createTokenVerifier,
  jwkThumbprint,
  libtrustKeyId,
  minLifetimeSeconds,
  parseScopes,
} from '../src/index.js';
import { pki } from './support/pki.js';
import { decodeToken, refusal, signWith } from './support/tokens.js';

const at = new Date('2026-03-01T12:00:00.750Z');
const atSeconds = Math.floor(at.getTime() / 1000);

describe('the token issuer', () => {
  it('signs the claims distribution and GitLab use', () => {
    const issuer = createTokenIssuer({
      privateKey: pki().rsa.key,
      issuer: 'gitlab-issuer',
      now: () => at,
    });
    const issued = issuer.issue({
      subject: 'alice',
      audience: 'container_registry',
      access: parseScopes('repository:group/app:pull,push repository(plugin):p:pull'),
    });
    const { header, payload } = decodeToken(issued.token);
    expect(header).to.deep.equal({
      alg: 'RS256',
      typ: 'JWT',
      kid: libtrustKeyId(pki().rsa.key),
    });
    expect(payload).to.include({
      iss: 'gitlab-issuer',
      sub: 'alice',
      aud: 'container_registry',
      iat: atSeconds,
      nbf: atSeconds - 5,
      exp: atSeconds + 300,
    });
    expect(payload.jti).to.match(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(payload.access).to.deep.equal([
      { type: 'repository', name: 'group/app', actions: ['pull', 'push'] },
      { type: 'repository', class: 'plugin', name: 'p', actions: ['pull'] },
    ]);
    expect(Object.keys(payload).sort()).to.deep.equal(
      ['access', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub'].sort(),
    );
    expect(issued.expiresIn).to.equal(300);
    expect(issued.issuedAt).to.equal('2026-03-01T12:00:00Z');
    expect(issuer.keyId).to.equal(header.kid);
    expect(issuer.algorithm).to.equal('RS256');
    // A fresh jti every time.
    const again = decodeToken(issuer.issue({ audience: 'r', access: [] }).token).payload;
    expect(again.jti).to.not.equal(payload.jti);
  });

  it('gives anonymous tokens an empty sub', () => {
    const issuer = createTokenIssuer({ privateKey: pki().rsa.key, issuer: 'i' });
    expect(decodeToken(issuer.issue({ audience: 'r', access: [] }).token).payload.sub).to.equal('');
    expect(
      decodeToken(issuer.issue({ subject: '', audience: 'r', access: [] }).token).payload.sub,
    ).to.equal('');
  });

  it('takes the lifetime, and refuses one under 60 s or fractional', () => {
    const issuer = createTokenIssuer({
      privateKey: pki().rsa.keyPem,
      issuer: 'i',
      lifetimeSeconds: 900,
      now: () => at,
    });
    const issued = issuer.issue({ audience: 'r', access: [] });
    expect(issued.expiresIn).to.equal(900);
    expect(decodeToken(issued.token).payload.exp).to.equal(atSeconds + 900);
    expect(minLifetimeSeconds).to.equal(60);
    for (const lifetimeSeconds of [minLifetimeSeconds - 1, 0, -1, 60.5, Number.NaN]) {
      expect(
        () => createTokenIssuer({ privateKey: pki().rsa.key, issuer: 'i', lifetimeSeconds }),
        String(lifetimeSeconds),
      ).to.throw(TypeError, /lifetimeSeconds/);
    }
  });

  it('can use the RFC 7638 thumbprint as kid', () => {
    const issuer = createTokenIssuer({
      privateKey: pki().rsa.key,
      issuer: 'i',
      keyId: 'thumbprint',
    });
    expect(issuer.keyId).to.equal(jwkThumbprint(pki().rsa.key));
    expect(decodeToken(issuer.issue({ audience: 'r', access: [] }).token).header.kid).to.equal(
      issuer.keyId,
    );
  });

  it('carries the certificate chain as x5c, leaf first, in base64 DER', () => {
    const { leaf, intermediate } = pki();
    const issuer = createTokenIssuer({
      privateKey: leaf.key,
      certificateChain: leaf.certPem + intermediate.certPem,
      issuer: 'i',
    });
    const { header } = decodeToken(issuer.issue({ audience: 'r', access: [] }).token);
    const der = (name: string): string =>
      pki()
        .openssl(['x509', '-in', `${name}.crt`, '-outform', 'DER'])
        .toString('base64');
    expect(header.x5c).to.deep.equal([der('leaf'), der('intermediate')]);
    expect(header.alg).to.equal('ES256');
    expect(header.kid).to.equal(libtrustKeyId(leaf.key));
  });

  it('refuses a chain whose first certificate is not for the key', () => {
    const { leaf, intermediate } = pki();
    expect(() =>
      createTokenIssuer({
        privateKey: leaf.key,
        certificateChain: intermediate.certPem + leaf.certPem,
        issuer: 'i',
      }),
    ).to.throw(TypeError, /not for privateKey/);
    expect(() =>
      createTokenIssuer({ privateKey: leaf.key, certificateChain: 'nothing', issuer: 'i' }),
    ).to.throw(TypeError, /no PEM certificate/);
  });

  it('picks the algorithm from the key, and each verifies', () => {
    const { ec, ec384, ec521 } = pki();
    for (const [identity, alg] of [
      [ec, 'ES256'],
      [ec384, 'ES384'],
      [ec521, 'ES512'],
    ] as const) {
      const issuer = createTokenIssuer({ privateKey: identity.key, issuer: 'i' });
      expect(issuer.algorithm).to.equal(alg);
      const { token } = issuer.issue({ subject: 'u', audience: 'r', access: [] });
      expect(decodeToken(token).header.alg).to.equal(alg);
      const verifier = createTokenVerifier({
        issuer: 'i',
        service: 'r',
        rootCertificates: identity.certPem,
      });
      expect(verifier.verify(token).subject).to.equal('u');
    }
  });

  it('signs with RS384 and RS512 when asked', () => {
    for (const algorithm of ['RS384', 'RS512'] as const) {
      const issuer = createTokenIssuer({ privateKey: pki().rsa.key, issuer: 'i', algorithm });
      const { token } = issuer.issue({ audience: 'r', access: [] });
      expect(decodeToken(token).header.alg).to.equal(algorithm);
      const verifier = createTokenVerifier({
        issuer: 'i',
        service: 'r',
        rootCertificates: pki().rsa.certPem,
      });
      expect(verifier.verify(token).subject).to.equal('');
    }
  });

  it('refuses keys and algorithms that do not fit', () => {
    const { rsa, ec } = pki();
    const cases: [Parameters<typeof createTokenIssuer>[0], RegExp][] = [
      [{ privateKey: ec.key, issuer: 'i', algorithm: 'RS256' }, /RSA key/],
      [{ privateKey: ec.key, issuer: 'i', algorithm: 'ES384' }, /matching curve/],
      [{ privateKey: rsa.key, issuer: 'i', algorithm: 'ES256' }, /matching curve/],
      [
        {
          privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
          issuer: 'i',
        },
        /2048/,
      ],
      [{ privateKey: generateKeyPairSync('ed25519').privateKey, issuer: 'i' }, /ed25519 key/],
      [
        {
          privateKey: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
          issuer: 'i',
        },
        /ec key/,
      ],
      [{ privateKey: createPublicKey(rsa.key), issuer: 'i' }, /private key/],
      [{ privateKey: rsa.key, issuer: '' }, /issuer/],
    ];
    for (const [options, message] of cases) {
      expect(() => createTokenIssuer(options), String(message)).to.throw(TypeError, message);
    }
    const issuer = createTokenIssuer({ privateKey: rsa.key, issuer: 'i' });
    expect(() => issuer.issue({ audience: '', access: [] })).to.throw(TypeError, /audience/);
    expect(() =>
      issuer.issueRefreshToken({ subject: '', service: 'r', lifetimeSeconds: 60 }),
    ).to.throw(TypeError, /anonymous/);
  });

  it('publishes its public key as a JWKS with the token kid', () => {
    const issuer = createTokenIssuer({ privateKey: pki().rsa.key, issuer: 'i' });
    const [jwk, ...rest] = issuer.jwks().keys;
    expect(rest).to.deep.equal([]);
    expect(jwk).to.include({ kty: 'RSA', kid: issuer.keyId, alg: 'RS256', use: 'sig' });
    expect(jwk).to.not.have.property('d');
    expect(jwkThumbprint(createPublicKey({ key: jwk!, format: 'jwk' }))).to.equal(
      jwkThumbprint(pki().rsa.key),
    );
    expect(issuer.publicKey.type).to.equal('public');
  });

  describe('refresh tokens', () => {
    const issuer = createTokenIssuer({ privateKey: pki().rsa.key, issuer: 'i', now: () => at });
    const forged = (payload: Record<string, unknown>, typ = 'refresh+jwt'): string =>
      signWith(
        pki().rsa.key,
        { alg: 'RS256', typ, kid: issuer.keyId },
        {
          iss: 'i',
          aud: 'i',
          sub: 'alice',
          service: 'r',
          iat: atSeconds,
          exp: atSeconds + 60,
          token_use: 'refresh',
          ...payload,
        },
      );

    it('are typed refresh+jwt, addressed to the issuer, bound to subject and service', () => {
      const token = issuer.issueRefreshToken({
        subject: 'alice',
        service: 'r',
        lifetimeSeconds: 600,
      });
      const { header, payload } = decodeToken(token);
      expect(header).to.include({ typ: 'refresh+jwt', alg: 'RS256', kid: issuer.keyId });
      expect(payload).to.include({
        iss: 'i',
        aud: 'i',
        sub: 'alice',
        service: 'r',
        token_use: 'refresh',
        exp: atSeconds + 600,
      });
      expect(payload).to.not.have.property('access');
      expect(issuer.verifyRefreshToken(token, 'r')).to.deep.equal({ subject: 'alice' });
      refusal(() => issuer.verifyRefreshToken(token, 'other'), 'wrong_service');
    });

    it('must be typed, addressed, marked and signed as this issuer makes them', () => {
      expect(issuer.verifyRefreshToken(forged({}), 'r')).to.deep.equal({ subject: 'alice' });
      refusal(() => issuer.verifyRefreshToken(forged({}, 'JWT'), 'r'), 'wrong_type');
      refusal(() => issuer.verifyRefreshToken(forged({ token_use: undefined }), 'r'), 'wrong_type');
      refusal(() => issuer.verifyRefreshToken(forged({ sub: '' }), 'r'), 'wrong_type');
      refusal(() => issuer.verifyRefreshToken(forged({ sub: 7 }), 'r'), 'wrong_type');
      refusal(() => issuer.verifyRefreshToken(forged({ aud: 'r' }), 'r'), 'bad_signature');
      refusal(() => issuer.verifyRefreshToken(forged({ iss: 'x' }), 'r'), 'bad_signature');
      refusal(() => issuer.verifyRefreshToken(forged({ exp: atSeconds - 1 }), 'r'), 'expired');
      const other = createTokenIssuer({ privateKey: pki().ec.key, issuer: 'i', now: () => at });
      refusal(() => other.verifyRefreshToken(forged({}), 'r'), 'bad_signature');
      refusal(() => issuer.verifyRefreshToken('x'.repeat(9000), 'r'), 'too_large');
    });
  });
});
