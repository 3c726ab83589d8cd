import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import { writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { pushAndPull } from './support/chunked-upload.js';
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
    // PATCHes of 100 MiB + 7: not a multiple of the part size.
    const patch = 100 * MiB + 7;
    await pushAndPull(lading.url, 'team/warm-up', 64 * MiB, patch);
    const afterSmall = await peakResidentMiB(Number(lading.child.pid));
    await pushAndPull(lading.url, 'team/big', 1024 * MiB, patch);
    const afterLarge = await peakResidentMiB(Number(lading.child.pid));
    expect(afterLarge - afterSmall, `peak RSS grew from ${afterSmall.toFixed(0)} MiB`).to.be.below(
      48,
    );
  });
});

async function peakResidentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return Number(match?.[1] ?? Number.NaN) / 1024;
}
