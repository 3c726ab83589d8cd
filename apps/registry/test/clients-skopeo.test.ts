import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import {
  copyImage,
  inspectRaw,
  readOciLayout,
  skopeo,
  writeOciIndexLayout,
  writeOciLayout,
  type WrittenImage,
  type WrittenIndex,
} from '@lading/registry-peers';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';

describe('skopeo against the running server', function () {
  this.timeout(120_000);
  let lading: LadingProcess;
  let work: string;
  let image: WrittenImage;
  let index: WrittenIndex;

  before(async () => {
    lading = await startLading({
      config:
        'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n',
    });
    work = await mkdtemp(join(tmpdir(), 'lading-skopeo-'));
    image = await writeOciLayout(join(work, 'image'), {
      tag: '1.0',
      layers: [
        { files: { 'etc/motd': 'welcome\n' } },
        { files: { 'opt/big': Buffer.alloc(3 * 1024 * 1024, 9) } },
      ],
    });
    index = await writeOciIndexLayout(join(work, 'multi'), {
      tag: 'multi',
      images: [
        { tag: 'amd64', architecture: 'amd64', layers: [{ files: { arch: 'amd64' } }] },
        { tag: 'arm64', architecture: 'arm64', layers: [{ files: { arch: 'arm64' } }] },
      ],
    });
  });

  after(async () => {
    await lading.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('copies an image in and out, every digest intact', async () => {
    await copyImage(`oci:${join(work, 'image')}:1.0`, `docker://${lading.host}/library/demo:1.0`);
    const raw = await inspectRaw(`docker://${lading.host}/library/demo:1.0`);
    expect(digestOf(Buffer.from(raw))).to.equal(image.manifestDigest);
    await copyImage(`docker://${lading.host}/library/demo:1.0`, `oci:${join(work, 'out')}:copied`);
    const copied = await readOciLayout(join(work, 'out'), 'copied');
    expect(copied.manifestDigest).to.equal(image.manifestDigest);
    for (const digest of image.blobs.keys()) {
      const stored = await readFile(join(work, 'out', 'blobs', 'sha256', digest.slice(7)));
      expect(digestOf(stored)).to.equal(digest);
    }
  });

  it('copies a multi-platform index with --all', async () => {
    await copyImage(
      `oci:${join(work, 'multi')}:multi`,
      `docker://${lading.host}/library/multi:v1`,
      { all: true },
    );
    await copyImage(
      `docker://${lading.host}/library/multi:v1`,
      `oci:${join(work, 'multi-out')}:v1`,
      { all: true },
    );
    expect((await readOciLayout(join(work, 'multi-out'), 'v1')).manifestDigest).to.equal(
      index.indexDigest,
    );
    const blobs = await readdir(join(work, 'multi-out', 'blobs', 'sha256'));
    for (const child of index.images) expect(blobs).to.include(child.manifestDigest.slice(7));
  });

  it('inspects, lists tags and deletes', async () => {
    await copyImage(`oci:${join(work, 'image')}:1.0`, `docker://${lading.host}/library/tags:a`);
    await copyImage(`oci:${join(work, 'image')}:1.0`, `docker://${lading.host}/library/tags:b`);
    const inspected = JSON.parse(
      (await skopeo(['inspect', '--tls-verify=false', `docker://${lading.host}/library/tags:a`]))
        .stdout,
    ) as { Digest: string; RepoTags: string[]; Architecture: string };
    expect(inspected.Digest).to.equal(image.manifestDigest);
    expect(inspected.RepoTags).to.deep.equal(['a', 'b']);
    expect(inspected.Architecture).to.equal('amd64');
    const listed = JSON.parse(
      (await skopeo(['list-tags', '--tls-verify=false', `docker://${lading.host}/library/tags`]))
        .stdout,
    ) as { Tags: string[] };
    expect(listed.Tags).to.deep.equal(['a', 'b']);
    await skopeo(['delete', '--tls-verify=false', `docker://${lading.host}/library/tags:a`]);
    // skopeo deletes by digest, which takes every tag pointing at the manifest.
    const after = await fetch(`${lading.url}/v2/library/tags/tags/list`);
    expect(((await after.json()) as { tags: string[] }).tags).to.deep.equal([]);
  });
});
