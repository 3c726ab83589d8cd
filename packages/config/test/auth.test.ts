import { expect } from 'chai';
import { parseWith, sectionFailure } from './helpers.js';

const token = 'realm: https://auth/token, service: registry, issuer: issuer';

describe('auth', () => {
  it('is none without a section, or with auth.none', () => {
    expect(parseWith('').config.auth).to.deep.equal({ kind: 'none' });
    expect(parseWith('auth: {none: }\n').config.auth).to.deep.equal({ kind: 'none' });
  });

  it('reads silly and htpasswd', () => {
    expect(parseWith('auth: {silly: {realm: r, service: s}}\n').config.auth).to.deep.equal({
      kind: 'silly',
      realm: 'r',
      service: 's',
    });
    expect(
      parseWith('auth: {htpasswd: {realm: r, path: /etc/htpasswd}}\n').config.auth,
    ).to.deep.equal({ kind: 'htpasswd', realm: 'r', path: '/etc/htpasswd' });
  });

  it('reads token auth with certificates, a JWKS, or both', () => {
    expect(
      parseWith(`auth: {token: {${token}, rootcertbundle: /certs}}\n`).config.auth,
    ).to.deep.equal({
      kind: 'token',
      realm: 'https://auth/token',
      service: 'registry',
      issuer: 'issuer',
      rootcertbundle: '/certs',
      autoredirect: false,
    });
    expect(
      parseWith(
        `auth: {token: {${token}, jwks: /jwks.json, autoredirect: true, autoredirectpath: /t/, signingalgorithms: [RS256, ES256]}}\n`,
      ).config.auth,
    ).to.deep.equal({
      kind: 'token',
      realm: 'https://auth/token',
      service: 'registry',
      issuer: 'issuer',
      jwks: '/jwks.json',
      autoredirect: true,
      autoredirectpath: '/t/',
      signingalgorithms: ['RS256', 'ES256'],
    });
  });

  it('names the missing required field of each kind', () => {
    expect(sectionFailure('auth: {silly: {realm: r}}\n').message).to.equal(
      'config.yml: auth.silly.service: missing; expected a non-empty string',
    );
    expect(sectionFailure('auth: {silly: }\n').key).to.equal('auth.silly.realm');
    expect(sectionFailure('auth: {htpasswd: {realm: r}}\n').key).to.equal('auth.htpasswd.path');
    expect(sectionFailure('auth: {token: {service: s}}\n').message).to.equal(
      'config.yml: auth.token.realm: missing; expected a non-empty string',
    );
    expect(sectionFailure('auth: {token: {realm: r, service: s}}\n').key).to.equal(
      'auth.token.issuer',
    );
    expect(sectionFailure(`auth: {token: {${token}}}\n`).key).to.equal('auth.token.rootcertbundle');
  });

  it('refuses several kinds, a bare kind without fields, and unknown algorithms', () => {
    const several = sectionFailure(
      'auth: {silly: {realm: r, service: s}, htpasswd: {realm: r, path: p}}\n',
    );
    expect(several.message).to.equal(
      'config.yml: auth: several auth kinds: silly, htpasswd; expected exactly one',
    );
    expect(several.expected).to.equal('exactly one of none, silly, token, htpasswd');
    expect(sectionFailure('auth: silly\n').key).to.equal('auth.silly.realm');
    expect(
      sectionFailure(`auth: {token: {${token}, jwks: /j, signingalgorithms: [RS256, none]}}\n`)
        .message,
    ).to.match(
      /^config\.yml: auth\.token\.signingalgorithms\[1\]: "none" is not valid; expected one of EdDSA, HS256, .*, PS512$/,
    );
    expect(
      sectionFailure(`auth: {token: {${token}, jwks: /j, autoredirect: sometimes}}\n`).key,
    ).to.equal('auth.token.autoredirect');
  });
});
