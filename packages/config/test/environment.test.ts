import { expect } from 'chai';
import { parseConfig } from '../src/index.js';
import { minimal, parse, parseFailure, parseWith, yaml } from './helpers.js';

describe('environment overrides', () => {
  it('sets a nested key, matching existing map keys regardless of case', () => {
    const { config } = parse(
      'version: 0.1\nstorage:\n  filesystem:\n    RootDirectory: /from-file\n',
      { REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: '/from-env' },
    );
    expect(config.storage.driver.parameters).to.deep.equal({ rootdirectory: '/from-env' });
  });

  it('parses each value as YAML', () => {
    const { config } = parseWith('', {
      REGISTRY_HTTP_RELATIVEURLS: 'true',
      REGISTRY_HTTP_ADDR: ':6000',
      REGISTRY_CATALOG_MAXENTRIES: '5000',
      REGISTRY_HTTP_HEADERS: '{X-Frame-Options: [DENY]}',
      REGISTRY_LOG_FIELDS: '{service: registry, replica: 3}',
      REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW: '[^https://a/, ^https://b/]',
      REGISTRY_HTTP_SECRET: '',
    });
    expect(config.http).to.include({ relativeurls: true, addr: ':6000' });
    expect(config.http).not.to.have.property('secret');
    expect(config.http.headers).to.deep.equal({ 'X-Frame-Options': ['DENY'] });
    expect(config.catalog.maxentries).to.equal(5000);
    expect(config.log.fields).to.deep.equal({ service: 'registry', replica: 3 });
    expect(config.validation.manifests.urls.allow.map(String)).to.deep.equal([
      '/^https:\\/\\/a\\//',
      '/^https:\\/\\/b\\//',
    ]);
  });

  it('lower-cases the map keys it creates', () => {
    const { config } = parseWith('', {
      REGISTRY_STORAGE_INMEMORY_SOMEPARAMETER: 'x',
      REGISTRY_LOG_FIELDS_SERVICE: 'registry',
      'REGISTRY_HTTP_HEADERS_X-FRAME-OPTIONS': '[DENY]',
    });
    expect(config.storage.driver.parameters).to.deep.equal({ someparameter: 'x' });
    expect(config.log.fields).to.deep.equal({ service: 'registry' });
    expect(config.http.headers).to.deep.equal({ 'x-frame-options': ['DENY'] });
  });

  it('replaces, appends to and starts lists by index', () => {
    const base = yaml`
      http:
        tls: {certificate: /c, key: /k, clientcas: [/a.pem, /b.pem]}
    `;
    expect(
      parseWith(base, { REGISTRY_HTTP_TLS_CLIENTCAS_0: '/new.pem' }).config.http.tls?.clientcas,
    ).to.deep.equal(['/new.pem', '/b.pem']);
    expect(
      parseWith(base, { REGISTRY_HTTP_TLS_CLIENTCAS_2: '/c.pem' }).config.http.tls?.clientcas,
    ).to.deep.equal(['/a.pem', '/b.pem', '/c.pem']);
    const started = parseWith('', {
      REGISTRY_HTTP_TLS_CERTIFICATE: '/c',
      REGISTRY_HTTP_TLS_KEY: '/k',
      REGISTRY_HTTP_TLS_CLIENTCAS_0: '/ca.pem',
    });
    expect(started.config.http.tls?.clientcas).to.deep.equal(['/ca.pem']);
  });

  it('edits and adds list items field by field', () => {
    const { config } = parseWith('notifications: {endpoints: [{name: first, url: "http://a"}]}\n', {
      REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: 'http://changed',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME: 'second',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_1_URL: 'http://b',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_1_HEADERS_AUTHORIZATION: '[Bearer x]',
    });
    expect(config.notifications.endpoints.map(({ name, url }) => [name, url])).to.deep.equal([
      ['first', 'http://changed'],
      ['second', 'http://b'],
    ]);
    expect(config.notifications.endpoints[1]?.headers).to.deep.equal({
      authorization: ['Bearer x'],
    });
  });

  it('refuses an index past the end of a list, naming the variable', () => {
    const error = parseFailure(minimal, { REGISTRY_HTTP_TLS_CLIENTCAS_1: '/ca.pem' });
    expect(error.message).to.equal(
      'environment REGISTRY_HTTP_TLS_CLIENTCAS_1: http.tls.clientcas[1]: index 1 is past the end of http.tls.clientcas (length 0); expected index 0 to start the list',
    );
    const inParameters = parse('version: 0.1\nstorage: {s3: {list: [a]}}\n', {
      REGISTRY_STORAGE_S3_LIST_0: 'b',
    });
    expect(inParameters.config.storage.driver.parameters).to.deep.equal({ list: ['b'] });
    expect(
      parseFailure('version: 0.1\nstorage: {s3: {list: [a]}}\n', {
        REGISTRY_STORAGE_S3_LIST_5: 'b',
      }).expected,
    ).to.equal('an index from 0 to 1');
  });

  it('applies variables in lexical order, broad before narrow', () => {
    // Given narrow first: the order of the environment object must not matter.
    const env = {
      REGISTRY_STORAGE_S3_BUCKET: 'images',
      REGISTRY_STORAGE_S3_REGION: 'eu-west-1',
      REGISTRY_STORAGE: 's3',
    };
    const { config } = parse('version: 0.1\nstorage: {filesystem: {rootdirectory: /x}}\n', env);
    expect(config.storage.driver).to.deep.equal({
      name: 's3',
      parameters: { bucket: 'images', region: 'eu-west-1' },
    });
    const whole = parseWith('', {
      REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS: '50',
      REGISTRY_STORAGE: '{filesystem: {rootdirectory: /srv}}',
    });
    expect(whole.config.storage.driver.parameters).to.deep.equal({
      rootdirectory: '/srv',
      maxthreads: 50,
    });
  });

  it('goes into a driver given by name only, and creates absent sections', () => {
    const { config } = parse('version: 0.1\nstorage: inmemory\nlog:\n', {
      REGISTRY_STORAGE_DELETE_ENABLED: 'true',
      REGISTRY_LOG_LEVEL: 'debug',
      REGISTRY_HEALTH_STORAGEDRIVER_ENABLED: 'true',
    });
    expect(config.storage.driver.name).to.equal('inmemory');
    expect(config.storage.delete.enabled).to.equal(true);
    expect(config.log.level).to.equal('debug');
    expect(config.health.storagedriver.enabled).to.equal(true);
  });

  it("also matches distribution's Go field names where they differ from the keys", () => {
    const { config } = parseWith('', {
      REGISTRY_NOTIFICATIONS_EVENTCONFIG_INCLUDEREFERENCES: 'true',
      REGISTRY_HEALTH_FILECHECKERS_0_FILE: '/srv/down',
      REGISTRY_COMPATIBILITY_SCHEMA1_TRUSTKEY: '/key.json',
    });
    expect(config.notifications.events.includereferences).to.equal(true);
    expect(config.health.file).to.deep.equal([{ file: '/srv/down', interval: 10_000 }]);
    expect(config.compatibility.schema1.signingkeyfile).to.equal('/key.json');
  });

  it('warns about variables that match no key, and changes nothing for them', () => {
    const { config, warnings } = parseWith('', {
      REGISTRY_FOO_BAR: 'x',
      REGISTRY_PORT_5000_TCP_ADDR: '10.0.0.1',
      REGISTRY_HTTP_ADRR: ':1',
      REGISTRY_HTTP_ADDR_PORT: '1',
      REGISTRY_HTTP__ADDR: ':1',
      REGISTRY_LADING_ANYTHING: '1',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BOGUS: 'x',
      REGISTRY_NOTIFICATIONS_ENDPOINTS_X: 'x',
      REGISTRY_VERSION: '0.2',
      REGISTRY_CONFIGURATION_PATH: '/etc/distribution/config.yml',
      registry_http_addr: 'localhost',
      REGISTRY_HTTP_SECRET: undefined,
    });
    expect(warnings).to.deep.equal([
      'REGISTRY_FOO_BAR matches no configuration key and is ignored',
      'REGISTRY_HTTP_ADDR_PORT matches no configuration key and is ignored',
      'REGISTRY_HTTP_ADRR matches no configuration key and is ignored',
      'REGISTRY_HTTP__ADDR matches no configuration key and is ignored',
      'REGISTRY_LADING_ANYTHING matches no configuration key and is ignored',
      'REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BOGUS matches no configuration key and is ignored',
      'REGISTRY_NOTIFICATIONS_ENDPOINTS_X matches no configuration key and is ignored',
      'REGISTRY_PORT_5000_TCP_ADDR matches no configuration key and is ignored',
      'REGISTRY_VERSION is ignored: the version cannot be overridden',
    ]);
    expect(config).to.deep.equal(parse(minimal).config);
  });

  it('names the variable when its value makes the configuration invalid', () => {
    expect(parseFailure(minimal, { REGISTRY_HTTP_ADDR: 'localhost' }).message).to.equal(
      'environment REGISTRY_HTTP_ADDR: http.addr: "localhost" is not valid; expected host:port or :port',
    );
    expect(parseFailure(minimal, { REGISTRY_HTTP: '{addr: localhost}' }).source).to.equal(
      'environment REGISTRY_HTTP',
    );
    expect(parseFailure(minimal, { REGISTRY_HTTP: '{adr: ":1"}' }).message).to.equal(
      'environment REGISTRY_HTTP: http.adr: unknown key; did you mean "addr"?',
    );
    expect(
      parseFailure(minimal, { REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: 'http://a' }).message,
    ).to.equal(
      'environment REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL: notifications.endpoints[0].name: missing; expected a non-empty string',
    );
    expect(parseFailure(minimal, { REGISTRY_HTTP_ADDR: '[oops' }).message).to.match(
      /^environment REGISTRY_HTTP_ADDR: http\.addr: "\[oops" is not valid; expected a YAML value \(not valid YAML: /,
    );
  });

  it('names the variable that added a second storage driver', () => {
    const error = parseFailure('version: 0.1\nstorage: {filesystem: {rootdirectory: /x}}\n', {
      REGISTRY_STORAGE_S3_BUCKET: 'images',
    });
    expect(error.message).to.equal(
      'environment REGISTRY_STORAGE_S3_BUCKET: storage: several storage drivers: filesystem, s3; expected exactly one',
    );
  });

  it('names the file, not an unrelated variable, for a problem in the file', () => {
    const error = parseFailure(`${minimal}http: {addr: localhost}\n`, {
      REGISTRY_HTTP_SECRET: 's',
      REGISTRY_LOG_LEVEL: 'debug',
    });
    expect(error.source).to.equal('config.yml');
  });

  it('passes on warnings from a value', () => {
    expect(parseWith('', { REGISTRY_LOG_FIELDS: '{a: 1, a: 2}' }).warnings).to.deep.equal([
      'REGISTRY_LOG_FIELDS: Map keys must be unique at line 1, column 8; the last value is used, as distribution does',
    ]);
  });

  it('reads process.env when no environment is given', () => {
    process.env.REGISTRY_HTTP_SECRET = 'from-process';
    try {
      expect(parseConfig(minimal).config.http.secret).to.equal('from-process');
      expect(parseConfig(minimal, { env: {} }).config.http).not.to.have.property('secret');
    } finally {
      delete process.env.REGISTRY_HTTP_SECRET;
    }
  });
});
