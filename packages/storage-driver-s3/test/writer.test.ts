import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import {
  patternBytes,
  patternDigest,
  summarize,
  waitUntil,
} from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createS3Driver, type S3DriverOptions } from '../src/index.js';
import { startRecordingProxy, type RecordingProxy, type SeenRequest } from '@lading/registry-peers';
import { localSwiftTarget, type S3Target } from './support/s3-target.js';

const MiB = 1024 * 1024;
const fixture = fileURLToPath(new URL('fixtures/resume-writer.ts', import.meta.url));

/** Bytes sent in part uploads and object PUTs (not copies, which move no bytes here). */
function uploadedBytes(requests: readonly SeenRequest[]): number {
  return requests
    .filter(
      (request) => request.method === 'PUT' && request.headers['x-amz-copy-source'] === undefined,
    )
    .reduce((sum, request) => sum + request.bodyBytes, 0);
}

describe('s3 writer, watched through a recording proxy', function () {
  let target: S3Target;
  let proxy: RecordingProxy;
  let options: S3DriverOptions;
  let driver: StorageDriver;

  before(async () => {
    target = await localSwiftTarget();
    proxy = await startRecordingProxy(String(target.driverOptions().regionEndpoint));
    options = target.driverOptions({ regionEndpoint: proxy.endpoint, chunkSize: 5 * MiB });
    driver = createS3Driver(options);
  });

  after(() => proxy.close());

  async function uploadsUnder(prefix: string): Promise<string[]> {
    const result = await target.client.send(
      new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: prefix }),
    );
    return (result.Uploads ?? []).map((upload) => String(upload.Key));
  }

  async function keysUnder(prefix: string): Promise<string[]> {
    const result = await target.client.send(
      new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix }),
    );
    return (result.Contents ?? []).map((object) => String(object.Key));
  }

  const root = () => String(options.rootDirectory).slice(1);

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
      { maxBuffer: MiB, timeout: 30_000 },
    );
    expect(stdout).to.contain(`resumed at ${String(first)}`);
    expect(stdout).to.contain(`committed ${String(first + more)}`);
    const resent = uploadedBytes(proxy.requests.slice(before));
    // The 2 MiB tail goes out again, inside the next part; the 10 MiB of parts do not.
    expect(resent).to.equal(first - 10 * MiB + more);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: first + more,
      sha256: patternDigest('resume', first + more),
    });
    expect(await keysUnder(`${root()}/uploads/resumed/`)).to.deep.equal([
      `${root()}/uploads/resumed/data`,
    ]);
    expect(await uploadsUnder(`${root()}/uploads/resumed/`)).to.deep.equal([]);
  });

  it('sends a large write part by part, so at most two parts wait in memory', async () => {
    const path = '/uploads/large-write/data';
    const writer = await driver.writer(path);
    const before = proxy.requests.length;
    await writer.write(patternBytes('large', 0, 17 * MiB)); // three whole parts and 2 MiB
    const parts = proxy.requests
      .slice(before)
      .filter((request) => request.url.includes('partNumber='));
    // Parts 1 and 2 were sent before write() returned; part 3 may still be on its way.
    expect(parts.map((request) => /partNumber=(\d+)/.exec(request.url)?.[1])).to.include.members([
      '1',
      '2',
    ]);
    await writer.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 17 * MiB,
      sha256: patternDigest('large', 17 * MiB),
    });
  });

  it('leaves no multipart upload and no state behind on cancel', async () => {
    const path = '/uploads/cancelled/data';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('cancel', 0, 11 * MiB));
    await writer.close();
    expect(await uploadsUnder(`${root()}/uploads/cancelled/`)).to.have.length(1);
    const resumed = await driver.writer(path, true);
    await resumed.write(patternBytes('cancel', 11 * MiB, 6 * MiB));
    await resumed.cancel();
    expect(await uploadsUnder(`${root()}/uploads/cancelled/`)).to.deep.equal([]);
    expect(await keysUnder(`${root()}/uploads/cancelled/`)).to.deep.equal([]);
  });

  it('aborts the uploads of writers that never closed when their directory is deleted', async () => {
    const directory = '/uploads/crashed';
    await driver.putContent(`${directory}/startedat`, Buffer.from('now'));
    const abandoned = await driver.writer(`${directory}/data`);
    await abandoned.write(patternBytes('crash', 0, 6 * MiB)); // one part sent, then "the process dies"
    await driver.writer(`${directory}/nested/data`).then(async (nested) => {
      await nested.write(patternBytes('crash', 0, 5 * MiB));
    });
    await waitUntil(async () => (await uploadsUnder(`${root()}${directory}/`)).length === 2);
    await driver.delete(directory);
    expect(await uploadsUnder(`${root()}${directory}/`)).to.deep.equal([]);
    expect(await keysUnder(`${root()}${directory}/`)).to.deep.equal([]);
  });

  it('drops the state of a writer whose upload the store expired, and says there is nothing to resume', async () => {
    const path = '/uploads/expired/data';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('expired', 0, 6 * MiB));
    await writer.close();
    const [upload] =
      (
        await target.client.send(
          new ListMultipartUploadsCommand({
            Bucket: target.bucket,
            Prefix: `${root()}/uploads/expired/`,
          }),
        )
      ).Uploads ?? [];
    // What a lifecycle rule (AbortIncompleteMultipartUpload) does behind the driver's back.
    await target.client.send(
      new AbortMultipartUploadCommand({
        Bucket: target.bucket,
        Key: String(upload?.Key),
        UploadId: String(upload?.UploadId),
      }),
    );
    const failure = await driver.writer(path, true).catch((error: unknown) => error);
    expect(isStorageError(failure, 'PATH_NOT_FOUND'), String(failure)).to.equal(true);
    expect(await keysUnder(`${root()}/uploads/expired/`)).to.deep.equal([]);
  });

  it('appends to large committed content by server-side copy, not by sending it again', async () => {
    const path = '/committed/large';
    const head = patternBytes('grow', 0, 7 * MiB);
    await driver.putContent(path, head);
    const before = proxy.requests.length;
    const writer = await driver.writer(path, true);
    await writer.write(patternBytes('grow', head.length, 1000));
    await writer.commit();
    const requests = proxy.requests.slice(before);
    expect(requests.filter((request) => request.headers['x-amz-copy-source-range'])).to.have.length(
      1,
    );
    expect(uploadedBytes(requests)).to.equal(1000);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: head.length + 1000,
      sha256: patternDigest('grow', head.length + 1000),
    });
  });

  it('keeps every byte when a part upload fails for good, and resumes after it', async () => {
    const path = '/uploads/flaky/data';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('flaky', 0, 4 * MiB));
    proxy.failNext(5, '503'); // every attempt of the next request
    const failure = await writer
      .write(patternBytes('flaky', 4 * MiB, 4 * MiB))
      .then(() => writer.write(patternBytes('flaky', 8 * MiB, 4 * MiB)))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure, 'the write that waited for the failed part').to.be.instanceOf(Error);
    await writer.close();
    const resumed = await driver.writer(path, true);
    expect(resumed.size).to.equal(12 * MiB);
    await resumed.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 12 * MiB,
      sha256: patternDigest('flaky', 12 * MiB),
    });
  });
});
