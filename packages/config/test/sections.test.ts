import { expect } from 'chai';
import { compileGoPattern } from '../src/sections/validation.js';
import { parse, parseFailure, parseWith, sectionFailure, yaml } from './helpers.js';

describe('version', () => {
  it('accepts 0.1, written as a number or a string', () => {
    expect(parse('version: 0.1\nstorage: inmemory\n').config.version).to.equal('0.1');
    expect(parse('version: "0.1"\nstorage: inmemory\n').config.version).to.equal('0.1');
  });

  it('refuses any other version, or none', () => {
    expect(parseFailure('version: 0.2\nstorage: inmemory\n').message).to.equal(
      'config.yml: version: 0.2 is not valid; expected 0.1',
    );
    expect(parseFailure('version: "1"\nstorage: inmemory\n').message).to.equal(
      'config.yml: version: "1" is not valid; expected 0.1',
    );
    expect(parseFailure('storage: inmemory\n').message).to.equal(
      'config.yml: version: missing; expected 0.1',
    );
  });
});

describe('log', () => {
  it('reads the level (any case), formatter, fields, access log and caller', () => {
    const { config } = parseWith(
      'log: {level: DEBUG, formatter: logstash, fields: {env: prod}, accesslog: {disabled: true}, reportcaller: true}\n',
    );
    expect(config.log).to.deep.equal({
      level: 'debug',
      formatter: 'logstash',
      fields: { env: 'prod' },
      accesslog: { disabled: true },
      reportcaller: true,
    });
  });

  it('takes the deprecated loglevel when log.level is not set', () => {
    expect(parseWith('loglevel: error\n').config.log.level).to.equal('error');
    expect(parseWith('loglevel: error\nlog: {level: warn}\n').config.log.level).to.equal('warn');
  });

  it('refuses an unknown level or formatter', () => {
    expect(sectionFailure('log: {level: trace}\n').message).to.equal(
      'config.yml: log.level: "trace" is not valid; expected one of error, warn, info, debug',
    );
    expect(sectionFailure('loglevel: verbose\n').key).to.equal('loglevel');
    expect(sectionFailure('log: {formatter: JSON}\n').message).to.equal(
      'config.yml: log.formatter: "JSON" is not valid; expected one of text, json, logstash',
    );
    expect(sectionFailure('log: {fields: [a]}\n').message).to.equal(
      'config.yml: log.fields: ["a"] is not valid; expected a mapping',
    );
    expect(sectionFailure('log: debug\n').message).to.equal(
      'config.yml: log: "debug" is not valid; expected a mapping',
    );
  });
});

describe('validation', () => {
  it('is enabled unless disabled; `enabled: true` (the old spelling) wins', () => {
    expect(parseWith('validation: {disabled: true}\n').config.validation.enabled).to.equal(false);
    expect(
      parseWith('validation: {enabled: true, disabled: true}\n').config.validation.enabled,
    ).to.equal(true);
    const { config, warnings } = parseWith('validation: {enabled: false}\n');
    expect(config.validation.enabled).to.equal(true);
    expect(warnings).to.deep.equal([
      'validation.enabled: false has no effect, as in distribution; use validation.disabled: true',
    ]);
    expect(parseWith('validation: {enabled: false, disabled: true}\n').warnings).to.deep.equal([]);
  });

  it('compiles the URL patterns, with Go leading flags and named groups', () => {
    const { config } = parseWith(yaml`
      validation:
        manifests:
          urls:
            allow: ['^https://(?P<host>[a-z.]+)/', '(?i)^HTTPS://CDN\.example\.com/']
            deny: ['^https://evil\.']
    `);
    const [named, caseless] = config.validation.manifests.urls.allow;
    expect(named?.exec('https://a.b/x')?.groups?.host).to.equal('a.b');
    expect(caseless?.test('https://cdn.example.com/layer')).to.equal(true);
    expect(config.validation.manifests.urls.deny[0]?.test('https://evil.example')).to.equal(true);
  });

  it('names the pattern that does not compile', () => {
    const error = sectionFailure("validation: {manifests: {urls: {deny: ['^a', '(unclosed']}}}\n");
    expect(error.message).to.equal(
      'config.yml: validation.manifests.urls.deny[1]: "(unclosed" is not valid; expected a regular expression (RE2 syntax), such as ^https?://([^/]+\\.)*example\\.com/',
    );
    expect(compileGoPattern('(?U)a+')).to.equal(undefined);
    expect(compileGoPattern('(?ii)a')).to.equal(undefined);
    expect(compileGoPattern('(?s)a.b')?.flags).to.equal('s');
  });

  it('reads the index platform checks', () => {
    const { config } = parseWith(
      'validation: {manifests: {indexes: {platforms: LIST, platformlist: [{architecture: arm64, os: linux}]}}}\n',
    );
    expect(config.validation.manifests.indexes).to.deep.equal({
      platforms: 'list',
      platformlist: [{ architecture: 'arm64', os: 'linux' }],
    });
    expect(
      sectionFailure('validation: {manifests: {indexes: {platforms: some}}}\n').message,
    ).to.equal(
      'config.yml: validation.manifests.indexes.platforms: "some" is not valid; expected one of all, list, none',
    );
    expect(
      sectionFailure(
        'validation: {manifests: {indexes: {platformlist: [{architecture: arm64}]}}}\n',
      ).key,
    ).to.equal('validation.manifests.indexes.platformlist[0].os');
  });
});

describe('compatibility, catalog, tags, redis and lading', () => {
  it('reads schema1 compatibility', () => {
    expect(
      parseWith('compatibility: {schema1: {enabled: true, signingkeyfile: /key.json}}\n').config
        .compatibility,
    ).to.deep.equal({ schema1: { enabled: true, signingkeyfile: '/key.json' } });
  });

  it('reads the page limits', () => {
    const { config } = parseWith('catalog: {maxentries: 50}\ntags: {maxtags: 20}\n');
    expect(config.catalog).to.deep.equal({ maxentries: 50 });
    expect(config.tags).to.deep.equal({ maxtags: 20 });
    expect(sectionFailure('catalog: {maxentries: -5}\n').message).to.equal(
      'config.yml: catalog.maxentries: -5 is not valid; expected a whole number ≥ 0',
    );
  });

  it('keeps redis as given, v2.8 or v3', () => {
    expect(parseWith('redis: {addrs: [a:1, b:2], db: 1}\n').config.redis).to.deep.equal({
      addrs: ['a:1', 'b:2'],
      db: 1,
    });
    expect(sectionFailure('redis: [a]\n').message).to.equal(
      'config.yml: redis: ["a"] is not valid; expected a mapping',
    );
  });

  it('refuses a lading section that is not a mapping', () => {
    expect(sectionFailure('lading: on\n').message).to.equal(
      'config.yml: lading: true is not valid; expected a mapping',
    );
  });
});
