import { expect } from 'chai';
import { parseWith, sectionFailure, yaml } from './helpers.js';

function http(section: string) {
  return parseWith(`http:\n${section.replace(/^/gm, '  ')}\n`);
}

function httpFailure(section: string) {
  return sectionFailure(`http:\n${section.replace(/^/gm, '  ')}\n`);
}

describe('http', () => {
  it('accepts host:port, :port and [v6]:port listen addresses', () => {
    for (const addr of ['localhost:5000', ':5000', '0.0.0.0:443', '[::1]:5000', 'registry:0']) {
      expect(http(`addr: "${addr}"`).config.http.addr).to.equal(addr);
    }
  });

  it('refuses a listen address without a port, or with a bad one', () => {
    expect(httpFailure('addr: localhost').message).to.equal(
      'config.yml: http.addr: "localhost" is not valid; expected host:port or :port',
    );
    for (const addr of [':99999', 'localhost:http', 'a:b:5000', '5000', '/tmp/socket']) {
      expect(httpFailure(`addr: "${addr}"`).key, addr).to.equal('http.addr');
    }
    expect(httpFailure('addr: 5000').message).to.equal(
      'config.yml: http.addr: 5000 is not valid; expected host:port or :port',
    );
  });

  it('listens on a unix socket when net is unix', () => {
    const { config } = http('net: unix\naddr: /run/registry.sock');
    expect(config.http).to.include({ net: 'unix', addr: '/run/registry.sock' });
    expect(httpFailure('net: unix').message).to.equal(
      'config.yml: http.addr: missing; expected a non-empty string',
    );
    expect(httpFailure('net: udp').message).to.equal(
      'config.yml: http.net: "udp" is not valid; expected one of tcp, unix',
    );
  });

  it('reads the prefix, host, secret and the other settings', () => {
    const { config } = http(yaml`
      prefix: /registry/
      host: https://registry.example.com:5000
      secret: 12345
      relativeurls: true
      draintimeout: 1m
      headers:
        X-Content-Type-Options: [nosniff]
        X-Version: [2]
        Strict-Transport-Security: max-age=63072000
        X-Empty:
      http2: {disabled: true}
      h2c: {enabled: true}
    `);
    expect(config.http).to.deep.include({
      prefix: '/registry/',
      host: 'https://registry.example.com:5000',
      secret: '12345',
      relativeurls: true,
      draintimeout: 60_000,
      headers: {
        'X-Content-Type-Options': ['nosniff'],
        'X-Version': ['2'],
        'Strict-Transport-Security': ['max-age=63072000'],
      },
      http2: { disabled: true },
      h2c: { enabled: true },
    });
    expect(http('host: ""').config.http).not.to.have.property('host');
  });

  it('refuses a bad prefix, host, secret or header', () => {
    expect(httpFailure('prefix: /registry').message).to.equal(
      'config.yml: http.prefix: "/registry" is not valid; expected a path that starts and ends with "/", such as /registry/',
    );
    expect(httpFailure('prefix: registry/').key).to.equal('http.prefix');
    for (const host of [
      'registry.example.com',
      'ftp://registry.example.com',
      'https://',
      'http://[x',
    ]) {
      expect(httpFailure(`host: "${host}"`).message, host).to.equal(
        `config.yml: http.host: ${JSON.stringify(host)} is not valid; expected an absolute http or https URL, such as https://registry.example.com`,
      );
    }
    expect(httpFailure('secret: yes').message).to.equal(
      'config.yml: http.secret: true is not valid; expected a string (quote it: YAML reads yes/on/true as true)',
    );
    expect(httpFailure('secret: {a: 1}').message).to.equal(
      'config.yml: http.secret: {"a":1} is not valid; expected a string',
    );
    expect(httpFailure('headers: {X-A: [{b: 1}]}').message).to.equal(
      'config.yml: http.headers.X-A[0]: {"b":1} is not valid; expected a string',
    );
    expect(httpFailure('headers: {X-A: 5}').message).to.equal(
      'config.yml: http.headers.X-A: 5 is not valid; expected a list of strings',
    );
    expect(httpFailure('headers: [a]').message).to.equal(
      'config.yml: http.headers: ["a"] is not valid; expected a mapping',
    );
    expect(httpFailure('relativeurls: 1').message).to.equal(
      'config.yml: http.relativeurls: 1 is not valid; expected true or false',
    );
    expect(httpFailure('draintimeout: 1d').key).to.equal('http.draintimeout');
  });

  it('warns when a duration has no unit', () => {
    const { config, warnings } = http('draintimeout: 60');
    expect(config.http.draintimeout).to.equal(0.000_06);
    expect(warnings).to.deep.equal([
      'http.draintimeout: 60 has no unit and is read as nanoseconds, as distribution does; write "60s" if seconds were meant',
    ]);
  });
});

describe('http.tls', () => {
  it('is present with a certificate and key, with its defaults', () => {
    const { tls } = http('tls: {certificate: /c.pem, key: /k.pem}').config.http;
    // Without Let's Encrypt, the type gives the certificate and key as strings.
    if (tls === undefined || tls.letsencrypt !== undefined)
      throw new Error('expected a certificate');
    const paths: [string, string] = [tls.certificate, tls.key];
    expect(paths).to.deep.equal(['/c.pem', '/k.pem']);
    expect(http('tls: {certificate: /c.pem, key: /k.pem}').config.http.tls).to.deep.equal({
      certificate: '/c.pem',
      key: '/k.pem',
      clientcas: [],
      clientauth: 'require-and-verify-client-cert',
      minimumtls: 'tls1.2',
      ciphersuites: [],
    });
  });

  it('reads client authentication, versions and cipher suites', () => {
    const { config } = http(yaml`
      tls:
        certificate: /c.pem
        key: /k.pem
        clientcas: [/ca.pem]
        clientauth: verify-client-cert-if-given
        minimumtls: tls1.3
        ciphersuites: [TLS_AES_128_GCM_SHA256]
    `);
    expect(config.http.tls).to.deep.include({
      clientcas: ['/ca.pem'],
      clientauth: 'verify-client-cert-if-given',
      minimumtls: 'tls1.3',
      ciphersuites: ['TLS_AES_128_GCM_SHA256'],
    });
  });

  it("uses Let's Encrypt when no certificate is given", () => {
    const { config } = http(
      'tls: {letsencrypt: {cachefile: /le, email: a@b.c, hosts: [r.example.com], directoryurl: "https://acme"}}',
    );
    expect(config.http.tls?.letsencrypt).to.deep.equal({
      cachefile: '/le',
      email: 'a@b.c',
      hosts: ['r.example.com'],
      directoryurl: 'https://acme',
    });
    expect(config.http.tls).not.to.have.property('certificate');
  });

  it("prefers the certificate over Let's Encrypt, as distribution does, with a warning", () => {
    const { config, warnings } = http(
      'tls: {certificate: /c, key: /k, letsencrypt: {cachefile: /le, email: a@b.c}}',
    );
    expect(config.http.tls).not.to.have.property('letsencrypt');
    expect(warnings).to.deep.equal([
      'http.tls.letsencrypt is ignored because http.tls.certificate is set, as in distribution',
    ]);
  });

  it('is absent, with a warning, when settings come without a certificate', () => {
    const { config, warnings } = http('tls: {clientcas: [/ca.pem], letsencrypt: {email: a@b.c}}');
    expect(config.http).not.to.have.property('tls');
    expect(warnings).to.deep.equal([
      'http.tls is ignored: neither certificate and key nor letsencrypt.cachefile is set',
    ]);
    expect(http('tls: {certificate: ""}').warnings).to.deep.equal([]);
  });

  it('refuses half a key pair and unknown modes, versions or suites', () => {
    expect(httpFailure('tls: {certificate: /c.pem}').message).to.equal(
      'config.yml: http.tls.key: missing; expected the private key file of http.tls.certificate',
    );
    expect(httpFailure('tls: {key: /k.pem}').message).to.equal(
      'config.yml: http.tls.certificate: missing; expected the certificate file for http.tls.key',
    );
    expect(httpFailure('tls: {certificate: /c, key: /k, clientauth: none}').message).to.equal(
      'config.yml: http.tls.clientauth: "none" is not valid; expected one of request-client-cert, require-any-client-cert, verify-client-cert-if-given, require-and-verify-client-cert',
    );
    expect(httpFailure('tls: {certificate: /c, key: /k, minimumtls: tls1.4}').message).to.equal(
      'config.yml: http.tls.minimumtls: "tls1.4" is not valid; expected one of tls1.0, tls1.1, tls1.2, tls1.3',
    );
    expect(
      httpFailure('tls: {certificate: /c, key: /k, ciphersuites: [TLS_AES_128_GCM_SHA256, RC4]}')
        .message,
    ).to.equal(
      'config.yml: http.tls.ciphersuites[1]: "RC4" is not valid; expected a cipher suite name distribution knows, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    );
    expect(httpFailure('tls: {letsencrypt: {cachefile: /le}}').message).to.equal(
      'config.yml: http.tls.letsencrypt.email: missing; expected a non-empty string',
    );
    expect(httpFailure('tls: {certificate: /c, key: /k, clientcas: /ca.pem}').message).to.equal(
      'config.yml: http.tls.clientcas: "/ca.pem" is not valid; expected a list of strings',
    );
  });
});

describe('http.debug', () => {
  it('is present with an address, prometheus off at /metrics by default', () => {
    expect(http('debug: {addr: "localhost:5001"}').config.http.debug).to.deep.equal({
      addr: 'localhost:5001',
      prometheus: { enabled: false, path: '/metrics' },
    });
    expect(
      http('debug: {addr: ":5001", prometheus: {enabled: true, path: /prom}}').config.http.debug,
    ).to.deep.equal({ addr: ':5001', prometheus: { enabled: true, path: '/prom' } });
  });

  it('is absent, with a warning, when it has no address', () => {
    const { config, warnings } = http('debug: {prometheus: {enabled: true}}');
    expect(config.http).not.to.have.property('debug');
    expect(warnings).to.deep.equal(['http.debug is ignored: http.debug.addr is not set']);
    expect(http('debug: {addr: ""}').warnings).to.deep.equal([]);
  });

  it('refuses a bad address or metrics path', () => {
    expect(httpFailure('debug: {addr: localhost}').message).to.equal(
      'config.yml: http.debug.addr: "localhost" is not valid; expected host:port or :port',
    );
    expect(httpFailure('debug: {addr: ":5001", prometheus: {path: metrics}}').message).to.equal(
      'config.yml: http.debug.prometheus.path: "metrics" is not valid; expected a path that starts with "/"',
    );
  });
});
