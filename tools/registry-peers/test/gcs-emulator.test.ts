import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Storage } from '@google-cloud/storage';
import { expect } from 'chai';
import { startGcsEmulator, type RunningGcsEmulator } from '../src/index.js';
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

describe('startGcsEmulator', function () {
  this.timeout(30_000);
  const cleanups = cleanupStack();
  let gcs: RunningGcsEmulator;
  let storage: Storage;
  after(() => cleanups.run());

  before(async () => {
    gcs = await startGcsEmulator();
    cleanups.add(() => gcs.stop());
    storage = new Storage({
      apiEndpoint: gcs.endpoint,
      projectId: gcs.projectId,
      credentials: gcs.serviceAccount,
    });
  });

  it('runs the emulator as a child process on 127.0.0.1 in an owned temp dir', async () => {
    expect(gcs.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gcs.directory.startsWith(`${tmpdir()}/lading-gcs-${String(process.pid)}-`)).to.be.true;
    expect(await processIsGone(gcs.pid)).to.be.false;
    expect(gcs.pid).to.not.equal(process.pid);
    expect(gcs.logs()).to.include(`{"endpoint":"${gcs.endpoint}"}`);
  });

  it('creates random lading-<hex> buckets, or the named one; 409 for an existing one', async () => {
    const name = await gcs.createBucket();
    expect(name).to.match(/^lading-[0-9a-f]{12}$/);
    expect((await storage.bucket(name).exists())[0]).to.be.true;
    expect(await gcs.createBucket('lading-named')).to.equal('lading-named');
    expect(await failure(gcs.createBucket('lading-named'))).to.include('409');
    expect(await failure(gcs.createBucket('Bad.Name'))).to.include('invalid bucket name');
  });

  it('stores objects on disk for the SDK, and trusts the generated service account for signed URLs', async () => {
    const bucket = storage.bucket(await gcs.createBucket());
    await bucket.file('a/b').save('through the child', { resumable: false });
    expect((await bucket.file('a/b').download())[0].toString()).to.equal('through the child');
    expect(await readdir(`${gcs.directory}/data/data`)).to.have.length(1);
    const [url] = await bucket
      .file('a/b')
      .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 });
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('through the child');
  });

  it('stop() ends the process and removes the directory; a second stop() is harmless', async () => {
    await gcs.stop();
    expect(await processIsGone(gcs.pid)).to.be.true;
    expect(existsSync(gcs.directory)).to.be.false;
    await gcs.stop();
    expect(await failure(gcs.createBucket())).to.include('the emulator is stopped');
  });
});
