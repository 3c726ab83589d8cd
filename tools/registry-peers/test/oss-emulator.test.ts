import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import OSS from 'ali-oss';
import { expect } from 'chai';
import { startOssEmulator, type RunningOssEmulator } from '../src/index.js';
import { cleanupStack, processIsGone } from './helpers.js';

/** The message `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String(error);
  }
  return expect.fail('must be rejected');
}

describe('startOssEmulator', function () {
  this.timeout(30_000);
  const cleanups = cleanupStack();
  let oss: RunningOssEmulator;
  after(() => cleanups.run());

  before(async () => {
    oss = await startOssEmulator();
    cleanups.add(() => oss.stop());
  });

  /** ali-oss as a driver makes it: the IP endpoint, so requests go virtual-hosted. */
  const client = (bucket: string, options: Partial<OSS.Options> = {}) =>
    new OSS({
      endpoint: oss.endpoint,
      accessKeyId: oss.accessKeyId,
      accessKeySecret: oss.accessKeySecret,
      region: oss.region,
      bucket,
      ...options,
    });

  it('runs the emulator as a child process on 127.0.0.1 in an owned temp dir, with a fresh key pair', async () => {
    expect(oss.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(oss.directory.startsWith(`${tmpdir()}/lading-oss-${String(process.pid)}-`)).to.be.true;
    expect(await processIsGone(oss.pid)).to.be.false;
    expect(oss.pid).to.not.equal(process.pid);
    expect(oss.logs()).to.include(`{"endpoint":"${oss.endpoint}"}`);
    expect(oss.accessKeyId).to.match(/^LTAI[0-9a-f]{20}$/);
    expect(oss.accessKeySecret).to.have.length(30);
    expect(oss.region).to.equal('oss-cn-hangzhou');
  });

  it('creates random lading-<hex> buckets, or the named one; 409 for an existing one', async () => {
    const name = await oss.createBucket();
    expect(name).to.match(/^lading-[0-9a-f]{12}$/);
    await client(name).put('probe', Buffer.from('x'));
    expect(await oss.createBucket('lading-oss-named')).to.equal('lading-oss-named');
    const again = await failure(oss.createBucket('lading-oss-named'));
    expect(again).to.include('409').and.to.include('BucketAlreadyExists');
    expect(await failure(oss.createBucket('Bad_Name'))).to.include('invalid bucket name');
  });

  it('stores objects on disk for ali-oss, verifies its signatures, and serves its signed URLs', async () => {
    const bucket = await oss.createBucket();
    await client(bucket).put('a/b', Buffer.from('through the child'));
    const read = (await client(bucket).get('a/b')) as { content: Buffer };
    expect(read.content.toString()).to.equal('through the child');
    const dataDirectory = `${oss.directory}/data/data`;
    const stored = await Promise.all(
      (await readdir(dataDirectory)).map((file) => readFile(`${dataDirectory}/${file}`, 'utf8')),
    );
    expect(stored).to.include('through the child');
    const wrong = await failure(client(bucket, { accessKeySecret: 'not-the-secret' }).get('a/b'));
    expect(wrong).to.include('SignatureDoesNotMatch');
    // Signed URLs name the bucket in the path: localhost and sldEnable (path style).
    const port = new URL(oss.endpoint).port;
    const pathStyle = {
      endpoint: `http://localhost:${port}`,
      sldEnable: true,
    } as Partial<OSS.Options>;
    const url = client(bucket, pathStyle).signatureUrl('a/b', { expires: 60 });
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('through the child');
  });

  it('stop() ends the process and removes the directory; a second stop() is harmless', async () => {
    await oss.stop();
    expect(await processIsGone(oss.pid)).to.be.true;
    expect(existsSync(oss.directory)).to.be.false;
    await oss.stop();
    expect(await failure(oss.createBucket())).to.include('the emulator is stopped');
  });
});
