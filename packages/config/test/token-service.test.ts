import { expect } from 'chai';
import { parseWith, sectionFailure as failure, yaml } from './helpers.js';

describe('lading.tokenservice', () => {
  it('reads the token service with its defaults, its audience taken from auth.token', () => {
    const { config } = parseWith(yaml`
      auth:
        token: {realm: https://registry.example.com/jwt/auth, service: registry.example.com, issuer: lading, rootcertbundle: /etc/lading/token.pem}
      lading:
        tokenservice:
          issuer: lading
          key: /etc/lading/token.key
          users: /etc/lading/users.json
    `);
    expect(config.lading.tokenservice).to.deep.equal({
      path: '/jwt/auth',
      issuer: 'lading',
      services: ['registry.example.com'],
      key: '/etc/lading/token.key',
      lifetime: 300_000,
      refreshlifetime: 30 * 24 * 3600 * 1000,
      users: '/etc/lading/users.json',
    });
  });

  it('takes every setting when given, for a token service in front of another registry', () => {
    const { config } = parseWith(yaml`
      lading:
        tokenservice:
          path: /token
          issuer: forge
          services: [registry-a, registry-b]
          key: /k.pem
          certificate: /c.pem
          lifetime: 15m
          refreshlifetime: 24h
          users: /u.json
    `);
    expect(config.lading.tokenservice).to.include({
      path: '/token',
      certificate: '/c.pem',
      lifetime: 900_000,
      refreshlifetime: 86_400_000,
    });
    expect(config.lading.tokenservice?.services).to.deep.equal(['registry-a', 'registry-b']);
    expect(parseWith('').config.lading).to.deep.equal({});
  });

  it('names what is missing or wrong', () => {
    expect(
      failure(yaml`
      lading: {tokenservice: {issuer: x, key: /k, users: /u}}
    `).message,
    ).to.contain('lading.tokenservice.services');
    expect(
      failure(yaml`
      lading: {tokenservice: {issuer: x, services: [r], users: /u}}
    `).message,
    ).to.contain('lading.tokenservice.key');
    expect(
      failure(yaml`
      lading: {tokenservice: {issuer: x, services: [r], key: /k, users: /u, path: token}}
    `).message,
    ).to.contain('lading.tokenservice.path');
    expect(
      failure(yaml`
      lading: {tokenservice: {issuer: x, services: [r], key: /k, users: /u, lifetime: soon}}
    `).message,
    ).to.contain('lading.tokenservice.lifetime');
  });
});
