import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseConfig } from '../src/index.js';
import type { LoadedConfig } from '../src/index.js';

function example(name: string): LoadedConfig {
  const text = readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
  return parseConfig(text, { env: {}, source: name });
}

const hour = 3_600_000;

describe('distribution example configurations', () => {
  it('accepts a complete v2.8 configuration, warning about what Lading ignores', () => {
    const { config, warnings } = example('distribution-v2.8.yml');
    expect(warnings).to.deep.equal([
      'log.hooks is not supported by Lading and is ignored',
      'loglevel is deprecated; use log.level',
      'middleware.registry is not supported by Lading and is ignored',
      'middleware.repository is not supported by Lading and is ignored',
      'middleware.storage is not supported by Lading and is ignored',
      'reporting.bugsnag is not supported by Lading and is ignored',
      'reporting.newrelic is not supported by Lading and is ignored',
      'policy.repository is not supported by Lading and is ignored',
    ]);
    expect(config.log).to.deep.equal({
      level: 'debug',
      formatter: 'json',
      fields: { service: 'registry', environment: 'staging' },
      accesslog: { disabled: true },
      reportcaller: false,
    });
    expect(config.storage.driver.name).to.equal('s3');
    expect(config.storage.driver.parameters).to.include({ bucket: 'bucketname', v4auth: true });
    expect(config.storage.cache).to.deep.equal({ blobdescriptor: 'redis' });
    expect(config.storage.delete.enabled).to.equal(true);
    expect(config.auth).to.deep.equal({
      kind: 'token',
      realm: 'https://auth.example.com/token',
      service: 'registry.example.com',
      issuer: 'registry-token-issuer',
      rootcertbundle: '/root/certs/bundle',
      autoredirect: false,
    });
    expect(config.http.tls).to.deep.equal({
      clientcas: ['/path/to/ca.pem', '/path/to/another/ca.pem'],
      clientauth: 'require-and-verify-client-cert',
      minimumtls: 'tls1.2',
      ciphersuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      letsencrypt: {
        cachefile: '/path/to/cache-file',
        email: 'emailused@letsencrypt.com',
        hosts: ['myregistryaddress.org'],
      },
    });
    expect(config.notifications.endpoints[0]).to.include({ timeout: 500, threshold: 5 });
    expect(config.redis).to.deep.include({
      addr: 'localhost:6379',
      pool: { maxidle: 16, maxactive: 64, idletimeout: '300s' },
    });
    expect(config.catalog.maxentries).to.equal(100);
    expect(config.compatibility).to.deep.equal({
      schema1: { enabled: true, signingkeyfile: '/etc/registry/key.json' },
    });
    expect(config.validation.enabled).to.equal(true);
    expect(config.validation.manifests.urls.allow[0]?.test('https://a.example.com/x')).to.equal(
      true,
    );
  });

  it('accepts a complete v3 configuration into the typed result', () => {
    const { config, warnings } = example('distribution-v3.yml');
    expect(warnings).to.deep.equal([
      'middleware.storage is not supported by Lading and is ignored',
    ]);
    expect(config).to.deep.equal({
      version: '0.1',
      log: {
        level: 'info',
        formatter: 'text',
        fields: { service: 'registry' },
        accesslog: { disabled: false },
        reportcaller: true,
      },
      storage: {
        driver: {
          name: 's3',
          parameters: {
            accesskey: 'awsaccesskey',
            secretkey: 'awssecretkey',
            region: 'us-west-1',
            regionendpoint: 'http://myobjects.local',
            forcepathstyle: true,
            accelerate: false,
            bucket: 'bucketname',
            encrypt: true,
            keyid: 'mykeyid',
            secure: true,
            v4auth: true,
            chunksize: 5242880,
            multipartcopychunksize: 33554432,
            multipartcopymaxconcurrency: 100,
            multipartcopythresholdsize: 33554432,
            rootdirectory: '/s3/object/name/prefix',
            usedualstack: false,
            loglevel: 'debug',
          },
        },
        delete: { enabled: false },
        redirect: { disable: true },
        cache: { blobdescriptor: 'inmemory', blobdescriptorsize: 10000 },
        maintenance: {
          uploadpurging: { enabled: true, age: 168 * hour, interval: 24 * hour, dryrun: false },
          readonly: { enabled: false },
        },
        tag: { concurrencylimit: 8 },
      },
      auth: {
        kind: 'token',
        realm: 'token-realm',
        service: 'token-service',
        issuer: 'registry-token-issuer',
        rootcertbundle: '/root/certs/bundle',
        jwks: '/path/to/jwks',
        autoredirect: true,
        autoredirectpath: '/auth/token/',
        signingalgorithms: ['EdDSA', 'HS256'],
      },
      http: {
        addr: 'localhost:5000',
        net: 'tcp',
        prefix: '/my/nested/registry/',
        host: 'https://myregistryaddress.org:5000',
        secret: 'asecretforlocaldevelopment',
        relativeurls: false,
        draintimeout: 60_000,
        headers: { 'X-Content-Type-Options': ['nosniff'] },
        http2: { disabled: false },
        h2c: { enabled: true },
        tls: {
          certificate: '/path/to/x509/public',
          key: '/path/to/x509/private',
          clientcas: ['/path/to/ca.pem', '/path/to/another/ca.pem'],
          clientauth: 'require-and-verify-client-cert',
          minimumtls: 'tls1.3',
          ciphersuites: [
            'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
            'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
          ],
        },
        debug: { addr: 'localhost:5001', prometheus: { enabled: true, path: '/metrics' } },
      },
      notifications: {
        events: { includereferences: true },
        endpoints: [
          {
            name: 'alistener',
            disabled: false,
            url: 'https://my.listener.com/event',
            headers: { Authorization: ['Bearer abc'] },
            timeout: 1000,
            threshold: 10,
            backoff: 1000,
            ignoredmediatypes: ['application/octet-stream'],
            ignore: { mediatypes: ['application/octet-stream'], actions: ['pull'] },
          },
        ],
      },
      redis: {
        tls: {
          certificate: '/path/to/cert.crt',
          key: '/path/to/key.pem',
          clientcas: ['/path/to/ca.pem'],
        },
        addrs: ['localhost:6379'],
        password: 'asecret',
        db: 0,
        dialtimeout: '10ms',
        readtimeout: '10ms',
        writetimeout: '10ms',
        maxidleconns: 16,
        poolsize: 64,
        connmaxidletime: '300s',
      },
      health: {
        storagedriver: { enabled: true, interval: 10_000, threshold: 3 },
        file: [{ file: '/path/to/checked/file', interval: 10_000 }],
        http: [
          {
            uri: 'http://server.to.check/must/return/200',
            headers: { Authorization: ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='] },
            statuscode: 200,
            timeout: 3000,
            interval: 10_000,
            threshold: 3,
          },
        ],
        tcp: [
          { addr: 'redis-server.domain.com:6379', timeout: 3000, interval: 10_000, threshold: 3 },
        ],
      },
      catalog: { maxentries: 1000 },
      tags: { maxtags: 500 },
      validation: {
        enabled: true,
        manifests: {
          urls: {
            allow: [/^https?:\/\/([^/]+\.)*example\.com\//],
            deny: [/^https?:\/\/www\.example\.com\//],
          },
          indexes: { platforms: 'list', platformlist: [{ architecture: 'amd64', os: 'linux' }] },
        },
      },
      compatibility: { schema1: { enabled: false } },
      lading: {},
    });
  });
});
