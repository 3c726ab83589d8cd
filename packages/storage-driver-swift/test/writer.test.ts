import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  startRecordingProxy,
  type RecordingProxy,
  type RunningSwift,
  type SeenRequest,
} from '@lading/registry-peers';
import type { StorageDriver } from '@lading/storage-driver';
import {
  patternBytes,
  patternDigest,
  summarize,
  waitUntil,
  writePatternFile,
} from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createSwiftDriver, type SwiftDriverOptions } from '../src/index.js';
import { rawSwift, type RawSwift } from './support/swift-raw.js';
import { localSwift } from './support/swift-target.js';

const MiB = 1024 * 1024;
const fixture = fileURLToPath(new URL('fixtures/resume-writer.ts', import.meta.url));

/** Body bytes of object PUTs (server-side copies carry none). */
function uploadedBytes(requests: readonly SeenRequest[]): number {
  return requests
    .filter((request) => request.method === 'PUT')
    .reduce((sum, request) => sum + request.bodyBytes, 0);
}

describe('swift writer and large objects, watched through a recording proxy', function () {
  let running: RunningSwift;
  let proxy: RecordingProxy;
  let options: SwiftDriverOptions;
  let driver: StorageDriver;
  let raw: RawSwift;
  let prefix: string;

  before(async () => {
    running = await localSwift();
    const container = await running.createBucket();
    proxy = await startRecordingProxy(new URL(running.swift.authUrl).origin);
    prefix = `writer-${randomBytes(4).toString('hex')}`;
    options = {
      authUrl: `${proxy.endpoint}/auth/v1.0`,
      username: running.swift.user,
      password: running.swift.key,
      container,
      prefix,
      chunkSize: MiB,
    };
    driver = await createSwiftDriver(options);
    raw = await rawSwift(running, container);
  });

  after(() => proxy.close());

  const files = (path: string) => `${prefix}/files${path}`;
  const segmentNames = () => raw.names(`${prefix}/segments/`);

  it('stores a file larger than a segment as a Static Large Object of chunk-size segments', async () => {
    await writePatternFile(driver, '/large/data', 'large', 2 * MiB + 512 * 1024);
    const head = await raw.head(files('/large/data'));
    expect(head?.get('x-static-large-object')).to.equal('True');
    expect(head?.get('content-length')).to.equal(String(2 * MiB + 512 * 1024));
    const segments = await raw.segments(files('/large/data'));
    expect(segments).to.have.length(3);
    for (const segment of segments)
      expect(segment.startsWith(`${prefix}/segments/`)).to.equal(true);
    expect(await summarize(await driver.reader('/large/data'))).to.deep.equal({
      size: 2 * MiB + 512 * 1024,
      sha256: patternDigest('large', 2 * MiB + 512 * 1024),
    });
    await driver.delete('/large');
  });

  it('stores a file smaller than a segment as one plain object, with no segments', async () => {
    const before = await segmentNames();
    await writePatternFile(driver, '/small/data', 'small', 100 * 1024);
    const head = await raw.head(files('/small/data'));
    expect(head?.get('x-static-large-object')).to.equal(null);
    expect(await segmentNames()).to.deep.equal(before);
  });

  it('resumes in another process without sending again what the store holds', async () => {
    const path = '/uploads/resumed/data';
    const first = 3 * MiB + 100;
    const writer = await driver.writer(path);
    for (let offset = 0; offset < first; offset += MiB) {
      await writer.write(patternBytes('resume', offset, Math.min(MiB, first - offset)));
    }
    await writer.close();
    const stored = proxy.requests.length;
    const more = 2 * MiB;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fixture, JSON.stringify(options), path, String(more)],
      { maxBuffer: MiB, timeout: 60_000 },
    );
    expect(stdout).to.contain(`resumed at ${String(first)}`);
    expect(stdout).to.contain(`committed ${String(first + more)}`);
    // The 100-byte tail goes out again, inside the next segment; the 3 MiB of segments do not.
    const sent = uploadedBytes(proxy.requests.slice(stored));
    expect(sent - more - 100, 'manifest JSON only').to.be.within(0, 4096);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: first + more,
      sha256: patternDigest('resume', first + more),
    });
    expect(await raw.names(files('/uploads/resumed/'))).to.deep.equal([files(path)]);
  });

  it('deletes at commit the segments a crashed writer uploaded after its last close', async () => {
    const path = '/uploads/crashed/data';
    const closed = await driver.writer(path);
    await closed.write(patternBytes('crash', 0, MiB + 1000));
    await closed.close();
    const stored = new Set(await segmentNames());
    const crashed = await driver.writer(path, true);
    await crashed.write(patternBytes('crash', MiB + 1000, 3 * MiB)); // segments 2, 3 and 4
    // …and the process dies: no close. Segment 4 may still be on its way when write()
    // returns; a dead process's upload would have ended, so wait until it has landed.
    await waitUntil(
      async () => (await segmentNames()).filter((name) => !stored.has(name)).length === 3,
    );
    // Another writer resumes from the last close.
    const resumed = await driver.writer(path, true);
    expect(resumed.size).to.equal(MiB + 1000);
    await resumed.write(patternBytes('crash', MiB + 1000, 2000));
    await resumed.commit();
    const segments = await raw.segments(files(path));
    expect(segments).to.have.length(2);
    const own = segments[0]?.replace(/\/\d+$/, '') ?? '';
    expect(await raw.names(`${own}/`)).to.deep.equal(segments);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: MiB + 3000,
      sha256: patternDigest('crash', MiB + 3000),
    });
  });

  it('cancel removes the writer’s segments and state; the committed file keeps its own', async () => {
    const path = '/uploads/cancelled/data';
    await writePatternFile(driver, path, 'cancel', 2 * MiB + 10);
    const committed = await raw.segments(files(path));
    const appending = await driver.writer(path, true);
    await appending.write(patternBytes('cancel', 2 * MiB + 10, 2 * MiB));
    await appending.close();
    const resumed = await driver.writer(path, true);
    await resumed.write(patternBytes('cancel', 4 * MiB + 10, MiB));
    await resumed.cancel();
    expect(await raw.names(files('/uploads/cancelled/'))).to.deep.equal([files(path)]);
    expect(await raw.segments(files(path))).to.deep.equal(committed);
    for (const segment of committed) expect(await raw.head(segment)).to.not.equal(undefined);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 2 * MiB + 10,
      sha256: patternDigest('cancel', 2 * MiB + 10),
    });
    await driver.delete('/uploads/cancelled');
  });

  it('appends to a large file by listing its segments again, without copying them', async () => {
    const path = '/appended/data';
    await writePatternFile(driver, path, 'append', 2 * MiB);
    const committed = await raw.segments(files(path));
    const stored = proxy.requests.length;
    const writer = await driver.writer(path, true);
    await writer.write(patternBytes('append', 2 * MiB, 300));
    await writer.commit();
    expect(uploadedBytes(proxy.requests.slice(stored)) - 300).to.be.within(0, 4096);
    const segments = await raw.segments(files(path));
    expect(segments.slice(0, 2)).to.deep.equal(committed);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 2 * MiB + 300,
      sha256: patternDigest('append', 2 * MiB + 300),
    });
  });

  it('appends to a plain object larger than a segment by a server-side copy', async () => {
    const path = '/appended-plain/data';
    await driver.putContent(path, patternBytes('plain', 0, MiB + 5));
    const stored = proxy.requests.length;
    const writer = await driver.writer(path, true);
    expect(writer.size).to.equal(MiB + 5);
    await writer.write(patternBytes('plain', MiB + 5, 7));
    await writer.commit();
    expect(uploadedBytes(proxy.requests.slice(stored)) - 7).to.be.within(0, 4096);
    expect(await driver.getContent(path)).to.deep.equal(patternBytes('plain', 0, MiB + 12));
  });

  it('frees the segments of a large file that a commit or a move replaces', async () => {
    await writePatternFile(driver, '/replaced/a', 'first', 2 * MiB + 1);
    const first = await raw.segments(files('/replaced/a'));
    await writePatternFile(driver, '/replaced/a', 'second', 2 * MiB + 2);
    const second = await raw.segments(files('/replaced/a'));
    for (const segment of first) expect(await raw.head(segment)).to.equal(undefined);

    await writePatternFile(driver, '/replaced/b', 'third', 2 * MiB + 3);
    const stored = proxy.requests.length;
    await driver.move('/replaced/b', '/replaced/a');
    expect(uploadedBytes(proxy.requests.slice(stored)), 'a move copies no bytes').to.equal(0);
    for (const segment of second) expect(await raw.head(segment)).to.equal(undefined);
    expect(await summarize(await driver.reader('/replaced/a'))).to.deep.equal({
      size: 2 * MiB + 3,
      sha256: patternDigest('third', 2 * MiB + 3),
    });
    expect(await raw.head(files('/replaced/b'))).to.equal(undefined);
  });

  it('deletes a large file’s segments with it, and those of a directory’s files and writers', async () => {
    await writePatternFile(driver, '/doomed/one', 'one', 2 * MiB);
    await writePatternFile(driver, '/doomed/deeper/two', 'two', 3 * MiB);
    const open = await driver.writer('/doomed/deeper/open');
    await open.write(patternBytes('open', 0, 2 * MiB + 9));
    await open.close();
    const doomed = [
      ...(await raw.segments(files('/doomed/one'))),
      ...(await raw.segments(files('/doomed/deeper/two'))),
    ];
    await driver.delete('/doomed/deeper/two');
    await driver.delete('/doomed');
    for (const segment of doomed) expect(await raw.head(segment)).to.equal(undefined);
    expect(await raw.names(files('/doomed/'))).to.deep.equal([]);
  });

  it('takes a retried commit after its manifest or its tidying up failed, without a byte twice', async () => {
    const once = await createSwiftDriver({ ...options, maxAttempts: 1 });
    const path = '/retried/data';
    const writer = await once.writer(path);
    await writer.write(patternBytes('retried', 0, 2 * MiB + 5));
    proxy.answerOnce((method, url) => method === 'PUT' && url.includes('multipart-manifest=put'), {
      status: 503,
      body: 'busy',
    });
    const failed = await writer.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed, 'the first commit fails').to.be.instanceOf(Error);
    await writer.commit();
    expect(await raw.segments(files(path))).to.have.length(3);

    const appending = await once.writer(path, true);
    await appending.write(patternBytes('retried', 2 * MiB + 5, 10));
    await appending.close();
    const resumed = await once.writer(path, true);
    proxy.answerOnce((method, url) => method === 'DELETE' && url.includes('~partial'), {
      status: 503,
      body: 'busy',
    });
    const untidy = await resumed.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.intercept(undefined);
    expect(untidy, 'the second commit fails tidying up').to.be.instanceOf(Error);
    await resumed.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 2 * MiB + 15,
      sha256: patternDigest('retried', 2 * MiB + 15),
    });
    expect(await raw.names(files('/retried/'))).to.deep.equal([files(path)]);
  });

  it('reads, appends to and deletes a file that distribution wrote as a Dynamic Large Object', async () => {
    const segmentsPath = `${prefix}/segments/abc/def0123`;
    const parts = [patternBytes('dlo', 0, 700_000), patternBytes('dlo', 700_000, 500_000)];
    for (const [index, part] of parts.entries()) {
      await raw.put(`${segmentsPath}/${String(index + 1).padStart(16, '0')}`, part);
    }
    const manifestHeaders = { 'x-object-manifest': `${options.container}/${segmentsPath}` };
    await raw.put(files('/dlo/data'), new Uint8Array(0), manifestHeaders);
    await raw.put(files('/dlo/other'), new Uint8Array(0), manifestHeaders);

    expect((await driver.stat('/dlo/data')).size).to.equal(1_200_000);
    expect(await driver.getContent('/dlo/data')).to.deep.equal(Buffer.concat(parts));
    const writer = await driver.writer('/dlo/other', true);
    await writer.write(patternBytes('dlo', 1_200_000, 10));
    await writer.commit();
    expect(await driver.getContent('/dlo/other')).to.deep.equal(patternBytes('dlo', 0, 1_200_010));

    await driver.delete('/dlo/data');
    expect(await raw.names(`${segmentsPath}/`)).to.deep.equal([]);
  });
});
