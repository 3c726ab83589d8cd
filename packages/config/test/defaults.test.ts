import { expect } from 'chai';
import { minimal, parse, parseWith } from './helpers.js';

const hour = 3_600_000;

describe('defaults', () => {
  it('fills every default around a version and a driver', () => {
    const { config, warnings } = parse(minimal);
    expect(warnings).to.deep.equal([]);
    expect(config).to.deep.equal({
      version: '0.1',
      log: {
        level: 'info',
        formatter: 'text',
        fields: {},
        accesslog: { disabled: false },
        reportcaller: false,
      },
      storage: {
        driver: { name: 'inmemory', parameters: {} },
        delete: { enabled: false },
        redirect: { disable: false },
        cache: {},
        maintenance: {
          uploadpurging: { enabled: true, age: 168 * hour, interval: 24 * hour, dryrun: false },
          readonly: { enabled: false },
        },
        tag: {},
      },
      auth: { kind: 'none' },
      http: {
        addr: ':5000',
        net: 'tcp',
        prefix: '/',
        relativeurls: false,
        draintimeout: 0,
        headers: {},
        http2: { disabled: false },
        h2c: { enabled: false },
      },
      notifications: { events: { includereferences: false }, endpoints: [] },
      health: {
        storagedriver: { enabled: false, interval: 10_000, threshold: 3 },
        file: [],
        http: [],
        tcp: [],
      },
      catalog: { maxentries: 1000 },
      tags: { maxtags: 1000 },
      validation: {
        enabled: true,
        manifests: {
          urls: { allow: [], deny: [] },
          indexes: { platforms: 'all', platformlist: [] },
        },
      },
      compatibility: { schema1: { enabled: false } },
      lading: {},
    });
  });

  it('reads empty and null sections as their defaults', () => {
    const sections = [
      'log:',
      'auth:',
      'http:',
      'notifications: {endpoints: }',
      'health: {storagedriver: , file: }',
      'catalog: {maxentries: 0}',
      'tags: {maxtags: 0}',
      'validation: {manifests: {urls: {}}}',
      'compatibility: {schema1: }',
      'lading:',
      'redis:',
      'middleware:',
      'reporting: {bugsnag: }',
      'proxy: {}',
    ];
    const { config, warnings } = parseWith(sections.join('\n') + '\n');
    expect(config).to.deep.equal(parse(minimal).config);
    expect(warnings).to.deep.equal([]);
  });

  it('applies the defaults of every list item', () => {
    const { config } = parseWith(
      [
        'notifications: {endpoints: [{name: a, url: "http://a"}]}',
        'health:',
        '  file: [{file: /down}]',
        '  http: [{uri: "http://b/health"}]',
        '  tcp: [{addr: "db:5432"}]',
      ].join('\n') + '\n',
    );
    expect(config.notifications.endpoints).to.deep.equal([
      {
        name: 'a',
        disabled: false,
        url: 'http://a',
        headers: {},
        timeout: 1000,
        threshold: 10,
        backoff: 1000,
        ignoredmediatypes: [],
        ignore: { mediatypes: [], actions: [] },
      },
    ]);
    expect(config.health.file).to.deep.equal([{ file: '/down', interval: 10_000 }]);
    expect(config.health.http).to.deep.equal([
      {
        uri: 'http://b/health',
        headers: {},
        statuscode: 200,
        timeout: 0,
        interval: 10_000,
        threshold: 1,
      },
    ]);
    expect(config.health.tcp).to.deep.equal([
      { addr: 'db:5432', timeout: 0, interval: 10_000, threshold: 1 },
    ]);
  });

  it('reads 0 as the default where distribution does', () => {
    const { config } = parseWith(
      [
        'notifications: {endpoints: [{name: a, url: "http://a", timeout: 0, threshold: 0, backoff: 0s}]}',
        'health:',
        '  storagedriver: {interval: 0, threshold: 0}',
        '  http: [{uri: "http://b", statuscode: 0, interval: 0s}]',
      ].join('\n') + '\n',
    );
    expect(config.notifications.endpoints[0]).to.include({
      timeout: 1000,
      threshold: 10,
      backoff: 1000,
    });
    expect(config.health.storagedriver).to.deep.equal({
      enabled: false,
      interval: 10_000,
      threshold: 3,
    });
    expect(config.health.http[0]).to.include({ statuscode: 200, interval: 10_000 });
  });
});
