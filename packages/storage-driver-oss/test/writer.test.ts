import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OSS from 'ali-oss';
import {
  startRecordingProxy,
  type RecordingProxy,
  type RunningOssEmulator,
  type SeenRequest,
} from '@lading/registry-peers';
import type { StorageDriver } from '@lading/storage-driver';
import { patternBytes, patternDigest, summarize } from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createOssDriver, type OssDriverOptions } from '../src/index.js';
import { localEmulator, localOssTarget } from './support/oss-target.js';

const MiB = 1024 * 1024;
const fixture = fileURLToPath(new URL('fixtures/resume-writer.ts', import.meta.url));

/** Bytes sent in part uploads and object PUTs (copies carry none). */
function uploadedBytes(requests: readonly SeenRequest[]): number {
  return requests
    .filter(
      (request) => request.method === 'PUT' && request.headers['x-oss-copy-source'] === undefined,
    )
    .reduce((sum, request) => sum + request.bodyBytes, 0);
}

describe('oss writer, watched through a recording proxy', function () {
  let emulator: RunningOssEmulator;
  let proxy: RecordingProxy;
  let options: OssDriverOptions;
  let driver: StorageDriver;
  let client: OSS;
  let root: string;

  before(async () => {
    emulator = await localEmulator();
    const target = await localOssTarget();
    proxy = await startRecordingProxy(emulator.endpoint);
    options = target.driverOptions({ endpoint: proxy.endpoint, chunkSize: 5 * MiB });
    root = String(options.rootDirectory).slice(1);
    driver = createOssDriver(options);
    client = new OSS({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      region: options.region,
      bucket: options.bucket,
      endpoint: emulator.endpoint,
      secure: false,
    });
  });

  after(() => proxy.close());

  async function keysUnder(prefix: string): Promise<string[]> {
    const page = await client.listV2({ prefix: `${root}${prefix}`, 'max-keys': 1000 });
    return page.objects.map((object) => object.name.slice(root.length));
  }

  async function uploadsUnder(prefix: string): Promise<string[]> {
    const page = await client.listUploads({ prefix: `${root}${prefix}` });
    return page.uploads.map((upload) => upload.name.slice(root.length));
  }

  it('resumes in another process without sending again what the store holds', async () => {
    const path = '/uploads/resumed/data';
    const first = 12 * MiB + 100;
    const writer = await driver.writer(path);
    for (let offset = 0; offset < first; offset += MiB) {
      await writer.write(patternBytes('resume', offset, Math.min(MiB, first - offset)));
    }
    await writer.close();
    expect(uploadedBytes(proxy.requests), 'two 5 MiB parts and the state object').to.equal(first);
    const before = proxy.requests.length;
    const more = 7 * MiB;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fixture, JSON.stringify(options), path, String(more)],
      { maxBuffer: MiB, timeout: 60_000 },
    );
    expect(stdout).to.contain(`resumed at ${String(first)}`);
    expect(stdout).to.contain(`committed ${String(first + more)}`);
    // The 2 MiB tail goes out again, inside the next part; the 10 MiB of parts do not.
    expect(uploadedBytes(proxy.requests.slice(before))).to.equal(first - 10 * MiB + more);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: first + more,
      sha256: patternDigest('resume', first + more),
    });
    expect(await keysUnder('/uploads/resumed/')).to.deep.equal(['/uploads/resumed/data']);
    expect(await uploadsUnder('/uploads/resumed/')).to.deep.equal([]);
  });

  it('leaves no multipart upload and no state behind on cancel', async () => {
    const path = '/uploads/cancelled/data';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('cancel', 0, 11 * MiB));
    await writer.close();
    expect(await uploadsUnder('/uploads/cancelled/')).to.have.length(1);
    const resumed = await driver.writer(path, true);
    await resumed.write(patternBytes('cancel', 11 * MiB, 6 * MiB));
    await resumed.cancel();
    expect(await uploadsUnder('/uploads/cancelled/')).to.deep.equal([]);
    expect(await keysUnder('/uploads/cancelled/')).to.deep.equal([]);
  });

  it('aborts the uploads of writers that never closed when their directory is deleted', async () => {
    const directory = '/uploads/crashed';
    await driver.putContent(`${directory}/startedat`, Buffer.from('now'));
    const abandoned = await driver.writer(`${directory}/data`);
    await abandoned.write(patternBytes('crash', 0, 6 * MiB)); // one part sent, then the process dies
    await driver.delete(directory);
    expect(await uploadsUnder(`${directory}/`)).to.deep.equal([]);
    expect(await keysUnder(`${directory}/`)).to.deep.equal([]);
  });

  it('appends to a committed file by copying it server-side into the first parts', async () => {
    const path = '/appended/data';
    await driver.putContent(path, patternBytes('append', 0, 6 * MiB));
    const before = proxy.requests.length;
    const writer = await driver.writer(path, true);
    expect(writer.size).to.equal(6 * MiB);
    await writer.write(patternBytes('append', 6 * MiB, 1000));
    await writer.commit();
    const seen = proxy.requests.slice(before);
    expect(seen.some((request) => request.headers['x-oss-copy-source'] !== undefined)).to.equal(
      true,
    );
    expect(uploadedBytes(seen)).to.equal(1000);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 6 * MiB + 1000,
      sha256: patternDigest('append', 6 * MiB + 1000),
    });
  });

  it('moves a file above the copy threshold by multipart copy, sending no byte', async () => {
    const copying = createOssDriver({
      ...options,
      copyThresholdSize: 5 * MiB,
      copyChunkSize: 5 * MiB,
    });
    await copying.putContent('/moved/from', patternBytes('moved', 0, 12 * MiB));
    const before = proxy.requests.length;
    await copying.move('/moved/from', '/moved/to');
    const seen = proxy.requests.slice(before);
    const partCopies = seen.filter(
      (request) => request.headers['x-oss-copy-source-range'] !== undefined,
    );
    expect(partCopies).to.have.length(3); // 5, 5 and 2 MiB: OSS takes parts down to 100 KiB
    expect(uploadedBytes(seen)).to.equal(0);
    expect(await summarize(await copying.reader('/moved/to'))).to.deep.equal({
      size: 12 * MiB,
      sha256: patternDigest('moved', 12 * MiB),
    });
    expect(await keysUnder('/moved/')).to.deep.equal(['/moved/to']);
  });

  it('asks for SSE-KMS with the configured key, on objects and on multipart uploads', async () => {
    const kms = createOssDriver({ ...options, encrypt: true, encryptionKeyId: 'kms-key-1' });
    await kms.putContent('/kms/small', Buffer.from('secret'));
    const writer = await kms.writer('/kms/large');
    await writer.write(patternBytes('kms', 0, 6 * MiB));
    await writer.commit();
    for (const path of ['/kms/small', '/kms/large']) {
      const head = await client.head(`${root}${path}`);
      const headers = head.res.headers as Record<string, string>;
      expect(headers['x-oss-server-side-encryption'], path).to.equal('KMS');
      expect(headers['x-oss-server-side-encryption-key-id'], path).to.equal('kms-key-1');
    }
  });

  it('drops the state of a writer whose upload the store no longer has, and says there is nothing to resume', async () => {
    const path = '/uploads/expired/data';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('expired', 0, 6 * MiB));
    await writer.close();
    const [upload] = (await client.listUploads({ prefix: `${root}${path}` })).uploads;
    await client.abortMultipartUpload(String(upload?.name), String(upload?.uploadId));
    let failure: unknown;
    await driver.writer(path, true).catch((error: unknown) => {
      failure = error;
    });
    expect((failure as { code?: string } | undefined)?.code).to.equal('PATH_NOT_FOUND');
    expect(await keysUnder('/uploads/expired/')).to.deep.equal([]);
  });

  it('gives no redirect for an endpoint given as an IP address, which ali-oss cannot sign for', async () => {
    const byAddress = createOssDriver({ ...options, endpoint: emulator.endpoint });
    await byAddress.putContent('/by-address/data', Buffer.from('served by the registry'));
    expect(await byAddress.redirectURL('GET', '/by-address/data')).to.equal(undefined);
    const byName = createOssDriver({
      ...options,
      endpoint: emulator.endpoint.replace('127.0.0.1', 'localhost'),
    });
    const url = String(await byName.redirectURL('GET', '/by-address/data'));
    expect(await (await fetch(url)).text()).to.equal('served by the registry');
  });

  it('signs what it sends: a wrong secret is refused by the store', async () => {
    const wrong = createOssDriver({ ...options, accessKeySecret: 'not-the-secret' });
    let failure: unknown;
    await wrong.putContent('/signed/data', Buffer.from('x')).catch((error: unknown) => {
      failure = error;
    });
    expect(String((failure as Error | undefined)?.cause ?? failure)).to.match(
      /SignatureDoesNotMatch|signature/i,
    );
  });

  it('retries what the store failed to answer, then gives up after maxAttempts', async () => {
    await driver.putContent('/retried/data', Buffer.from('kept'));
    proxy.failNext(2, '503');
    expect((await driver.getContent('/retried/data')).toString()).to.equal('kept');
    proxy.failNext(1, 'reset');
    expect((await driver.stat('/retried/data')).size).to.equal(4);
    const impatient = createOssDriver({ ...options, maxAttempts: 2 });
    proxy.failNext(2, '503');
    let failure: unknown;
    await impatient.stat('/retried/data').catch((error: unknown) => {
      failure = error;
    });
    proxy.clearFaults();
    expect(failure).to.be.instanceOf(Error);
  });
});
