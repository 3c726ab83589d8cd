import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import {
  startRecordingProxy,
  type Interceptor,
  type RecordingProxy,
  type SeenRequest,
} from '@lading/registry-peers';
import { expect } from 'chai';
import { createAzureDriver, type AzureDriverOptions } from '../src/index.js';
import { localTarget } from './support/azure-target.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('azure requests, watched through a recording proxy', function () {
  let proxy: RecordingProxy;
  let options: AzureDriverOptions;
  let driver: StorageDriver;

  before(async () => {
    const target = await localTarget();
    const endpoint = new URL(String(target.localEndpoint));
    proxy = await startRecordingProxy(endpoint.origin);
    options = target.driverOptions({
      serviceUrl: `${proxy.endpoint}${endpoint.pathname}`,
      listPageSize: 10,
      retryDelayMs: 10,
    });
    driver = createAzureDriver(options);
  });

  afterEach(() => {
    proxy.intercept(undefined);
  });

  after(() => proxy.close());

  async function during(action: () => Promise<unknown>): Promise<SeenRequest[]> {
    const before = proxy.requests.length;
    await action();
    return proxy.requests.slice(before);
  }

  const isCopyStart = (request: SeenRequest) =>
    request.method === 'PUT' && request.headers['x-ms-copy-source'] !== undefined;

  it('pages through listings and deletes every blob below a directory', async () => {
    const paths = Array.from(
      { length: 35 },
      (_, index) => `/many/f${String(index).padStart(2, '0')}`,
    );
    await Promise.all(paths.map((path) => driver.putContent(path, Buffer.from(path))));
    let listed: string[] = [];
    const listing = await during(async () => {
      listed = await driver.list('/many');
    });
    expect(listed).to.deep.equal(paths);
    expect(listing.filter((request) => request.url.includes('comp=list'))).to.have.length(4);
    await driver.delete('/many');
    const failure = await driver.stat('/many').catch((error: unknown) => error);
    expect(isStorageError(failure, 'PATH_NOT_FOUND')).to.equal(true);
  });

  it('moves by a server-side copy from a read SAS, polling a pending copy until it succeeds', async () => {
    await driver.putContent('/move/source', Buffer.from('moved'));
    let polls = 0;
    proxy.intercept((method, url, headers): ReturnType<Interceptor> => {
      if (method === 'PUT' && headers['x-ms-copy-source'] !== undefined) {
        return { status: 202, headers: { 'x-ms-copy-id': 'c0py', 'x-ms-copy-status': 'pending' } };
      }
      if (method === 'HEAD' && url.includes('/move/destination')) {
        polls++;
        const status = polls < 3 ? 'pending' : 'success';
        return {
          status: 200,
          headers: { 'x-ms-copy-id': 'c0py', 'x-ms-copy-status': status, 'content-length': '5' },
        };
      }
      return undefined;
    });
    const moved = await during(() => driver.move('/move/source', '/move/destination'));
    const start = moved.find(isCopyStart);
    expect(String(start?.headers['x-ms-copy-source'])).to.match(/\/move\/source\?.*sig=/);
    expect(polls).to.equal(3);
    proxy.intercept(undefined);
    const failure = await driver.stat('/move/source').catch((error: unknown) => error);
    expect(isStorageError(failure, 'PATH_NOT_FOUND'), 'the source is gone').to.equal(true);
  });

  it('gives up on a copy still pending after copy_status_poll_max_retry polls, and aborts it', async () => {
    const hasty = createAzureDriver({
      ...options,
      copyStatusPollMaxRetry: 2,
      copyStatusPollDelayMs: 1,
    });
    await hasty.putContent('/stuck/source', Buffer.from('stays'));
    proxy.intercept((method, url, headers): ReturnType<Interceptor> => {
      if (method === 'PUT' && headers['x-ms-copy-source'] !== undefined) {
        return { status: 202, headers: { 'x-ms-copy-id': 'stuck', 'x-ms-copy-status': 'pending' } };
      }
      if (method === 'HEAD' && url.includes('/stuck/destination')) {
        return {
          status: 200,
          headers: {
            'x-ms-copy-id': 'stuck',
            'x-ms-copy-status': 'pending',
            'content-length': '0',
          },
        };
      }
      if (method === 'PUT' && url.includes('comp=copy')) return { status: 204 };
      return undefined;
    });
    let failure: unknown;
    const requests = await during(async () => {
      failure = await hasty
        .move('/stuck/source', '/stuck/destination')
        .catch((error: unknown) => error);
    });
    expect((failure as Error).message).to.contain('still pending after 2 polls');
    expect(
      requests.some(
        (request) => request.url.includes('comp=copy') && request.url.includes('copyid=stuck'),
      ),
    ).to.equal(true);
    proxy.intercept(undefined);
    expect((await hasty.getContent('/stuck/source')).toString(), 'the source stays').to.equal(
      'stays',
    );
  });

  it('retries a busy store with the SDK, and not at all with max_retries -1', async () => {
    proxy.failNext(2, '503');
    const retried = await during(() => driver.putContent('/retry/put', Buffer.from('kept')));
    expect(retried.map((request) => request.outcome)).to.deep.equal([
      'failed-503',
      'failed-503',
      'forwarded',
    ]);
    const once = createAzureDriver({ ...options, maxRetries: -1 });
    proxy.failNext(1, '503');
    let failure: unknown;
    const single = await during(async () => {
      failure = await once
        .putContent('/retry/never', Buffer.from('x'))
        .catch((error: unknown) => error);
    });
    expect(single.map((request) => request.outcome)).to.deep.equal(['failed-503']);
    expect(isStorageError(failure, 'STORAGE_ERROR')).to.equal(true);
  });

  it('writes a 5 GiB blob in blocks within Azure limits, never holding it in memory', async () => {
    // The store's answers come from the proxy, so 5 GiB cross the loopback and nothing is kept.
    const ids: string[] = [];
    proxy.intercept((method, url) => {
      if (method !== 'PUT' || !url.includes('/huge/')) return undefined;
      const id = new URL(url, 'http://x').searchParams.get('blockid');
      if (id !== null) ids.push(id);
      return { status: 201, headers: { etag: '"0"', 'last-modified': new Date().toUTCString() } };
    });
    const writer = await driver.writer('/huge/blob');
    const chunk = Buffer.alloc(4 * MiB, 7);
    const heapBefore = process.memoryUsage().arrayBuffers;
    let peak = 0;
    for (let written = 0; written < 5 * GiB; written += chunk.length) {
      await writer.write(chunk);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - heapBefore);
    }
    const commit = await during(() => writer.commit());
    expect(writer.size).to.equal(5 * GiB);
    expect(ids).to.have.length(640); // 8 MiB blocks; Azure allows 50,000 per blob
    expect(new Set(ids.map((id) => id.length)).size, 'one block id length').to.equal(1);
    expect(commit.some((request) => request.url.includes('comp=blocklist'))).to.equal(true);
    // Two 8 MiB blocks, plus the SDK's request buffers and garbage not yet collected.
    expect(peak, 'buffer memory during the write').to.be.below(256 * MiB);
  });
});
