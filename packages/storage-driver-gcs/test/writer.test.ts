import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Storage, type Bucket } from '@google-cloud/storage';
import {
  startRecordingProxy,
  type RecordingProxy,
  type RunningGcsEmulator,
  type SeenRequest,
} from '@lading/registry-peers';
import type { StorageDriver } from '@lading/storage-driver';
import {
  patternBytes,
  patternDigest,
  summarize,
  writePatternFile,
} from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createGcsDriver, type GcsDriverOptions } from '../src/index.js';
import { localEmulator, localGcsTarget } from './support/gcs-target.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const fixture = fileURLToPath(new URL('fixtures/resume-writer.ts', import.meta.url));

/** Body bytes of uploads (rewrites and composes carry none of the file's bytes). */
function uploadedBytes(requests: readonly SeenRequest[]): number {
  return requests
    .filter((request) => request.url.startsWith('/upload/'))
    .reduce((sum, request) => sum + request.bodyBytes, 0);
}

describe('gcs writer, watched through a recording proxy', function () {
  let emulator: RunningGcsEmulator;
  let proxy: RecordingProxy;
  let options: GcsDriverOptions;
  let driver: StorageDriver;
  let bucket: Bucket;
  let root: string;

  before(async () => {
    emulator = await localEmulator();
    const target = await localGcsTarget();
    proxy = await startRecordingProxy(emulator.endpoint);
    options = target.driverOptions({ endpoint: proxy.endpoint, chunkSize: 256 * KiB });
    root = String(options.rootDirectory).slice(1);
    driver = createGcsDriver(options);
    bucket = new Storage({ apiEndpoint: emulator.endpoint, projectId: emulator.projectId }).bucket(
      options.bucket,
    );
  });

  after(() => proxy.close());

  async function namesUnder(prefix: string): Promise<string[]> {
    const [files] = await bucket.getFiles({ prefix: `${root}${prefix}` });
    return files.map((file) => file.name.slice(root.length));
  }

  it('writes a file under a chunk in one plain upload', async () => {
    const before = proxy.requests.length;
    await writePatternFile(driver, '/small/data', 'small', 100 * KiB);
    const uploads = proxy.requests
      .slice(before)
      .filter((request) => request.url.startsWith('/upload/'));
    expect(uploads.map((request) => request.method)).to.deep.equal(['POST']);
    expect(uploads[0]?.url).to.contain('uploadType=multipart');
    expect(await namesUnder('/small/')).to.deep.equal(['/small/data']);
  });

  it('streams a large file through a resumable upload, a chunk at a time, and composes it', async () => {
    const before = proxy.requests.length;
    await writePatternFile(driver, '/large/data', 'large', MiB + 100);
    const seen = proxy.requests.slice(before);
    const chunks = seen.filter(
      (request) => request.method === 'PUT' && request.url.includes('upload_id='),
    );
    expect(chunks.length, 'chunks of 256 KiB and the last one').to.be.at.least(5);
    expect(seen.some((request) => request.url.includes('/compose'))).to.equal(true);
    expect(await summarize(await driver.reader('/large/data'))).to.deep.equal({
      size: MiB + 100,
      sha256: patternDigest('large', MiB + 100),
    });
    expect(await namesUnder('/large/'), 'segments and state are gone').to.deep.equal([
      '/large/data',
    ]);
  });

  it('resumes in another process without sending again what the store holds', async () => {
    const path = '/uploads/resumed/data';
    const first = MiB + 100;
    const writer = await driver.writer(path);
    for (let offset = 0; offset < first; offset += MiB) {
      await writer.write(patternBytes('resume', offset, Math.min(MiB, first - offset)));
    }
    await writer.close();
    expect(await namesUnder('/uploads/resumed/')).to.have.length(2); // a segment, the state
    const stored = proxy.requests.length;
    const more = 2 * MiB;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fixture, JSON.stringify(options), path, String(more)],
      { maxBuffer: MiB, timeout: 60_000 },
    );
    expect(stdout).to.contain(`resumed at ${String(first)}`);
    expect(stdout).to.contain(`committed ${String(first + more)}`);
    const sent = uploadedBytes(proxy.requests.slice(stored));
    // The new bytes, and multipart headers; not one byte of the first segment again.
    expect(sent - more).to.be.within(0, 8 * KiB);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: first + more,
      sha256: patternDigest('resume', first + more),
    });
    expect(await namesUnder('/uploads/resumed/')).to.deep.equal([path]);
  });

  it('appends to a committed file by composing, without sending it again', async () => {
    const path = '/appended/data';
    await writePatternFile(driver, path, 'append', MiB);
    const stored = proxy.requests.length;
    const writer = await driver.writer(path, true);
    expect(writer.size).to.equal(MiB);
    await writer.write(patternBytes('append', MiB, 300));
    await writer.commit();
    expect(uploadedBytes(proxy.requests.slice(stored)) - 300).to.be.within(0, 8 * KiB);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: MiB + 300,
      sha256: patternDigest('append', MiB + 300),
    });
  });

  it('refuses to commit an append when the file changed since the writer opened', async () => {
    const path = '/raced/data';
    await driver.putContent(path, Buffer.from('first'));
    const writer = await driver.writer(path, true);
    await writer.write(Buffer.from(' and more'));
    await driver.putContent(path, Buffer.from('rewritten meanwhile'));
    let failure: unknown;
    await writer.commit().catch((error: unknown) => {
      failure = error;
    });
    expect(failure, 'the commit must fail').to.be.instanceOf(Error);
    expect((await driver.getContent(path)).toString()).to.equal('rewritten meanwhile');
  });

  it('composes more than 32 segments in rounds', async () => {
    const path = '/many/data';
    let size = 0;
    for (let round = 0; round < 40; round += 1) {
      const writer = await driver.writer(path, round > 0);
      await writer.write(patternBytes('many', size, 1000));
      size += 1000;
      await writer.close();
    }
    const writer = await driver.writer(path, true);
    await writer.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size,
      sha256: patternDigest('many', size),
    });
    expect(await namesUnder('/many/')).to.deep.equal([path]);
  });

  it('leaves no segment and no state behind on cancel, or when the directory goes', async () => {
    const cancelled = await driver.writer('/gone/cancelled/data');
    await cancelled.write(patternBytes('gone', 0, 300 * KiB));
    await cancelled.close();
    const resumed = await driver.writer('/gone/cancelled/data', true);
    await resumed.write(patternBytes('gone', 300 * KiB, 10));
    await resumed.cancel();
    expect(await namesUnder('/gone/cancelled/')).to.deep.equal([]);

    const open = await driver.writer('/gone/open/data');
    await open.write(patternBytes('gone', 0, 300 * KiB));
    await open.close();
    await driver.putContent('/gone/open/startedat', Buffer.from('now'));
    await driver.delete('/gone');
    expect(await namesUnder('/gone/')).to.deep.equal([]);
  });

  it('reports an upload that failed for good, and a new writer starts clean', async () => {
    const impatient = createGcsDriver({ ...options, maxRetries: 0 });
    const path = '/failed/data';
    const writer = await impatient.writer(path);
    proxy.failNext(10, '503');
    let failure: unknown;
    try {
      // Enough for the resumable upload to start, and fail.
      await writer.write(patternBytes('failed', 0, 600 * KiB));
      await writer.commit();
    } catch (error) {
      failure = error;
    }
    proxy.clearFaults();
    expect(String(failure)).to.match(/503|reduce your request rate/i);
    await writePatternFile(driver, path, 'failed', 600 * KiB);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 600 * KiB,
      sha256: patternDigest('failed', 600 * KiB),
    });
  });

  it('takes a retried commit after its compose or its tidying up failed', async () => {
    const once = createGcsDriver({ ...options, maxRetries: 0 });
    // A JSON API error, as GCS gives it: the SDK reads its code and message.
    const refusal = {
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: { code: 400, message: 'refused once' } }),
    };
    const path = '/retried/data';
    const writer = await once.writer(path);
    await writer.write(patternBytes('retried', 0, 600 * KiB));
    proxy.answerOnce((method, url) => method === 'POST' && url.includes('/compose'), refusal);
    const failed = await writer.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed, 'the first commit fails').to.be.instanceOf(Error);
    await writer.commit();
    const appending = await once.writer(path, true);
    await appending.write(patternBytes('retried', 600 * KiB, 10));
    await appending.close();
    const resumed = await once.writer(path, true);
    proxy.answerOnce((method, url) => method === 'DELETE' && url.includes('partial'), refusal);
    const untidy = await resumed.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.intercept(undefined);
    expect(untidy, 'the second commit fails tidying up').to.be.instanceOf(Error);
    await resumed.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 600 * KiB + 10,
      sha256: patternDigest('retried', 600 * KiB + 10),
    });
    expect(await namesUnder('/retried/')).to.deep.equal([path]);
  });

  it('retries what the store failed to answer', async () => {
    await driver.putContent('/retried/data', Buffer.from('kept'));
    proxy.failNext(2, '503');
    expect((await driver.getContent('/retried/data')).toString()).to.equal('kept');
    proxy.failNext(1, 'reset');
    expect((await driver.stat('/retried/data')).size).to.equal(4);
  });

  it('gives up after maxRetries with the store’s answer', async () => {
    const impatient = createGcsDriver({ ...options, maxRetries: 1 });
    proxy.failNext(2, '503');
    let failure: unknown;
    await impatient.stat('/retried/data').catch((error: unknown) => {
      failure = error;
    });
    expect(String((failure as Error | undefined)?.cause ?? failure)).to.match(
      /503|reduce your request rate/i,
    );
  });
});
