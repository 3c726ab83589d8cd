import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { digestOf } from '@lading/oci';
import { writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { expectSkopeoRoundTrip } from './support/skopeo-round-trip.js';
import { s3Storage, type S3Storage } from './support/s3-storage.js';

const MiB = 1024 * 1024;

describe('the server on the s3 driver', function () {
  this.timeout(600_000);
  let storage: S3Storage;
  let lading: LadingProcess;
  let work: string;
  let image: WrittenImage;

  before(async () => {
    storage = await s3Storage();
    lading = await startLading({
      config: `version: 0.1\nstorage:\n  s3:\n${storage.parameters}  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n`,
    });
    work = await mkdtemp(join(tmpdir(), 'lading-s3-e2e-'));
    image = await writeOciLayout(join(work, 'image'), {
      tag: '1.0',
      layers: [
        { files: { 'etc/motd': 'on s3\n' } },
        { files: { 'opt/big': randomBytes(12 * MiB) } },
      ],
    });
  });

  after(async () => {
    await lading.stop();
    await storage.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('takes a skopeo push and serves a skopeo pull, every digest intact', async () => {
    await expectSkopeoRoundTrip(work, image, `${lading.host}/team/app:1.0`);
  });

  it('sends blob downloads straight to the store with a presigned URL', async () => {
    const [layer] = [...image.blobs.keys()];
    const response = await fetch(`${lading.url}/v2/team/app/blobs/${String(layer)}`, {
      redirect: 'manual',
    });
    expect(response.status).to.equal(307);
    const location = String(response.headers.get('location'));
    expect(location).to.contain('X-Amz-Signature=');
    const direct = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(digestOf(direct)).to.equal(layer);
  });

  it('streams blobs itself when redirects are off, as a second node on the same bucket', async () => {
    const second = await startLading({
      config: `version: 0.1\nstorage:\n  s3:\n${storage.parameters}  redirect:\n    disable: true\nhttp:\n  addr: 127.0.0.1:0\n`,
    });
    try {
      const [layer] = [...image.blobs.keys()];
      const response = await fetch(`${second.url}/v2/team/app/blobs/${String(layer)}`, {
        redirect: 'manual',
      });
      expect(response.status).to.equal(200);
      expect(digestOf(Buffer.from(await response.arrayBuffer()))).to.equal(layer);
    } finally {
      await second.stop();
    }
  });

  it('takes a 1 GiB layer in chunked PATCHes and gives it back whole, in as much memory as 64 MiB', async () => {
    await pushAndPull(lading.url, 'team/warm-up', 64 * MiB);
    const afterSmall = await peakResidentMiB(Number(lading.child.pid));
    await pushAndPull(lading.url, 'team/big', 1024 * MiB);
    const afterLarge = await peakResidentMiB(Number(lading.child.pid));
    expect(afterLarge - afterSmall, `peak RSS grew from ${afterSmall.toFixed(0)} MiB`).to.be.below(
      48,
    );
  });
});

/**
 * Pushes a layer of `size` bytes in PATCHes of 100 MiB + 7 (not a multiple of the part
 * size, so every PATCH ends with a tail that must survive the writer's close), then reads
 * it back through the redirect and checks every byte.
 */
async function pushAndPull(url: string, repository: string, size: number): Promise<void> {
  const patch = 100 * MiB + 7;
  const sent = createHash('sha256');
  const started = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expect(started.status).to.equal(202);
  let location = new URL(String(started.headers.get('location')), url);
  for (let offset = 0; offset < size; offset += patch) {
    const end = Math.min(size, offset + patch);
    const response = await fetch(location, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${String(offset)}-${String(end - 1)}`,
      },
      body: Readable.from(layerBytes(offset, end, sent)),
      duplex: 'half',
    });
    expect(response.status, await response.clone().text()).to.equal(202);
    expect(response.headers.get('range')).to.equal(`0-${String(end - 1)}`);
    location = new URL(String(response.headers.get('location')), url);
  }
  const digest = `sha256:${sent.digest('hex')}`;
  location.searchParams.set('digest', digest);
  const completed = await fetch(location, { method: 'PUT' });
  expect(completed.status, await completed.clone().text()).to.equal(201);

  const head = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).to.deep.equal([200, String(size)]);
  const download = await fetch(`${url}/v2/${repository}/blobs/${digest}`);
  expect(download.status).to.equal(200);
  const received = createHash('sha256');
  let bytes = 0;
  for await (const chunk of download.body as AsyncIterable<Uint8Array>) {
    received.update(chunk);
    bytes += chunk.length;
  }
  expect([bytes, `sha256:${received.digest('hex')}`]).to.deep.equal([size, digest]);
}

/** Bytes [start, end) of the layer, 1 MiB blocks each unlike the others, hashed as they go. */
function* layerBytes(
  start: number,
  end: number,
  hash: ReturnType<typeof createHash>,
): Generator<Buffer> {
  const block = Buffer.alloc(MiB);
  for (let offset = start; offset < end;) {
    const index = Math.floor(offset / MiB);
    block.fill(index % 251);
    block.writeUInt32BE(index, 0);
    const from = offset - index * MiB;
    const piece = block.subarray(from, Math.min(MiB, end - index * MiB));
    hash.update(piece);
    yield Buffer.from(piece);
    offset += piece.length;
  }
}

async function peakResidentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return Number(match?.[1] ?? Number.NaN) / 1024;
}
