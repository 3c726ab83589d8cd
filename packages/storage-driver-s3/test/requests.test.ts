import { patternBytes, patternDigest, summarize } from '@lading/storage-driver-testsuite';
import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import { createS3Driver, type S3DriverOptions } from '../src/index.js';
import { startRecordingProxy, type RecordingProxy, type SeenRequest } from '@lading/registry-peers';
import { localSwiftTarget, type S3Target } from './support/s3-target.js';

const MiB = 1024 * 1024;

describe('s3 requests, watched through a recording proxy', function () {
  let target: S3Target;
  let proxy: RecordingProxy;
  let options: S3DriverOptions;
  let driver: StorageDriver;

  before(async () => {
    target = await localSwiftTarget();
    proxy = await startRecordingProxy(String(target.driverOptions().regionEndpoint));
    options = target.driverOptions({
      regionEndpoint: proxy.endpoint,
      multipartCopyThresholdSize: 5 * MiB,
      multipartCopyChunkSize: 5 * MiB,
    });
    driver = createS3Driver(options);
  });

  afterEach(() => {
    proxy.intercept(undefined);
  });

  after(() => proxy.close());

  /** The requests `action` made. */
  async function during(action: () => Promise<unknown>): Promise<SeenRequest[]> {
    const before = proxy.requests.length;
    await action();
    return proxy.requests.slice(before);
  }

  const isList = (request: SeenRequest) =>
    request.method === 'GET' && request.url.includes('list-type=2');
  const isBatchDelete = (request: SeenRequest) =>
    request.method === 'POST' && /[?&]delete(=|&|$)/.test(request.url);

  it('moves large files by multipart copy and small ones by one copy, sending no bytes', async () => {
    await driver.putContent('/move/large', patternBytes('move', 0, 12 * MiB));
    const large = await during(() => driver.move('/move/large', '/move/large-moved'));
    const ranges = large
      .map((request) => request.headers['x-amz-copy-source-range'])
      .filter(Boolean);
    expect(ranges).to.deep.equal([
      `bytes=0-${String(5 * MiB - 1)}`,
      `bytes=${String(5 * MiB)}-${String(12 * MiB - 1)}`,
    ]);
    expect(large.reduce((sum, request) => sum + request.bodyBytes, 0)).to.be.below(4096);
    expect(await summarize(await driver.reader('/move/large-moved'))).to.deep.equal({
      size: 12 * MiB,
      sha256: patternDigest('move', 12 * MiB),
    });
    await driver.putContent('/move/small', Buffer.from('small'));
    const small = await during(() => driver.move('/move/small', '/move/small-moved'));
    const copies = small.filter((request) => request.headers['x-amz-copy-source'] !== undefined);
    expect(copies).to.have.length(1);
    expect(copies[0]?.headers['x-amz-copy-source-range']).to.equal(undefined);
    expect((await driver.getContent('/move/small-moved')).toString()).to.equal('small');
    expect(await driver.list('/move')).to.deep.equal(['/move/large-moved', '/move/small-moved']);
  });

  it('pages through more keys than one listing holds, and deletes them in batches with Content-MD5', async () => {
    const count = 1050;
    const paths = Array.from(
      { length: count },
      (_, index) => `/many/f${String(index).padStart(4, '0')}`,
    );
    for (let start = 0; start < count; start += 50) {
      await Promise.all(
        paths.slice(start, start + 50).map((path) => driver.putContent(path, Buffer.from(path))),
      );
    }
    let listed: string[] = [];
    const listing = await during(async () => {
      listed = await driver.list('/many');
    });
    expect(listed).to.deep.equal(paths);
    expect(listing.filter(isList)).to.have.length(2);
    const deletion = await during(() => driver.delete('/many'));
    const batches = deletion.filter(isBatchDelete);
    expect(batches).to.have.length(2);
    for (const batch of batches) {
      expect(batch.headers['content-md5'], 'Content-MD5').to.match(/^[A-Za-z0-9+/]{22}==$/);
      expect(
        Object.keys(batch.headers).filter((name) => name.startsWith('x-amz-checksum-')),
      ).to.deep.equal([]);
    }
    const failure = await driver.stat('/many').catch((error: unknown) => error);
    expect(isStorageError(failure, 'PATH_NOT_FOUND')).to.equal(true);
  });

  it('fails a batch delete that the store refused in part, naming the key', async () => {
    await driver.putContent('/refused/file', Buffer.from('x'));
    proxy.intercept((method, url) =>
      method === 'POST' && url.includes('delete')
        ? {
            status: 200,
            headers: { 'content-type': 'application/xml' },
            body:
              '<?xml version="1.0" encoding="UTF-8"?><DeleteResult><Error><Key>kept/key</Key>' +
              '<Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>',
          }
        : undefined,
    );
    const failure = await driver.delete('/refused').catch((error: unknown) => error);
    expect((failure as Error).message).to.contain('could not delete kept/key: AccessDenied');
  });

  it('retries throttling and reset connections with the SDK, then succeeds', async () => {
    proxy.failNext(2, '503');
    const throttled = await during(() => driver.putContent('/retry/put', Buffer.from('kept')));
    expect(throttled.map((request) => request.outcome)).to.deep.equal([
      'failed-503',
      'failed-503',
      'forwarded',
    ]);
    proxy.failNext(1, 'reset');
    let content: Buffer = Buffer.alloc(0);
    const reset = await during(async () => {
      content = await driver.getContent('/retry/put');
    });
    expect(reset.map((request) => request.outcome)).to.deep.equal(['reset', 'forwarded']);
    expect(content.toString()).to.equal('kept');
  });

  it('gives up after maxAttempts and reports the store error', async () => {
    const impatient = createS3Driver({ ...options, maxAttempts: 3 });
    proxy.failNext(3, '503');
    let failure: unknown;
    const attempts = await during(async () => {
      failure = await impatient
        .putContent('/retry/never', Buffer.from('x'))
        .catch((error: unknown) => error);
    });
    expect(attempts.map((request) => request.outcome)).to.deep.equal([
      'failed-503',
      'failed-503',
      'failed-503',
    ]);
    expect(isStorageError(failure, 'STORAGE_ERROR')).to.equal(true);
    expect((failure as Error).message).to.match(/^s3: .*(SlowDown|reduce your request rate)/);
  });

  it('sends the configured storage class, ACL, encryption and user agent with new objects', async () => {
    const configured = createS3Driver({
      ...options,
      storageClass: 'REDUCED_REDUNDANCY',
      objectAcl: 'bucket-owner-full-control',
      encrypt: true,
      keyId: 'arn:aws:kms:us-east-1:111122223333:key/lading-test',
      userAgent: 'acme-registry/7',
    });
    // This Swift has no at-rest encryption to honour SSE, so answer the PUTs here.
    proxy.intercept((method) =>
      method === 'PUT' ? { status: 200, headers: { etag: '"0"' } } : undefined,
    );
    const sent = await during(() => configured.putContent('/settings/object', Buffer.from('x')));
    const put = sent.find((request) => request.method === 'PUT');
    expect(put?.headers).to.include({
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-acl': 'bucket-owner-full-control',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id':
        'arn:aws:kms:us-east-1:111122223333:key/lading-test',
      'content-type': 'application/octet-stream',
    });
    expect(put?.headers['user-agent']).to.contain('acme-registry/7');
  });

  it('signs redirect URLs for 20 minutes, for GET and HEAD', async () => {
    await driver.putContent('/redirect/blob', Buffer.from('direct'));
    const get = new URL(String(await driver.redirectURL('GET', '/redirect/blob')));
    expect(get.searchParams.get('X-Amz-Expires')).to.equal('1200');
    expect(get.searchParams.get('X-Amz-Algorithm')).to.equal('AWS4-HMAC-SHA256');
    expect(await (await fetch(get)).text()).to.equal('direct');
    const head = String(await driver.redirectURL('HEAD', '/redirect/blob'));
    const response = await fetch(head, { method: 'HEAD' });
    expect([response.status, response.headers.get('content-length')]).to.deep.equal([200, '6']);
    expect((await fetch(head)).status, 'a HEAD URL is no GET URL').to.equal(403);
  });
});
