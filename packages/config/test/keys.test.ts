import { expect } from 'chai';
import { parseFailure, parseWith, sectionFailure, yaml } from './helpers.js';

describe('unknown and unsupported keys', () => {
  it('refuses a misspelt key, suggesting the one meant', () => {
    const error = sectionFailure('http:\n  relativeurl: true\n');
    expect(error.message).to.equal(
      'config.yml: http.relativeurl: unknown key; did you mean "relativeurls"?',
    );
    expect(error).to.include({ key: 'http.relativeurl', value: true, source: 'config.yml' });
    expect(error.expected).to.match(/^one of addr, net, host, .* in http$/);
  });

  it('suggests across case, and lists the keys when nothing is close', () => {
    expect(sectionFailure('HTTP: {}\n').message).to.equal(
      'config.yml: HTTP: unknown key; did you mean "http"?',
    );
    const error = sectionFailure('frobnicate: 1\n');
    expect(error.message).to.match(
      /^config\.yml: frobnicate: unknown key; expected one of version, log, .*, lading at the top level$/,
    );
  });

  it('finds unknown keys at any depth, in lists and maps', () => {
    const cases: [string, string][] = [
      ['log: {accesslog: {disable: true}}', 'log.accesslog.disable'],
      [
        'storage: {inmemory: , maintenance: {uploadpurging: {dry-run: true}}}',
        'storage.maintenance.uploadpurging.dry-run',
      ],
      [
        'notifications: {endpoints: [{name: a, url: "http://a", treshold: 3}]}',
        'notifications.endpoints[0].treshold',
      ],
      ['health: {http: [{uri: "http://a", status: 200}]}', 'health.http[0].status'],
      ['http: {tls: {letsencrypt: {cache: x}}}', 'http.tls.letsencrypt.cache'],
      [
        'log: {hooks: [{type: mail, options: {smtp: {host: x}}}]}',
        'log.hooks[0].options.smtp.host',
      ],
      ['redis: {adress: x}', 'redis.adress'],
      [
        'validation: {manifests: {indexes: {platformlist: [{arch: amd64}]}}}',
        'validation.manifests.indexes.platformlist[0].arch',
      ],
      ['middleware: {storage: [{name: x, option: {}}]}', 'middleware.storage[0].option'],
      [
        'auth: {token: {realm: r, service: s, issuer: i, rootcertbundle: b, audience: x}}',
        'auth.token.audience',
      ],
    ];
    for (const [section, key] of cases) {
      // A storage section replaces the one `minimal` has.
      const error = section.startsWith('storage')
        ? parseFailure(`version: 0.1\n${section}\n`)
        : sectionFailure(`${section}\n`);
      expect(error.key, section).to.equal(key);
      expect(error.message, section).to.contain('unknown key');
    }
  });

  it('refuses an auth kind distribution does not have', () => {
    expect(sectionFailure('auth: {ldap: {}}\n').message).to.equal(
      'config.yml: auth.ldap: unknown key; expected one of none, silly, token, htpasswd in auth',
    );
  });

  it('refuses keys the lading section does not have', () => {
    const error = sectionFailure('lading: {anything: 1}\n');
    expect(error.message).to.equal(
      'config.yml: lading.anything: unknown key; expected one of tokenservice, projects, notifications in lading',
    );
  });

  it('never checks driver parameters, middleware options or log fields', () => {
    const { config } = parseWith(yaml`
      log: {fields: {any: {thing: 1}}}
      middleware: {registry: [{name: x, options: {whatever: [1, 2]}}]}
    `);
    expect(config.log.fields).to.deep.equal({ any: { thing: 1 } });
  });

  it('refuses a proxy (pull-through cache) section', () => {
    const error = sectionFailure('proxy:\n  remoteurl: https://registry-1.docker.io\n');
    expect(error.message).to.equal(
      'config.yml: proxy: proxy (pull-through cache) is not supported by Lading; remove the proxy section',
    );
    expect(error).to.include({ key: 'proxy', expected: 'no proxy section' });
  });

  it('warns about each key it accepts but does not act on', () => {
    const { warnings } = parseWith(yaml`
      loglevel: warn
      log:
        hooks: [{type: mail}]
      middleware:
        registry: [{name: a}]
        repository: [{name: b}]
        storage: [{name: cloudfront, options: {baseurl: "https://cdn"}}]
      reporting:
        bugsnag: {apikey: k}
        newrelic: {licensekey: k}
      policy:
        repository: {classes: [image]}
      health:
        file: [{file: /down, threshold: 3}]
    `);
    expect(warnings).to.deep.equal([
      'loglevel is deprecated; use log.level',
      'log.hooks is not supported by Lading and is ignored',
      'middleware.registry is not supported by Lading and is ignored',
      'middleware.repository is not supported by Lading and is ignored',
      'middleware.storage is not supported by Lading and is ignored',
      'reporting.bugsnag is not supported by Lading and is ignored',
      'reporting.newrelic is not supported by Lading and is ignored',
      'policy.repository is not supported by Lading and is ignored',
      'health.file[0].threshold is ignored, as in distribution',
    ]);
  });
});
