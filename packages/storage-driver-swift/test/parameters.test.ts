import { expect } from 'chai';
import { InvalidDriverParameterError, type DriverParametersInput } from '@lading/storage-driver';
import { defaultChunkSize, maximumChunkSize, minimumChunkSize, MiB } from '../src/swift-options.js';
import { fromParameters } from '../src/swift-parameters.js';

/** The four keys distribution requires, for a Keystone v3 service. */
const base = {
  authurl: 'https://keystone.example.com/v3',
  username: 'registry',
  password: 's3cret',
  container: 'images',
};

/** Every key distribution's swift driver reads, sorted as `rejectUnknownKeys()` lists them. */
const knownKeys = [
  'accesskey',
  'authurl',
  'authversion',
  'chunksize',
  'container',
  'domain',
  'domainid',
  'endpointtype',
  'insecureskipverify',
  'password',
  'prefix',
  'region',
  'secretkey',
  'tempurlcontainerkey',
  'tempurlmethods',
  'tenant',
  'tenantdomain',
  'tenantdomainid',
  'tenantid',
  'trustid',
  'username',
];

function failureOf(parameters: unknown): InvalidDriverParameterError {
  let failure: unknown;
  try {
    fromParameters(parameters as DriverParametersInput);
  } catch (error) {
    failure = error;
  }
  expect(failure, JSON.stringify(parameters)).to.be.instanceOf(InvalidDriverParameterError);
  return failure as InvalidDriverParameterError;
}

/** Asserts that `parameters` fail naming `key` in the message, which also holds `problem`. */
function expectInvalid(parameters: unknown, key: string, problem: string): void {
  const failure = failureOf(parameters);
  const context = JSON.stringify(parameters);
  expect(failure.key, context).to.equal(key);
  expect(failure.code, context).to.equal('INVALID_PARAMETER');
  expect(failure.message, context).to.contain(`invalid parameter "${key}": `);
  expect(failure.message, context).to.contain(problem);
}

describe('swift parameters', () => {
  describe('defaults', () => {
    it('take distribution defaults when only the four required keys are given', () => {
      expect(fromParameters(base)).to.deep.equal({
        authUrl: 'https://keystone.example.com/v3',
        username: 'registry',
        password: 's3cret',
        container: 'images',
        authVersion: 0,
        endpointType: 'public',
        insecureSkipVerify: false,
        chunkSize: defaultChunkSize,
        tempUrlContainerKey: false,
      });
      expect([defaultChunkSize, minimumChunkSize, maximumChunkSize]).to.deep.equal([
        20 * MiB,
        1 * MiB,
        5 * 1024 * MiB,
      ]);
    });

    it('leave every optional string out, rather than set it to undefined', () => {
      const options = fromParameters(base);
      for (const property of [
        'tenant',
        'tenantId',
        'domain',
        'domainId',
        'tenantDomain',
        'tenantDomainId',
        'trustId',
        'region',
        'prefix',
        'secretKey',
        'accessKey',
        'tempUrlMethods',
      ]) {
        expect(options, property).to.not.have.own.property(property);
      }
    });

    it('leave tempurlmethods out when absent, so the driver can tell it was not configured', () => {
      expect(fromParameters(base)).to.not.have.own.property('tempUrlMethods');
      expect(fromParameters({ ...base, tempurlmethods: null })).to.not.have.own.property(
        'tempUrlMethods',
      );
    });

    it('count empty and blank optional values as absent', () => {
      const options = fromParameters({
        ...base,
        tenant: '',
        tenantid: '  ',
        domain: '',
        domainid: '',
        tenantdomain: '',
        tenantdomainid: '',
        trustid: '',
        region: ' ',
        prefix: '',
        secretkey: '',
        accesskey: '   ',
        endpointtype: '',
        tempurlmethods: '',
      });
      expect(options).to.deep.equal(fromParameters(base));
    });

    it('count a key given without a value (null) as absent', () => {
      const options = fromParameters({
        ...base,
        authversion: null,
        chunksize: null,
        insecureskipverify: null,
        tempurlcontainerkey: null,
        endpointtype: null,
        prefix: null,
        region: null,
      });
      expect(options).to.deep.equal(fromParameters(base));
    });

    it('count a prefix of only slashes as no prefix', () => {
      expect(fromParameters({ ...base, prefix: '/' })).to.not.have.own.property('prefix');
      expect(fromParameters({ ...base, prefix: '///' })).to.not.have.own.property('prefix');
    });
  });

  describe('keys and their meanings', () => {
    it('read every Keystone v3 key into its option', () => {
      const options = fromParameters({
        authurl: 'https://keystone.example.com:5000/v3',
        username: 'registry',
        password: 'p@ss word',
        container: 'images',
        authversion: 3,
        domain: 'users',
        domainid: 'd-123',
        tenant: 'registry-project',
        tenantid: 'p-456',
        tenantdomain: 'projects',
        tenantdomainid: 'd-789',
        region: 'RegionOne',
        endpointtype: 'internal',
        prefix: '/registry/v2/',
        insecureskipverify: true,
        chunksize: 8 * MiB,
        secretkey: 'temp-url-key',
        accesskey: 'hp-access-key',
        tempurlcontainerkey: true,
        tempurlmethods: ['GET', 'HEAD', 'PUT'],
      });
      expect(options).to.deep.equal({
        authUrl: 'https://keystone.example.com:5000/v3',
        username: 'registry',
        password: 'p@ss word',
        container: 'images',
        authVersion: 3,
        domain: 'users',
        domainId: 'd-123',
        tenant: 'registry-project',
        tenantId: 'p-456',
        tenantDomain: 'projects',
        tenantDomainId: 'd-789',
        region: 'RegionOne',
        endpointType: 'internal',
        prefix: 'registry/v2',
        insecureSkipVerify: true,
        chunkSize: 8 * MiB,
        secretKey: 'temp-url-key',
        accessKey: 'hp-access-key',
        tempUrlContainerKey: true,
        tempUrlMethods: ['GET', 'HEAD', 'PUT'],
      });
    });

    it('read a trust-scoped v3 configuration', () => {
      const options = fromParameters({
        ...base,
        authversion: 3,
        trustid: 'trust-1',
        domain: 'users',
      });
      expect(options).to.deep.include({ authVersion: 3, trustId: 'trust-1', domain: 'users' });
    });

    it('accept a trust with authversion 0, which guesses v3 from the URL', () => {
      expect(fromParameters({ ...base, trustid: 'trust-1' })).to.deep.include({
        authVersion: 0,
        trustId: 'trust-1',
      });
    });

    it('read a TempAuth (v1) configuration with an account:user name', () => {
      const options = fromParameters({
        authurl: 'http://swift.example.com:8080/auth/v1.0',
        username: 'test:tester',
        password: 'testing',
        container: 'registry',
        authversion: 1,
        secretkey: 'key',
      });
      expect(options).to.deep.equal({
        authUrl: 'http://swift.example.com:8080/auth/v1.0',
        username: 'test:tester',
        password: 'testing',
        container: 'registry',
        authVersion: 1,
        endpointType: 'public',
        insecureSkipVerify: false,
        chunkSize: defaultChunkSize,
        secretKey: 'key',
        tempUrlContainerKey: false,
      });
    });

    it('read a Keystone v2 configuration with a tenant', () => {
      expect(
        fromParameters({
          ...base,
          authurl: 'https://keystone.example.com/v2.0',
          authversion: 2,
          tenant: 'demo',
          region: 'RegionTwo',
          endpointtype: 'admin',
        }),
      ).to.deep.include({
        authVersion: 2,
        tenant: 'demo',
        region: 'RegionTwo',
        endpointType: 'admin',
      });
    });

    it('accept every auth version, 0 to 3', () => {
      for (const authversion of [0, 1, 2, 3]) {
        expect(fromParameters({ ...base, authversion }).authVersion).to.equal(authversion);
      }
    });

    it('accept every endpoint type, whatever its case, in lower case', () => {
      const cases: [string, string][] = [
        ['public', 'public'],
        ['internal', 'internal'],
        ['admin', 'admin'],
        ['Public', 'public'],
        ['INTERNAL', 'internal'],
        [' Admin ', 'admin'],
      ];
      for (const [endpointtype, expected] of cases) {
        expect(fromParameters({ ...base, endpointtype }).endpointType, endpointtype).to.equal(
          expected,
        );
      }
    });

    it('read tempurlmethods case-insensitively, in upper case, without duplicates', () => {
      expect(
        fromParameters({ ...base, tempurlmethods: ['get', 'Head', 'put', 'POST', 'delete'] })
          .tempUrlMethods,
      ).to.deep.equal(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
      expect(
        fromParameters({ ...base, tempurlmethods: ['GET', 'get', 'HEAD'] }).tempUrlMethods,
      ).to.deep.equal(['GET', 'HEAD']);
      expect(fromParameters({ ...base, tempurlmethods: ['PUT'] }).tempUrlMethods).to.deep.equal([
        'PUT',
      ]);
    });

    it('accept chunk sizes at both bounds', () => {
      expect(fromParameters({ ...base, chunksize: 1 * MiB }).chunkSize).to.equal(minimumChunkSize);
      expect(fromParameters({ ...base, chunksize: 5 * 1024 * MiB }).chunkSize).to.equal(
        maximumChunkSize,
      );
    });

    it('strip leading and trailing slashes from the prefix', () => {
      const cases: [string, string][] = [
        ['registry', 'registry'],
        ['/registry', 'registry'],
        ['registry/', 'registry'],
        ['//registry/v2//', 'registry/v2'],
        ['a/b/c', 'a/b/c'],
        ['docker.registry/...x', 'docker.registry/...x'],
      ];
      for (const [prefix, expected] of cases) {
        expect(fromParameters({ ...base, prefix }).prefix, prefix).to.equal(expected);
      }
    });

    it('accept http and https auth URLs, whatever the scheme case, without surrounding blanks', () => {
      const cases: [string, string][] = [
        ['http://127.0.0.1:8080/auth/v1.0', 'http://127.0.0.1:8080/auth/v1.0'],
        ['https://keystone.example.com/v3', 'https://keystone.example.com/v3'],
        ['HTTPS://Keystone.example.com/v3', 'HTTPS://Keystone.example.com/v3'],
        [' https://[::1]:5000/v3 ', 'https://[::1]:5000/v3'],
      ];
      for (const [authurl, expected] of cases) {
        expect(fromParameters({ ...base, authurl }).authUrl, authurl).to.equal(expected);
      }
    });

    it('accept container names up to 256 bytes, counted in UTF-8', () => {
      const ascii = 'c'.repeat(256);
      expect(fromParameters({ ...base, container: ascii }).container).to.equal(ascii);
      const twoByte = 'é'.repeat(128);
      expect(fromParameters({ ...base, container: twoByte }).container).to.equal(twoByte);
      expect(fromParameters({ ...base, container: 'my images.2024' }).container).to.equal(
        'my images.2024',
      );
    });

    it('keep secrets and names exactly as written', () => {
      const options = fromParameters({
        ...base,
        username: ' spaced user ',
        password: ' pass ',
        secretkey: ' key ',
        accesskey: ' access ',
      });
      expect(options).to.deep.include({
        username: ' spaced user ',
        password: ' pass ',
        secretKey: ' key ',
        accessKey: ' access ',
      });
    });

    it('trim names and ids that cannot meaningfully hold blanks', () => {
      const options = fromParameters({
        ...base,
        tenant: ' demo ',
        tenantid: ' p-1 ',
        domain: ' Default ',
        domainid: ' d-1 ',
        tenantdomain: ' Projects ',
        tenantdomainid: ' d-2 ',
        region: ' RegionOne ',
      });
      expect(options).to.deep.include({
        tenant: 'demo',
        tenantId: 'p-1',
        domain: 'Default',
        domainId: 'd-1',
        tenantDomain: 'Projects',
        tenantDomainId: 'd-2',
        region: 'RegionOne',
      });
      expect(fromParameters({ ...base, trustid: ' t-1 ' }).trustId).to.equal('t-1');
    });
  });

  describe('string forms from REGISTRY_STORAGE_SWIFT_* environment overrides', () => {
    it('read booleans, integers and lists from strings', () => {
      const options = fromParameters({
        ...base,
        insecureskipverify: 'true',
        tempurlcontainerkey: 'TRUE',
        chunksize: '4194304',
        authversion: '3',
        tempurlmethods: 'GET,HEAD',
      });
      expect(options).to.deep.include({
        insecureSkipVerify: true,
        tempUrlContainerKey: true,
        chunkSize: 4 * MiB,
        authVersion: 3,
        tempUrlMethods: ['GET', 'HEAD'],
      });
    });

    it('read false from strings too', () => {
      const options = fromParameters({
        ...base,
        insecureskipverify: 'false',
        tempurlcontainerkey: 'False',
        authversion: '0',
      });
      expect(options).to.deep.include({
        insecureSkipVerify: false,
        tempUrlContainerKey: false,
        authVersion: 0,
      });
    });

    it('read a comma-separated method list with blanks and any case, or a single method', () => {
      expect(
        fromParameters({ ...base, tempurlmethods: ' get , head ,PUT' }).tempUrlMethods,
      ).to.deep.equal(['GET', 'HEAD', 'PUT']);
      expect(fromParameters({ ...base, tempurlmethods: 'get' }).tempUrlMethods).to.deep.equal([
        'GET',
      ]);
    });
  });

  describe('errors, each naming its key', () => {
    it('require username, password, authurl and container, in distribution’s order', () => {
      expectInvalid({}, 'username', 'is required');
      expectInvalid({ username: 'u' }, 'password', 'is required');
      expectInvalid({ username: 'u', password: 'p' }, 'authurl', 'is required');
      expectInvalid(
        { username: 'u', password: 'p', authurl: base.authurl },
        'container',
        'is required',
      );
      expectInvalid(undefined, 'username', 'is required');
    });

    it('count an empty or blank required value as missing', () => {
      expectInvalid({ ...base, username: '' }, 'username', 'is required');
      expectInvalid({ ...base, password: '' }, 'password', 'is required');
      expectInvalid({ ...base, authurl: '' }, 'authurl', 'is required');
      expectInvalid({ ...base, container: '' }, 'container', 'is required');
      expectInvalid({ ...base, container: '   ' }, 'container', 'is required');
      expectInvalid({ ...base, password: null }, 'password', 'is required');
    });

    it('reject values of the wrong type', () => {
      expectInvalid({ ...base, username: 42 }, 'username', 'expected a string, got number 42');
      expectInvalid({ ...base, password: ['p'] }, 'password', 'expected a string, got a list');
      expectInvalid({ ...base, tenant: { name: 't' } }, 'tenant', 'expected a string');
      expectInvalid({ ...base, region: 1 }, 'region', 'expected a string');
      expectInvalid({ ...base, secretkey: true }, 'secretkey', 'expected a string');
      expectInvalid('swift', 'parameters', 'expected a mapping');
    });

    it('require authurl to be an absolute http: or https: URL', () => {
      for (const authurl of [
        'ftp://keystone.example.com/v3',
        'keystone.example.com/v3',
        '/v3',
        'https:keystone.example.com',
        'http://',
        'file:///etc/passwd',
      ]) {
        expectInvalid(
          { ...base, authurl },
          'authurl',
          `expected an absolute http: or https: URL such as "https://keystone.example.com/v3", got ${JSON.stringify(authurl)}`,
        );
      }
    });

    it('require a valid Swift container name', () => {
      expectInvalid(
        { ...base, container: 'images/v2' },
        'container',
        '"images/v2" is not a Swift container name: it cannot contain "/"',
      );
      expectInvalid({ ...base, container: '/' }, 'container', 'it cannot contain "/"');
      expectInvalid(
        { ...base, container: 'c'.repeat(257) },
        'container',
        'is 257 bytes long; a Swift container name is at most 256 bytes',
      );
      expectInvalid(
        { ...base, container: 'é'.repeat(129) },
        'container',
        'is 258 bytes long; a Swift container name is at most 256 bytes',
      );
    });

    it('reject a prefix with empty, . or .. segments', () => {
      expectInvalid({ ...base, prefix: 'a//b' }, 'prefix', '"a//b" has an empty path segment');
      expectInvalid({ ...base, prefix: '/a//b/' }, 'prefix', 'has an empty path segment');
      expectInvalid({ ...base, prefix: '..' }, 'prefix', '".." has a ".." segment');
      expectInvalid({ ...base, prefix: 'a/../b' }, 'prefix', 'has a ".." segment');
      expectInvalid({ ...base, prefix: '/../registry' }, 'prefix', 'has a ".." segment');
      expectInvalid({ ...base, prefix: 'a/./b' }, 'prefix', 'has a "." segment');
    });

    it('require chunksize to be an integer from 1 MiB to 5 GiB, saying both bounds', () => {
      const bounds = `expected an integer number of bytes from ${String(minimumChunkSize)} (1 MiB`;
      const upper = `to ${String(maximumChunkSize)} (5 GiB`;
      for (const chunksize of [MiB - 1, 0, -1, '524288', maximumChunkSize + 1]) {
        const failure = failureOf({ ...base, chunksize });
        expect(failure.key).to.equal('chunksize');
        expect(failure.message).to.contain(`invalid parameter "chunksize": ${bounds}`);
        expect(failure.message).to.contain(upper);
        expect(failure.message).to.contain(`got ${String(Number(chunksize))}`);
      }
      expectInvalid({ ...base, chunksize: '20M' }, 'chunksize', 'expected an integer, got "20M"');
      expectInvalid({ ...base, chunksize: MiB + 0.5 }, 'chunksize', 'expected an integer');
      expectInvalid({ ...base, chunksize: true }, 'chunksize', 'expected an integer');
    });

    it('require authversion to be 0, 1, 2 or 3', () => {
      for (const authversion of [4, -1, '5']) {
        expectInvalid(
          { ...base, authversion },
          'authversion',
          'expected 0 (guess from authurl), 1 (TempAuth), 2 (Keystone v2) or 3 (Keystone v3), got ',
        );
      }
      expectInvalid({ ...base, authversion: 'v3' }, 'authversion', 'expected an integer');
      expectInvalid({ ...base, authversion: 2.5 }, 'authversion', 'expected an integer');
    });

    it('require endpointtype to be public, internal or admin', () => {
      expectInvalid(
        { ...base, endpointtype: 'private' },
        'endpointtype',
        'expected one of public, internal, admin, got "private"',
      );
      expectInvalid(
        { ...base, endpointtype: 'publicURL' },
        'endpointtype',
        'expected one of public, internal, admin, got "publicURL"',
      );
    });

    it('require booleans to be true or false', () => {
      expectInvalid(
        { ...base, insecureskipverify: 'yes' },
        'insecureskipverify',
        'expected true or false, got "yes"',
      );
      expectInvalid(
        { ...base, tempurlcontainerkey: 1 },
        'tempurlcontainerkey',
        'expected true or false, got number 1',
      );
    });

    it('require tempurlmethods to be a non-empty list of known methods', () => {
      expectInvalid(
        { ...base, tempurlmethods: [] },
        'tempurlmethods',
        'is an empty list; expected some of GET, HEAD, PUT, POST, DELETE',
      );
      expectInvalid(
        { ...base, tempurlmethods: ['GET', 'PATCH'] },
        'tempurlmethods',
        'expected each method to be one of GET, HEAD, PUT, POST, DELETE, got "PATCH"',
      );
      expectInvalid(
        { ...base, tempurlmethods: 'GET,,HEAD' },
        'tempurlmethods',
        'expected each method to be one of GET, HEAD, PUT, POST, DELETE, got ""',
      );
      expectInvalid({ ...base, tempurlmethods: 'GET HEAD' }, 'tempurlmethods', 'got "GET HEAD"');
      expectInvalid({ ...base, tempurlmethods: ['GET,HEAD'] }, 'tempurlmethods', 'got "GET,HEAD"');
      expectInvalid({ ...base, tempurlmethods: [1] }, 'tempurlmethods', 'got number 1');
      expectInvalid(
        { ...base, tempurlmethods: 42 },
        'tempurlmethods',
        'expected a list of HTTP methods such as [GET, HEAD], or "GET,HEAD", got number 42',
      );
      expectInvalid(
        { ...base, tempurlmethods: { GET: true } },
        'tempurlmethods',
        'expected a list of HTTP methods',
      );
    });

    it('require secretkey when accesskey is set', () => {
      expectInvalid(
        { ...base, accesskey: 'access' },
        'secretkey',
        'is required when accesskey is set',
      );
      expectInvalid(
        { ...base, accesskey: 'access', secretkey: '' },
        'secretkey',
        'is required when accesskey is set',
      );
    });

    it('reject trustid with auth version 1 or 2: trusts are Keystone v3', () => {
      for (const authversion of [1, 2, '2']) {
        expectInvalid(
          { ...base, trustid: 'trust-1', authversion },
          'trustid',
          `cannot be used with authversion ${String(authversion)}: trusts are Keystone v3`,
        );
      }
    });

    it('reject trustid with tenant or tenantid: a token has one scope', () => {
      expectInvalid(
        { ...base, trustid: 'trust-1', tenant: 'demo' },
        'trustid',
        'cannot be combined with tenant: a token is scoped either to a trust or to a project',
      );
      expectInvalid(
        { ...base, trustid: 'trust-1', tenantid: 'p-1', authversion: 3 },
        'trustid',
        'cannot be combined with tenantid: a token is scoped either to a trust or to a project',
      );
    });

    it('reject Keystone-only keys with an explicit authversion 1', () => {
      const tempAuth = { ...base, authurl: 'http://swift.example.com/auth/v1.0', authversion: 1 };
      const keystoneOnly: [string, string][] = [
        ['tenant', 'demo'],
        ['tenantid', 'p-1'],
        ['domain', 'Default'],
        ['domainid', 'default'],
        ['tenantdomain', 'Default'],
        ['tenantdomainid', 'default'],
        ['region', 'RegionOne'],
        ['endpointtype', 'internal'],
        // Even the default: the key is given, and means nothing to TempAuth.
        ['endpointtype', 'public'],
      ];
      for (const [key, value] of keystoneOnly) {
        expectInvalid(
          { ...tempAuth, [key]: value },
          key,
          'cannot be used with authversion 1: TempAuth has no projects, domains or service catalog',
        );
      }
      // The same keys are fine when the version is guessed from the URL.
      expect(
        fromParameters({ ...tempAuth, authversion: 0, tenant: 'demo', region: 'r' }),
      ).to.deep.include({ authVersion: 0, tenant: 'demo', region: 'r' });
      // And empty values are absent, so not "given".
      expect(
        fromParameters({ ...tempAuth, tenant: '', region: '', endpointtype: '' }).authVersion,
      ).to.equal(1);
    });

    it('reject unknown keys, listing the known ones', () => {
      expectInvalid(
        { ...base, rootdirectory: '/registry' },
        'rootdirectory',
        `unknown parameter (known: ${knownKeys.join(', ')})`,
      );
    });

    it('read no key that distribution does not have', () => {
      for (const key of [
        'maxattempts',
        'requesttimeout',
        'redirectexpiry',
        'authUrl',
        'chunkSize',
        'tempurlmethod',
        'projectname',
      ]) {
        expectInvalid({ ...base, [key]: '1' }, key, 'unknown parameter (known: accesskey,');
      }
    });

    it('report a misspelt required key as unknown, not as missing', () => {
      const { container: _container, ...rest } = base;
      expectInvalid({ ...rest, contianer: 'images' }, 'contianer', 'unknown parameter');
    });
  });
});
