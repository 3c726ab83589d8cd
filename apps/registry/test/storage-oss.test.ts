import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import type OSS from 'ali-oss';
import { expect } from 'chai';
import { digestOfBody, pushAndPull } from './support/chunked-upload.js';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { distributionBlobPath, expectServesEveryBlobItself } from './support/second-node.js';
import { ossStorage, type OssStorage } from './support/oss-storage.js';
import { expectSkopeoRoundTrip } from './support/skopeo-round-trip.js';

const MiB = 1024 * 1024;

describe('the server on the oss driver', function () {
  this.timeout(600_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  let storage: OssStorage;
  /** Redirects blob downloads to OSS signed URLs. */
  let lading: LadingProcess;
  /** A second node on the same bucket, with `redirect: disable: true`. */
  let streaming: LadingProcess;
  let work: string;
  let image: WrittenImage;
  /** The image's 12 MiB layer: three parts of a 5 MiB `chunksize`. */
  let bigLayer: string;

  before(async () => {
    storage = await ossStorage();
    cleanups.push(() => storage.stop());
    work = await mkdtemp(join(tmpdir(), 'lading-oss-e2e-'));
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
        { files: { 'etc/motd': 'on oss\n' } },
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

  it("stores a layer whole and encrypted at distribution's object name, and leaves no writer state behind", async () => {
    const content = image.blobs.get(bigLayer);
    expect(content?.length).to.be.above(12 * MiB);
    await expectStoredWhole(storage, bigLayer, content?.length ?? 0);
    await expectNoWriterState(storage, bigLayer);
  });

  it('sends blob downloads straight to OSS with a signed URL, good for that blob and GET only', async () => {
    const location = await expectSignedRedirect(storage, lading, bigLayer, image);
    // The signature covers the object's name: the URL opens this blob and no other, not even
    // one that exists in the same bucket.
    const otherName = storage.objectName(distributionBlobPath(String(image.layerDigests[0])));
    const other = await storage.behindTheDriver.head(otherName);
    expect(other.status).to.equal(200);
    const forged = new URL(location);
    forged.pathname = `/${storage.bucket}/${otherName}`;
    const refused = await fetch(forged);
    const body = await refused.text();
    expect(refused.status, body.slice(0, 300)).to.equal(403);
    expect(body).to.contain('SignatureDoesNotMatch');
    // It covers the verb too. The registry answers a HEAD itself, with no redirect, so no
    // client is ever sent there with a HEAD.
    const head = await fetch(`${lading.url}/v2/team/app/blobs/${bigLayer}`, {
      method: 'HEAD',
      redirect: 'manual',
    });
    expect([head.status, head.headers.get('location')]).to.deep.equal([200, null]);
    expect(head.headers.get('content-length')).to.equal(String(image.blobs.get(bigLayer)?.length));
    expect((await fetch(location, { method: 'HEAD' })).status).to.equal(403);
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
    expect(downloadedFrom, 'the GET went to OSS').to.contain('OSSAccessKeyId=');
    await expectStoredWhole(storage, digest, size);
    await expectNoWriterState(storage, digest);
    const streamed = await fetch(`${streaming.url}/v2/team/chunked/blobs/${digest}`);
    expect(streamed.status).to.equal(200);
    expect(await digestOfBody(streamed)).to.deep.equal({ bytes: size, digest });
  });
});

function config(parameters: string, storageSettings = ''): string {
  return `version: 0.1\nstorage:\n  oss:\n${parameters}${storageSettings}http:\n  addr: 127.0.0.1:0\n`;
}

/**
 * A GET of the blob on `server` answers 307 with a V1 signed URL on the emulator, for the
 * blob's data object, signed with the configured AccessKey; the URL gives the blob's exact
 * bytes. Returns the URL.
 */
async function expectSignedRedirect(
  storage: OssStorage,
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
  expect(location).to.contain('OSSAccessKeyId=').and.contain('Expires=').and.contain('Signature=');
  const url = new URL(location);
  expect(url.origin).to.equal(new URL(storage.endpoint).origin);
  expect(decodeURIComponent(url.pathname)).to.equal(
    `/${storage.bucket}/${storage.objectName(distributionBlobPath(digest))}`,
  );
  expect(url.searchParams.get('OSSAccessKeyId')).to.equal(storage.emulator.accessKeyId);
  const validFor = Number(url.searchParams.get('Expires')) - Date.now() / 1000;
  // distribution's 20 minutes (ali-oss rounds the expiry to a whole second).
  expect(validFor, 'seconds the URL stays valid').to.be.within(1_140, 1_201);

  const direct = await fetch(location);
  expect(direct.status).to.equal(200);
  expect(await digestOfBody(direct)).to.deep.equal({ bytes: size, digest });
  return location;
}

/**
 * The blob's data object, read through ali-oss: one object holding exactly the blob, stored
 * with server-side encryption (SSE-OSS, `encrypt: true` without a key id), put together from
 * parts of `chunksize`.
 */
async function expectStoredWhole(storage: OssStorage, digest: string, size: number): Promise<void> {
  const name = storage.objectName(distributionBlobPath(digest));
  const head = await storage.behindTheDriver.head(name);
  const headers = head.res.headers as Record<string, string | undefined>;
  expect(Number(headers['content-length'])).to.equal(size);
  expect(headers['x-oss-server-side-encryption']).to.equal('AES256');
  // The writer sent it as a multipart upload in parts of `chunksize`, the last one shorter. The
  // move from the upload's path is a CopyObject, and the emulator's keeps the source's object
  // type and ETag, `"<MD5>-<parts>"`.
  const parts = Math.ceil(size / storage.chunksize);
  expect(parts).to.be.above(2);
  expect(headers['x-oss-object-type']).to.equal('Multipart');
  expect(headers.etag).to.match(new RegExp(`^"[0-9A-F]{32}-${String(parts)}"$`));
  const stream = (await storage.behindTheDriver.getStream(name)).stream as Readable;
  const read = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    read.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  expect({ bytes, digest: `sha256:${read.digest('hex')}` }).to.deep.equal({ bytes: size, digest });
}

/**
 * Every object under the root directory (`committed`'s data among them) is a registry file: no
 * writer's `~partial` state is left once the uploads are committed, and no multipart upload is
 * open below the root.
 */
async function expectNoWriterState(storage: OssStorage, committed: string): Promise<void> {
  const client = storage.behindTheDriver;
  const prefix = `${storage.rootdirectory}/`;
  const names: string[] = [];
  let token: string | undefined;
  do {
    const query: OSS.ListV2ObjectsQuery = {
      prefix,
      'max-keys': 1000,
      ...(token === undefined ? {} : { 'continuation-token': token }),
    };
    const page = await client.listV2(query);
    names.push(...page.objects.map((object) => object.name));
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token !== undefined);
  expect(names, 'the listing sees the committed blob').to.include(
    storage.objectName(distributionBlobPath(committed)),
  );
  expect(names.filter((name) => name.includes('~'))).to.deep.equal([]);
  const uploads = await client.listUploads({ prefix, 'max-uploads': 1000 });
  expect(uploads.uploads.map((upload) => `${upload.name} ${upload.uploadId}`)).to.deep.equal([]);
}
