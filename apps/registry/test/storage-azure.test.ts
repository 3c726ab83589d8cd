import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import { inspectRaw, writeOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { expectSkopeoRoundTrip } from './support/skopeo-round-trip.js';
import { azureStorage, type AzureStorage } from './support/azure-storage.js';

const MiB = 1024 * 1024;

describe('the server on the azure driver', function () {
  this.timeout(300_000);
  let storage: AzureStorage;
  let lading: LadingProcess;
  let work: string;
  let image: WrittenImage;

  before(async () => {
    storage = await azureStorage();
    lading = await startLading({
      config: `version: 0.1\nstorage:\n  azure:\n${storage.parameters}  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n`,
    });
    work = await mkdtemp(join(tmpdir(), 'lading-azure-e2e-'));
    image = await writeOciLayout(join(work, 'image'), {
      tag: '1.0',
      layers: [
        { files: { 'etc/motd': 'on azure\n' } },
        { files: { 'opt/big': randomBytes(20 * MiB) } },
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

  it('sends blob downloads straight to the container with a SAS URL', async () => {
    const [layer] = [...image.blobs.keys()];
    const response = await fetch(`${lading.url}/v2/team/app/blobs/${String(layer)}`, {
      redirect: 'manual',
    });
    expect(response.status).to.equal(307);
    const location = String(response.headers.get('location'));
    expect(new URL(location).searchParams.get('sp')).to.equal('r');
    const direct = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(digestOf(direct)).to.equal(layer);
    const head = await fetch(location, { method: 'HEAD' });
    expect(head.headers.get('content-length')).to.equal(String(direct.length));
  });

  it('deletes a tag and its manifest through the API', async () => {
    const digest = digestOf(Buffer.from(await inspectRaw(`docker://${lading.host}/team/app:1.0`)));
    const deleted = await fetch(`${lading.url}/v2/team/app/manifests/${digest}`, {
      method: 'DELETE',
    });
    expect(deleted.status).to.equal(202);
    const gone = await fetch(`${lading.url}/v2/team/app/manifests/1.0`, { method: 'HEAD' });
    expect(gone.status).to.equal(404);
  });
});
