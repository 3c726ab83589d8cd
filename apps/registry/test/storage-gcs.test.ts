import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import { writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { digestOfBody, pushAndPull } from './support/chunked-upload.js';
import { gcsStorage, type GcsStorage } from './support/gcs-storage.js';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { distributionBlobPath, expectServesEveryBlobItself } from './support/second-node.js';
import { expectSkopeoRoundTrip } from './support/skopeo-round-trip.js';

const MiB = 1024 * 1024;

describe('the server on the gcs driver', function () {
  this.timeout(600_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  let storage: GcsStorage;
  /** Given the service account as a `keyfile`; redirects blob downloads to V4 signed URLs. */
  let lading: LadingProcess;
  /**
   * A second node on the same bucket, given the service account inline (`credentials:`), with
   * `redirect: disable: true`.
   */
  let streaming: LadingProcess;
  let work: string;
  let image: WrittenImage;
  /** The image's 12 MiB layer: some 48 chunks of 256 KiB. */
  let bigLayer: string;

  before(async () => {
    storage = await gcsStorage();
    cleanups.push(() => storage.stop());
    work = await mkdtemp(join(tmpdir(), 'lading-gcs-e2e-'));
    cleanups.push(() => rm(work, { recursive: true, force: true }));
    lading = await startLading({ config: config(storage.parameters('keyfile')) });
    cleanups.push(() => lading.stop());
    streaming = await startLading({
      config: config(storage.parameters('credentials'), '  redirect:\n    disable: true\n'),
    });
    cleanups.push(() => streaming.stop());
    image = await writeOciLayout(join(work, 'image'), {
      tag: '1.0',
      layers: [
        { files: { 'etc/motd': 'on gcs\n' } },
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

  it("stores a layer whole at distribution's object name, and leaves no writer state behind", async () => {
    const content = image.blobs.get(bigLayer);
    expect(content?.length).to.be.above(12 * MiB);
    await expectStoredWhole(storage, bigLayer, content?.length ?? 0);
    await expectNoWriterState(storage, bigLayer);
  });

  it('sends blob downloads straight to GCS with a V4 signed URL, good for that blob only', async () => {
    const location = await expectSignedRedirect(storage, lading, bigLayer, image);
    // The signature covers the object's name: the URL opens this blob and no other, not even
    // one that exists in the same bucket.
    const otherName = storage.objectName(distributionBlobPath(String(image.layerDigests[0])));
    expect((await storage.behindTheDriver.file(otherName).exists())[0]).to.equal(true);
    const forged = new URL(location);
    forged.pathname = `/${storage.bucket}/${otherName}`;
    const refused = await fetch(forged);
    const body = await refused.text();
    expect(refused.status, body.slice(0, 300)).to.equal(403);
    expect(body).to.contain('SignatureDoesNotMatch');
  });

  it('signs with a service account given inline as credentials: as well', async () => {
    // The streaming node never signs: a node that redirects shows the inline key at work.
    const signing = await startLading({ config: config(storage.parameters('credentials')) });
    cleanups.push(() => signing.stop());
    await expectSignedRedirect(storage, signing, bigLayer, image);
  });

  it('streams blobs itself when redirects are off, as a second node on the same bucket', async () => {
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
    expect(downloadedFrom, 'the GET went to GCS').to.contain('X-Goog-Signature=');
    await expectStoredWhole(storage, digest, size);
    await expectNoWriterState(storage, digest);
    const streamed = await fetch(`${streaming.url}/v2/team/chunked/blobs/${digest}`);
    expect(streamed.status).to.equal(200);
    expect(await digestOfBody(streamed)).to.deep.equal({ bytes: size, digest });
  });
});

function config(parameters: string, storageSettings = ''): string {
  return `version: 0.1\nstorage:\n  gcs:\n${parameters}${storageSettings}http:\n  addr: 127.0.0.1:0\n`;
}

/**
 * A GET of the blob on `server` answers 307 with a V4 signed URL on the emulator, for the
 * blob's data object, signed by the service account; the URL gives the blob's exact bytes, and
 * its size to a HEAD. Returns the URL.
 */
async function expectSignedRedirect(
  storage: GcsStorage,
  server: LadingProcess,
  digest: string,
  image: WrittenImage,
): Promise<string> {
  const size = image.blobs.get(digest)?.length ?? 0;
  const response = await fetch(`${server.url}/v2/team/app/blobs/${digest}`, {
    redirect: 'manual',
  });
  expect(response.status).to.equal(307);
  const location = String(response.headers.get('location'));
  expect(location).to.contain('X-Goog-Algorithm=GOOG4-RSA-SHA256').and.contain('X-Goog-Signature=');
  const url = new URL(location);
  expect(url.origin).to.equal(new URL(storage.emulator.endpoint).origin);
  expect(decodeURIComponent(url.pathname)).to.equal(
    `/${storage.bucket}/${storage.objectName(distributionBlobPath(digest))}`,
  );
  const credential = String(url.searchParams.get('X-Goog-Credential'));
  expect(credential.split('/')[0]).to.equal(storage.emulator.serviceAccount.client_email);
  const expires = Number(url.searchParams.get('X-Goog-Expires'));
  expect(expires, 'seconds the URL stays valid').to.be.within(60, 1_200);

  const direct = await fetch(location);
  expect(direct.status).to.equal(200);
  expect(await digestOfBody(direct)).to.deep.equal({ bytes: size, digest });
  const head = await fetch(location, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).to.deep.equal([200, String(size)]);
  return location;
}

/** The blob's data object, read through the SDK: one object holding exactly the blob. */
async function expectStoredWhole(storage: GcsStorage, digest: string, size: number): Promise<void> {
  const file = storage.behindTheDriver.file(storage.objectName(distributionBlobPath(digest)));
  const [metadata] = await file.getMetadata();
  expect(Number(metadata.size)).to.equal(size);
  const [content] = await file.download();
  expect(content.length).to.equal(size);
  expect(digestOf(content)).to.equal(digest);
}

/**
 * Every object under the root directory (`committed`'s data among them) is a registry file: no
 * writer's `~partial` state or `~segments/` is left once the uploads are committed.
 */
async function expectNoWriterState(storage: GcsStorage, committed: string): Promise<void> {
  const [files] = await storage.behindTheDriver.getFiles({ prefix: `${storage.rootdirectory}/` });
  const names = files.map((file) => file.name);
  expect(names, 'the listing sees the committed blob').to.include(
    storage.objectName(distributionBlobPath(committed)),
  );
  expect(names.filter((name) => /~partial|~segments/.test(name))).to.deep.equal([]);
}
