import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { digestOfBody, pushAndPull } from './support/chunked-upload.js';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { distributionBlobPath, expectServesEveryBlobItself } from './support/second-node.js';
import { expectSkopeoRoundTrip } from './support/skopeo-round-trip.js';
import { swiftStorage, type SwiftStorage } from './support/swift-storage.js';

const MiB = 1024 * 1024;
/** The `chunksize` of `swiftStorage()`. */
const segmentSize = 5 * MiB;

describe('the server on the swift driver', function () {
  this.timeout(600_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  let storage: SwiftStorage;
  /** Redirects blob downloads to Swift TempURLs (the driver has a `secretkey`). */
  let lading: LadingProcess;
  /** A second node on the same container, with `redirect: disable: true`. */
  let streaming: LadingProcess;
  let work: string;
  let image: WrittenImage;
  /** The image's 12 MiB layer: more than two segments. */
  let bigLayer: string;

  before(async () => {
    storage = await swiftStorage();
    cleanups.push(() => storage.stop());
    work = await mkdtemp(join(tmpdir(), 'lading-swift-e2e-'));
    cleanups.push(() => rm(work, { recursive: true, force: true }));
    lading = await startLading({ config: config(storage.parameters()) });
    cleanups.push(() => lading.stop());
    streaming = await startLading({
      config: config(storage.parameters(), '  redirect:\n    disable: true\n'),
    });
    cleanups.push(() => streaming.stop());
    image = await writeOciLayout(join(work, 'image'), {
      tag: '1.0',
      layers: [
        { files: { 'etc/motd': 'on swift\n' } },
        { files: { 'opt/big': randomBytes(12 * MiB) } },
      ],
    });
    bigLayer = String(image.layerDigests[1]);
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('takes a skopeo push and serves a skopeo pull, every digest intact', async () => {
    await expectSkopeoRoundTrip(work, image, `${lading.host}/team/app:1.0`);
  });

  it('stores a layer larger than a segment as a Static Large Object of chunksize segments', async () => {
    const size = image.blobs.get(bigLayer)?.length ?? 0;
    expect(size).to.be.above(2 * segmentSize);
    await expectStaticLargeObject(storage, bigLayer, size);
  });

  it('sends blob downloads straight to Swift with a TempURL', async () => {
    const size = image.blobs.get(bigLayer)?.length ?? 0;
    const response = await fetch(`${lading.url}/v2/team/app/blobs/${bigLayer}`, {
      redirect: 'manual',
    });
    expect(response.status).to.equal(307);
    const location = String(response.headers.get('location'));
    expect(location).to.contain('temp_url_sig=').and.contain('temp_url_expires=');
    const url = new URL(location);
    expect(url.origin).to.equal(new URL(storage.swift.swift.authUrl).origin);
    expect(url.pathname).to.contain(`/${storage.container}/${storage.prefix}/files/`);
    const expires = Number(url.searchParams.get('temp_url_expires'));
    expect(expires - Date.now() / 1000, 'seconds the URL stays valid').to.be.within(60, 1_200);

    const direct = await fetch(location);
    expect(direct.status).to.equal(200);
    expect(await digestOfBody(direct)).to.deep.equal({ bytes: size, digest: bigLayer });
    const head = await fetch(location, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).to.deep.equal([200, String(size)]);

    // Swift checks the signature: the URL is the credential, not an open container.
    const signature = String(url.searchParams.get('temp_url_sig'));
    url.searchParams.set(
      'temp_url_sig',
      signature.replace(/.$/, (last) => (last === '0' ? '1' : '0')),
    );
    const forged = await fetch(url);
    await forged.arrayBuffer();
    expect(forged.status).to.equal(401);
  });

  it('streams blobs itself when redirects are off, as a second node on the same container', async () => {
    await expectServesEveryBlobItself(streaming, image);
  });

  it('takes a 48 MiB layer in PATCHes of 7 MiB + 3 and gives it back byte for byte', async () => {
    const size = 48 * MiB + 11;
    const { digest, downloadedFrom } = await pushAndPull(
      lading.url,
      'team/chunked',
      size,
      7 * MiB + 3,
    );
    expect(downloadedFrom, 'the GET went to Swift').to.contain('temp_url_sig=');
    await expectStaticLargeObject(storage, digest, size);
    const streamed = await fetch(`${streaming.url}/v2/team/chunked/blobs/${digest}`);
    expect(streamed.status).to.equal(200);
    expect(await digestOfBody(streamed)).to.deep.equal({ bytes: size, digest });
  });

  it('refuses to start with a wrong password, saying the Swift login failed', async () => {
    const password = `wrong-${randomBytes(6).toString('hex')}`;
    const outcome = await startLading({ config: config(storage.parameters({ password })) }).then(
      async (started) => {
        await started.stop();
        return 'started';
      },
      (error: unknown) => String(error),
    );
    expect(outcome).to.match(/lading exited with 1 before listening/);
    expect(outcome).to.contain(storage.swift.swift.authUrl).and.contain('401');
    expect(outcome).to.match(/auth/i);
    expect(outcome).to.not.contain(password);
  });
});

function config(parameters: string, storageSettings = ''): string {
  return `version: 0.1\nstorage:\n  swift:\n${parameters}${storageSettings}http:\n  addr: 127.0.0.1:0\n`;
}

/**
 * The blob's data object, looked at in Swift itself: a Static Large Object holding all
 * `size` bytes in segments no larger than `segmentSize`.
 */
async function expectStaticLargeObject(
  storage: SwiftStorage,
  digest: string,
  size: number,
): Promise<void> {
  const { url, token } = await storage.objectBehindTheDriver(distributionBlobPath(digest));
  const head = await fetch(url, { method: 'HEAD', headers: { 'x-auth-token': token } });
  expect(head.status).to.equal(200);
  expect(head.headers.get('x-static-large-object')).to.equal('True');
  expect(head.headers.get('content-length')).to.equal(String(size));
  const manifest = await fetch(`${url}?multipart-manifest=get`, {
    headers: { 'x-auth-token': token },
  });
  expect(manifest.status).to.equal(200);
  const segments = ((await manifest.json()) as { bytes: number }[]).map(({ bytes }) => bytes);
  expect(segments.length).to.be.at.least(Math.ceil(size / segmentSize));
  expect(Math.max(...segments)).to.be.at.most(segmentSize);
  expect(segments.reduce((total, bytes) => total + bytes, 0)).to.equal(size);
}
