import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import {
  createTokenIssuer,
  isTokenInvalidError,
  libtrustKeyId,
  maxTokenLength,
  verificationAlgorithms,
} from '../src/index.js';
import { pki } from './support/pki.js';
import { claims, issuer, now, seconds, service, verifier } from './support/verifier-fixtures.js';
import { b64url, derOf, hmacWith, refusal, signWith, unsigned } from './support/tokens.js';

const rsaKid = (): string => libtrustKeyId(pki().rsa.key);
/** A token the trusted RSA key really signed, with header and claims as given. */
const signed = (payload: object = claims(), header: Record<string, unknown> = {}): string =>
  signWith(pki().rsa.key, { alg: 'RS256', typ: 'JWT', kid: rsaKid(), ...header }, payload);

describe('the token verifier refuses', () => {
  it('alg "none", in any spelling, even naming a trusted kid', () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${unsigned({ alg, typ: 'JWT', kid: rsaKid() }, claims())}.`;
      expect(refusal(() => verifier().verify(token), 'unsupported_algorithm')).to.match(/none/);
    }
  });

  it('HS256 "signed" with the public key as PEM or DER, even when HS256 is listed', () => {
    const publicKey = createPublicKey(pki().rsa.key);
    const secrets = [
      publicKey.export({ type: 'spki', format: 'pem' }),
      publicKey.export({ type: 'spki', format: 'der' }),
      pki().rsa.certPem,
    ];
    const lenient = verifier({ algorithms: ['HS256', 'RS256'] });
    for (const secret of secrets) {
      for (const alg of ['HS256', 'HS384', 'HS512', 'hs256']) {
        const token = hmacWith(secret, { alg, typ: 'JWT', kid: rsaKid() }, claims());
        expect(refusal(() => verifier().verify(token), 'unsupported_algorithm')).to.match(
          /symmetric/,
        );
        refusal(() => lenient.verify(token), 'unsupported_algorithm');
      }
    }
  });

  it('algorithms that are not allowed or not known', () => {
    expect(verificationAlgorithms).to.not.include.members(['none', 'HS256']);
    let caught: unknown;
    try {
      verifier().verify('x');
    } catch (error) {
      caught = error;
    }
    expect(isTokenInvalidError(caught)).to.equal(true);
    expect(isTokenInvalidError(new Error('x'))).to.equal(false);
    const esOnly = verifier({ algorithms: ['ES256', 'EdDSA'] });
    expect(refusal(() => esOnly.verify(signed()), 'unsupported_algorithm')).to.match(
      /"RS256" is not accepted \(accepted: ES256\)/,
    );
    const withAlg = (alg: unknown): string => `${unsigned({ alg, kid: rsaKid() }, claims())}.AAAA`;
    refusal(() => verifier().verify(withAlg('EdDSA')), 'unsupported_algorithm');
    refusal(() => verifier().verify(withAlg('RS1')), 'unsupported_algorithm');
    refusal(() => verifier().verify(withAlg(42)), 'malformed');
    refusal(() => verifier().verify(withAlg(undefined)), 'malformed');
  });

  it('a signature by a key of another type than the algorithm', () => {
    // RS256 in the header, but the kid names an EC key: checked as RS256 with an EC key.
    const ecKid = libtrustKeyId(pki().ec.key);
    const token = signWith(pki().rsa.key, { alg: 'RS256', kid: ecKid }, claims());
    refusal(() => verifier({ rootCertificates: pki().ec.certPem }).verify(token), 'bad_signature');
  });

  it('an algorithm other than the one a JWKS key is pinned to', () => {
    const jwk = createPublicKey(pki().rsa.key).export({ format: 'jwk' });
    const pinned = verifier({ jwks: { keys: [{ ...jwk, kid: 'k', alg: 'RS512' }] } });
    const token = signWith(pki().rsa.key, { alg: 'RS256', kid: 'k' }, claims());
    expect(refusal(() => pinned.verify(token), 'unsupported_algorithm')).to.match(/RS512/);
  });

  it('an expired token, 61 s past exp (60 s leeway), or with the leeway set lower', () => {
    expect(
      refusal(() => verifier().verify(signed(claims({ exp: seconds - 61 }))), 'expired'),
    ).to.match(/expired 61 s ago/);
    // Exactly at the edge is still accepted, as distribution's `now.After(exp + leeway)`.
    expect(verifier().verify(signed(claims({ exp: seconds - 60 }))).subject).to.equal('alice');
    const strict = verifier({ leewaySeconds: 0 });
    refusal(() => strict.verify(signed(claims({ exp: seconds - 1 }))), 'expired');
    expect(strict.verify(signed(claims({ exp: seconds }))).subject).to.equal('alice');
  });

  it('a token not yet valid, 61 s before nbf', () => {
    expect(
      refusal(() => verifier().verify(signed(claims({ nbf: seconds + 61 }))), 'not_yet_valid'),
    ).to.match(/another 61 s/);
  });

  it('a token that outlived its issuer-side lifetime when checked later', () => {
    const tokens = createTokenIssuer({ privateKey: pki().rsa.key, issuer, now: () => now });
    const { token } = tokens.issue({ audience: service, access: [] });
    const later = new Date(now.getTime() + (300 + 61) * 1000);
    refusal(() => verifier({ now: () => later }).verify(token), 'expired');
  });

  it('time claims that are not numbers, and a missing exp', () => {
    refusal(() => verifier().verify(signed(claims({ exp: undefined }))), 'malformed');
    refusal(() => verifier().verify(signed(claims({ exp: String(seconds + 60) }))), 'malformed');
    refusal(() => verifier().verify(signed(claims({ nbf: 'soon' }))), 'malformed');
  });

  it('a wrong or missing issuer', () => {
    expect(
      refusal(() => verifier().verify(signed(claims({ iss: 'evil' }))), 'wrong_issuer'),
    ).to.match(/"evil" is not "gitlab-issuer"/);
    refusal(() => verifier().verify(signed(claims({ iss: undefined }))), 'wrong_issuer');
  });

  it('a wrong audience, as a string and as a list', () => {
    refusal(() => verifier().verify(signed(claims({ aud: 'other_registry' }))), 'wrong_audience');
    refusal(() => verifier().verify(signed(claims({ aud: ['a', 'b'] }))), 'wrong_audience');
    refusal(() => verifier().verify(signed(claims({ aud: [] }))), 'wrong_audience');
    refusal(() => verifier().verify(signed(claims({ aud: undefined }))), 'wrong_audience');
    refusal(() => verifier().verify(signed(claims({ aud: { service } }))), 'wrong_audience');
  });

  it('an unknown kid, naming it', () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const kid = libtrustKeyId(stranger);
    const token = signWith(stranger, { alg: 'RS256', kid }, claims());
    expect(refusal(() => verifier().verify(token), 'untrusted_key')).to.include(kid);
    refusal(() => verifier().verify(signed(claims(), { kid: 7 })), 'malformed');
    // What comes from the token is quoted and cut short in messages.
    const long = refusal(
      () => verifier().verify(signed(claims(), { kid: 'k'.repeat(500) })),
      'untrusted_key',
    );
    expect(long).to.match(/"k{76}\.\.\.$/);
  });

  it('a token signed by a key whose certificate left the bundle (key rotation)', () => {
    const { token } = createTokenIssuer({ privateKey: pki().rsa.key, issuer }).issue({
      audience: service,
      access: [],
    });
    const rotated = verifier({ rootCertificates: pki().ec.certPem });
    expect(refusal(() => rotated.verify(token), 'untrusted_key')).to.include(rsaKid());
  });

  it('a key that comes only in the jwk header, whatever kid it claims', () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const jwk = createPublicKey(stranger).export({ format: 'jwk' });
    // distribution v3.0 looked the jwk's own "kid" member up and then used the embedded key.
    for (const header of [{ jwk }, { jwk: { ...jwk, kid: rsaKid() } }]) {
      const token = signWith(stranger, { alg: 'RS256', ...header }, claims());
      expect(refusal(() => verifier().verify(token), 'untrusted_key')).to.match(/never trusted/);
    }
    const secret = signWith(stranger, { alg: 'RS256', jwk: { kty: 'oct', k: 'AAAA' } }, claims());
    refusal(() => verifier().verify(secret), 'malformed');
  });

  it('a token that names no key', () => {
    refusal(() => verifier().verify(signed(claims(), { kid: undefined })), 'untrusted_key');
  });

  describe('x5c chains', () => {
    const { root, intermediate, leaf, underLeaf, notCa, underNotCa, strangerRoot, strangerLeaf } =
      pki();
    const bundle = root.certPem;
    const x5cToken = (
      key = leaf.key,
      chain: unknown = [derOf(leaf.certPem), derOf(intermediate.certPem)],
    ) => signWith(key, { alg: 'ES256', x5c: chain }, claims());

    it('not ending in the bundle', () => {
      const foreign = x5cToken(strangerLeaf.key, [
        derOf(strangerLeaf.certPem),
        derOf(strangerRoot.certPem),
      ]);
      expect(
        refusal(() => verifier({ rootCertificates: bundle }).verify(foreign), 'untrusted_chain'),
      ).to.match(/does not lead/);
      // The intermediate left out: the leaf alone does not reach the root.
      const short = x5cToken(leaf.key, [derOf(leaf.certPem)]);
      refusal(() => verifier({ rootCertificates: bundle }).verify(short), 'untrusted_chain');
      // Without a root bundle, no chain is trusted; a failed chain does not fall back to kid.
      const withKid = signWith(
        leaf.key,
        { alg: 'ES256', kid: 'k', x5c: [derOf(leaf.certPem), derOf(intermediate.certPem)] },
        claims(),
      );
      const jwk = createPublicKey(leaf.key).export({ format: 'jwk' });
      refusal(
        () =>
          verifier({ rootCertificates: undefined, jwks: { keys: [{ ...jwk, kid: 'k' }] } }).verify(
            withKid,
          ),
        'untrusted_chain',
      );
    });

    it('with a link that is not a CA, or may not sign certificates', () => {
      const check = verifier({ rootCertificates: bundle });
      const throughNotCa = x5cToken(underNotCa.key, [
        derOf(underNotCa.certPem),
        derOf(notCa.certPem),
        derOf(intermediate.certPem),
      ]);
      expect(refusal(() => check.verify(throughNotCa), 'untrusted_chain')).to.match(/not a CA/);
      const throughLeaf = x5cToken(underLeaf.key, [
        derOf(underLeaf.certPem),
        derOf(leaf.certPem),
        derOf(intermediate.certPem),
      ]);
      refusal(() => check.verify(throughLeaf), 'untrusted_chain');
      // The non-CA certificate itself is a fine leaf.
      const direct = x5cToken(notCa.key, [derOf(notCa.certPem), derOf(intermediate.certPem)]);
      expect(check.verify(direct).subject).to.equal('alice');
    });

    it('with links out of order', () => {
      const token = x5cToken(leaf.key, [
        derOf(leaf.certPem),
        derOf(root.certPem),
        derOf(intermediate.certPem),
      ]);
      expect(
        refusal(() => verifier({ rootCertificates: bundle }).verify(token), 'untrusted_chain'),
      ).to.match(/certificate 1 .*root.* is not a CA that issued/);
      const swapped = x5cToken(leaf.key, [derOf(intermediate.certPem), derOf(leaf.certPem)]);
      refusal(() => verifier({ rootCertificates: bundle }).verify(swapped), 'bad_signature');
    });

    it('with certificates expired or not yet valid at the time of checking', () => {
      const token = x5cToken();
      const later = new Date(now.getTime() + 40 * 24 * 3600 * 1000);
      const check = (at: Date) =>
        verifier({ rootCertificates: bundle, now: () => at }).verify(
          signWith(
            leaf.key,
            { alg: 'ES256', x5c: [derOf(leaf.certPem), derOf(intermediate.certPem)] },
            claims({
              exp: Math.floor(at.getTime() / 1000) + 60,
              nbf: undefined,
            }),
          ),
        );
      expect(refusal(() => check(later), 'untrusted_chain')).to.match(/is valid from/);
      // A root that expired before the leaf it signed ends the chain's validity too.
      const { shortRoot, shortRootLeaf } = pki();
      const inTwoDays = new Date(now.getTime() + 2 * 24 * 3600 * 1000);
      const underShortRoot = (at: Date) =>
        verifier({ rootCertificates: shortRoot.certPem, now: () => at }).verify(
          signWith(
            shortRootLeaf.key,
            { alg: 'ES256', x5c: [derOf(shortRootLeaf.certPem)] },
            claims({ exp: Math.floor(at.getTime() / 1000) + 60, nbf: undefined }),
          ),
        );
      expect(underShortRoot(now).subject).to.equal('alice');
      expect(refusal(() => underShortRoot(inTwoDays), 'untrusted_chain')).to.match(
        /short-root is valid from/,
      );
      refusal(() => check(new Date(now.getTime() - 24 * 3600 * 1000)), 'untrusted_chain');
      expect(verifier({ rootCertificates: bundle }).verify(token).subject).to.equal('alice');
    });

    it('signed by another key than the leaf certificate', () => {
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      refusal(
        () => verifier({ rootCertificates: bundle }).verify(x5cToken(stranger)),
        'bad_signature',
      );
    });

    it('that are malformed', () => {
      const check = verifier({ rootCertificates: bundle });
      for (const chain of [
        'MIIB',
        [],
        [42],
        ['not base64!'],
        [b64url('not a certificate')],
        Array.from({ length: 11 }, () => derOf(leaf.certPem)),
      ]) {
        refusal(() => check.verify(x5cToken(leaf.key, chain)), 'malformed');
      }
    });
  });

  it('a tampered payload', () => {
    const token = signed();
    const [header, , signature] = token.split('.');
    const widened = b64url(
      claims({ access: [{ type: 'repository', name: 'group/app', actions: ['pull', 'push'] }] }),
    );
    refusal(
      () => verifier().verify(`${String(header)}.${widened}.${String(signature)}`),
      'bad_signature',
    );
  });

  it('a tampered signature', () => {
    const token = signed();
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.slice(-1)}`;
    refusal(() => verifier().verify(tampered), 'bad_signature');
    const [header, payload] = token.split('.');
    refusal(() => verifier().verify(`${String(header)}.${String(payload)}.`), 'bad_signature');
  });

  it('an oversized token before parsing it', () => {
    const huge = signed(claims({ padding: 'x'.repeat(maxTokenLength) }));
    expect(refusal(() => verifier().verify(huge), 'too_large')).to.match(/at most 8192/);
    refusal(() => verifier().verify(`${'a'.repeat(maxTokenLength)}.b.c`), 'too_large');
  });

  it('tokens that are not JWS compact serializations of JSON objects', () => {
    const header = b64url({ alg: 'RS256', kid: rsaKid() });
    for (const token of [
      '',
      'abc',
      'a.b',
      'a.b.c.d',
      'a b.c.d',
      `${header}.${b64url(claims())}.sig=`,
      `${b64url('not json')}.${b64url(claims())}.c`,
      `${header}.${b64url('{"sub":')}.c`,
      `${header}.${b64url([1, 2])}.c`,
      `${b64url('null')}.${b64url(claims())}.c`,
    ]) {
      refusal(() => verifier().verify(token), 'malformed');
    }
  });

  it('malformed claims the signer did sign', () => {
    for (const overrides of [
      { sub: 42 },
      { access: 'repository:group/app:pull' },
      { access: [null] },
      { access: [{ type: 'repository', name: 'a' }] },
      { access: [{ type: 'repository', name: 'a', actions: 'pull' }] },
      { access: [{ type: 'repository', name: 'a', actions: [1] }] },
      { access: [{ type: 1, name: 'a', actions: [] }] },
      { access: [{ type: 'repository', class: 7, name: 'a', actions: [] }] },
    ]) {
      refusal(() => verifier().verify(signed(claims(overrides))), 'malformed');
    }
  });

  it('refresh tokens and other token types, and critical extensions', () => {
    refusal(() => verifier().verify(signed(claims(), { typ: 'refresh+jwt' })), 'wrong_type');
    refusal(() => verifier().verify(signed(claims(), { typ: 42 })), 'wrong_type');
    refusal(() => verifier().verify(signed(claims(), { crit: ['exp'], exp: 1 })), 'malformed');
  });
});
