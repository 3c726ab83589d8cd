import { randomBytes } from 'node:crypto';
import {
  startRecordingProxy,
  type RecordingProxy,
  type RunningSwift,
} from '@lading/registry-peers';
import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import {
  SwiftAuthError,
  SwiftRequestError,
  createSwiftDriver,
  type SwiftDriverOptions,
} from '../src/index.js';
import { rawSwift, type RawSwift } from './support/swift-raw.js';
import { localSwift } from './support/swift-target.js';
import { startTlsFront } from './support/tls-front.js';

describe('swift driver requests: logins, retries, start-up, TempURLs', function () {
  let running: RunningSwift;
  let proxy: RecordingProxy;
  let container: string;
  let raw: RawSwift;

  before(async () => {
    running = await localSwift();
    container = await running.createBucket();
    proxy = await startRecordingProxy(new URL(running.swift.authUrl).origin);
    raw = await rawSwift(running, container);
  });

  afterEach(() => {
    proxy.intercept(undefined);
  });

  after(() => proxy.close());

  function optionsVia(
    endpoint: string,
    overrides: Partial<SwiftDriverOptions> = {},
  ): SwiftDriverOptions {
    return {
      authUrl: `${endpoint}/auth/v1.0`,
      username: running.swift.user,
      password: running.swift.key,
      container,
      prefix: `requests-${randomBytes(4).toString('hex')}`,
      ...overrides,
    };
  }

  const logins = () => proxy.requests.filter((request) => request.url.startsWith('/auth/')).length;

  async function failure(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  }

  it('logs in again, once, when Swift refuses the token', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint));
    await driver.putContent('/token/file', Buffer.from('kept'));
    const before = logins();
    let refused = 0;
    proxy.intercept((method, url) => {
      if (refused > 0 || url.startsWith('/auth/')) return undefined;
      refused += 1;
      return { status: 401, body: '<html><h1>Unauthorized</h1></html>' };
    });
    expect((await driver.getContent('/token/file')).toString()).to.equal('kept');
    expect([refused, logins() - before]).to.deep.equal([1, 1]);
  });

  it('gives up with the store’s answer when even a new token is refused', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint));
    const before = logins();
    proxy.intercept((method, url) =>
      url.startsWith('/auth/') ? undefined : { status: 401, body: 'Unauthorized' },
    );
    const error = await failure(driver.getContent('/token/anything'));
    expect(isStorageError(error)).to.equal(true);
    const cause = (error as Error).cause;
    expect(cause).to.be.instanceOf(SwiftRequestError);
    expect((cause as SwiftRequestError).status).to.equal(401);
    expect(logins() - before).to.equal(1);
  });

  it('retries transient failures, then succeeds', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint, { maxAttempts: 4 }));
    await driver.putContent('/retry/file', Buffer.from('there'));
    const before = proxy.requests.length;
    proxy.failNext(2, '503');
    expect((await driver.getContent('/retry/file')).toString()).to.equal('there');
    proxy.failNext(1, 'reset');
    expect((await driver.stat('/retry/file')).size).to.equal(5);
    const outcomes = proxy.requests.slice(before).map((request) => request.outcome);
    expect(outcomes).to.deep.equal(['failed-503', 'failed-503', 'forwarded', 'reset', 'forwarded']);
  });

  it('stops after maxAttempts and reports the last answer', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint, { maxAttempts: 3 }));
    const before = proxy.requests.length;
    proxy.failNext(5, '503');
    const error = await failure(driver.putContent('/retry/never', Buffer.from('x')));
    expect((error as Error).cause).to.be.instanceOf(SwiftRequestError);
    expect(((error as Error).cause as SwiftRequestError).status).to.equal(503);
    expect(proxy.requests.length - before).to.equal(3);
    // Two faults are left over from the five; let them pass harmlessly.
    await driver.putContent('/retry/later', Buffer.from('y'));
  });

  it('reports a store that never answers, after maxAttempts connections', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint, { maxAttempts: 2 }));
    proxy.failNext(2, 'reset');
    const error = await failure(driver.stat('/retry/gone'));
    const cause = (error as Error).cause as SwiftRequestError;
    expect(cause).to.be.instanceOf(SwiftRequestError);
    expect(cause.status).to.equal(undefined);
    expect(cause.message).to.contain('no answer');
  });

  it('reports the segments Swift could not delete with a large file', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint, { chunkSize: 1024 * 1024 }));
    const writer = await driver.writer('/refused/data');
    await writer.write(Buffer.alloc(1024 * 1024 + 1));
    await writer.commit();
    proxy.intercept((method, url) =>
      method === 'DELETE' && url.includes('multipart-manifest=delete')
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              'Response Status': '409 Conflict',
              Errors: [['/c/segments/x/0000000000000001', '409 Conflict']],
            }),
          }
        : undefined,
    );
    const error = await failure(driver.delete('/refused/data'));
    expect(String((error as Error).cause)).to.match(/HTTP 409.*0000000000000001/);
  });

  it('fails at start-up when Swift will not take the TempURL key', async () => {
    proxy.intercept((method) =>
      method === 'POST' ? { status: 403, body: 'Forbidden' } : undefined,
    );
    const error = await failure(
      createSwiftDriver(optionsVia(proxy.endpoint, { secretKey: 'never-stored' })),
    );
    expect((error as Error).message).to.contain(
      "could not be stored as the account's Temp-URL key",
    );
    expect((error as Error).message).to.contain('403');
  });

  it('retries a login the auth service failed to answer, and fails at once on a wrong password', async () => {
    proxy.failNext(2, '503');
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint));
    await driver.putContent('/login/file', Buffer.from('in'));
    const wrong = await failure(
      createSwiftDriver(optionsVia(proxy.endpoint, { password: 'not-the-key' })),
    );
    expect(wrong).to.be.instanceOf(SwiftAuthError);
    expect((wrong as SwiftAuthError).status).to.equal(401);
    expect((wrong as Error).message).to.not.contain('not-the-key');
  });

  it('lowers its listing page size to the cluster’s cap when Swift says it is lower', async () => {
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint));
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        driver.putContent(`/paged/${String(index).padStart(2, '0')}`, Buffer.from('x')),
      ),
    );
    const before = proxy.requests.length;
    proxy.intercept((method, url) => {
      const limit = Number(new URL(url, 'http://swift').searchParams.get('limit') ?? '0');
      return method === 'GET' && limit > 10
        ? { status: 412, body: 'Maximum limit is 10' }
        : undefined;
    });
    const listed = await driver.list('/paged');
    expect(listed).to.have.length(25);
    expect(listed[24]).to.equal('/paged/24');
    const limits = proxy.requests
      .slice(before)
      .map((request) => new URL(request.url, 'http://swift').searchParams.get('limit'));
    // Once told, it asks for 10 at a time: pages of 10, 10, 5.
    expect(limits).to.deep.equal(['10000', '10', '10', '10']);
  });

  it('contacts nothing when built offline, for a configuration check', async () => {
    const before = proxy.requests.length;
    const name = `never-${randomBytes(4).toString('hex')}`;
    const driver = await createSwiftDriver(
      optionsVia(proxy.endpoint, { container: name, secretKey: 'unused', offline: true }),
    );
    expect(driver.name).to.equal('swift');
    expect(proxy.requests.length).to.equal(before);
  });

  it('creates a missing container at start-up', async () => {
    const name = `created-${randomBytes(4).toString('hex')}`;
    const driver = await createSwiftDriver(optionsVia(proxy.endpoint, { container: name }));
    await driver.putContent('/here', Buffer.from('yes'));
    const fresh = await rawSwift(running, name);
    expect(await fresh.names('')).to.have.length(1);
  });

  it('speaks TLS, and takes a self-signed certificate only with insecureSkipVerify', async () => {
    const front = await startTlsFront(new URL(running.swift.authUrl).origin);
    try {
      const refused = await failure(createSwiftDriver(optionsVia(front.endpoint)));
      expect(refused).to.be.instanceOf(SwiftAuthError);
      expect(String((refused as Error).cause)).to.match(/self[- ]signed|certificate/i);
      const driver = await createSwiftDriver(
        optionsVia(front.endpoint, { insecureSkipVerify: true }),
      );
      await driver.putContent('/tls/file', Buffer.from('secret'));
      expect((await driver.getContent('/tls/file')).toString()).to.equal('secret');
    } finally {
      await front.close();
    }
  });

  describe('TempURL redirects', () => {
    let driver: StorageDriver;
    const key = `lading-${randomBytes(8).toString('hex')}`;

    before(async () => {
      driver = await createSwiftDriver(
        optionsVia(running.swift.authUrl.replace('/auth/v1.0', ''), {
          secretKey: key,
        }),
      );
      await driver.putContent('/temp/blob', Buffer.from('straight from swift'));
    });

    it('registers the secret key with the account and signs URLs Swift honours for GET and HEAD', async () => {
      const account = await raw.account();
      expect([
        account.get('x-account-meta-temp-url-key'),
        account.get('x-account-meta-temp-url-key-2'),
      ]).to.include(key);
      const get = String(await driver.redirectURL('GET', '/temp/blob'));
      expect(get).to.match(/temp_url_sig=[0-9a-f]{64}&temp_url_expires=\d+$/);
      const response = await fetch(get);
      expect([response.status, await response.text()]).to.deep.equal([200, 'straight from swift']);
      const head = await fetch(String(await driver.redirectURL('HEAD', '/temp/blob')), {
        method: 'HEAD',
      });
      expect([head.status, head.headers.get('content-length')]).to.deep.equal([200, '19']);
      const forged = new URL(get);
      forged.pathname = forged.pathname.replace('/temp/blob', '/temp/other');
      expect((await fetch(forged)).status).to.equal(401);
    });

    it('keeps another tool’s key and takes the free slot', async () => {
      await raw.setAccount({
        'x-account-meta-temp-url-key': 'someone-else',
        'x-account-meta-temp-url-key-2': '',
      });
      const second = `lading-${randomBytes(8).toString('hex')}`;
      const other = await createSwiftDriver(optionsVia(proxy.endpoint, { secretKey: second }));
      const account = await raw.account();
      expect(account.get('x-account-meta-temp-url-key')).to.equal('someone-else');
      expect(account.get('x-account-meta-temp-url-key-2')).to.equal(second);
      await other.putContent('/temp/second', Buffer.from('two'));
      const response = await fetch(String(await other.redirectURL('GET', '/temp/second')));
      expect(await response.text()).to.equal('two');
    });

    it('can keep the key on the container instead', async () => {
      const onContainer = `lading-${randomBytes(8).toString('hex')}`;
      const other = await createSwiftDriver(
        optionsVia(proxy.endpoint, { secretKey: onContainer, tempUrlContainerKey: true }),
      );
      expect((await raw.container()).get('x-container-meta-temp-url-key')).to.equal(onContainer);
      await other.putContent('/temp/container', Buffer.from('three'));
      const response = await fetch(String(await other.redirectURL('GET', '/temp/container')));
      expect(await response.text()).to.equal('three');
    });

    it('gives no URL for a method the cluster does not allow, and HP Cloud’s form with an access key', async () => {
      const limited = await createSwiftDriver(
        optionsVia(proxy.endpoint, { secretKey: key, tempUrlMethods: ['PUT'] }),
      );
      expect(await limited.redirectURL('GET', '/temp/blob')).to.equal(undefined);
      const hp = await createSwiftDriver(
        optionsVia(proxy.endpoint, { secretKey: key, accessKey: 'AK123' }),
      );
      const url = new URL(String(await hp.redirectURL('GET', '/temp/blob')));
      expect(url.searchParams.get('temp_url_sig')).to.match(/^:AK123:[0-9a-f]{64}$/);
    });

    it('serves the bytes itself without a secret key', async () => {
      const plain = await createSwiftDriver(optionsVia(proxy.endpoint));
      expect(await plain.redirectURL('GET', '/temp/blob')).to.equal(undefined);
    });
  });
});
