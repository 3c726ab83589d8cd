import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaType, digestOf, parseManifest } from '@lading/oci';
import { createRegistryEngine, type RegistryEngine } from '@lading/registry-engine';
import {
  copyImage,
  skopeo,
  startDistribution,
  writeOciIndexLayout,
  writeOciLayout,
  type WrittenImage,
  type WrittenIndex,
} from '@lading/registry-peers';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';
import { expect } from 'chai';
import { readAll } from './read-all.js';

/**
 * CNCF distribution 2.8 (Debian's docker-registry) stores images pushed by
 * skopeo; the engine, on the same directory, must serve them unchanged.
 */
describe('a tree CNCF distribution wrote, read by the engine', function () {
  this.timeout(120_000);
  let work: string;
  let image: WrittenImage;
  let index: WrittenIndex;
  let dockerManifest: Buffer;
  let engine: RegistryEngine;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'lading-interop-'));
    const layout = join(work, 'layout');
    image = await writeOciLayout(layout, {
      tag: '1.0',
      layers: [{ files: { 'etc/hello': 'hello\n' } }, { files: { 'usr/bin/tool': 'binary' } }],
    });
    index = await writeOciIndexLayout(join(work, 'multi'), {
      tag: 'multi',
      images: [
        { tag: 'amd64', architecture: 'amd64', layers: [{ files: { arch: 'amd64' } }] },
        { tag: 'arm64', architecture: 'arm64', layers: [{ files: { arch: 'arm64' } }] },
      ],
    });
    const distribution = await startDistribution({ rootDirectory: join(work, 'root') });
    try {
      await copyImage(`oci:${layout}:1.0`, `docker://${distribution.host}/library/demo:1.0`);
      await copyImage(`oci:${layout}:1.0`, `docker://${distribution.host}/library/demo:latest`);
      await copyImage(
        `oci:${join(work, 'multi')}:multi`,
        `docker://${distribution.host}/team/multi/app:v2`,
        { all: true },
      );
      // A Docker schema 2 manifest too: skopeo converts the OCI one.
      await skopeo([
        'copy',
        '--format',
        'v2s2',
        '--dest-tls-verify=false',
        `oci:${layout}:1.0`,
        `docker://${distribution.host}/library/docker:1.0`,
      ]);
      dockerManifest = Buffer.from(
        (
          await skopeo([
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${distribution.host}/library/docker:1.0`,
          ])
        ).stdout,
      );
    } finally {
      await distribution.stop();
    }
    engine = createRegistryEngine({
      driver: createFilesystemDriver({ rootDirectory: join(work, 'root') }),
    });
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('lists its repositories and tags', async () => {
    expect((await engine.catalog()).repositories).to.deep.equal([
      'library/demo',
      'library/docker',
      'team/multi/app',
    ]);
    expect((await engine.repository('library/demo').tags.list()).tags).to.deep.equal([
      '1.0',
      'latest',
    ]);
  });

  it('serves its manifests byte for byte, by tag and by digest', async () => {
    const repository = engine.repository('library/demo');
    const byTag = await repository.manifests.get('1.0');
    expect(byTag.content.equals(image.manifest)).to.equal(true);
    expect(byTag.digest).to.equal(image.manifestDigest);
    expect(byTag.mediaType).to.equal(MediaType.ociManifest);
    expect(
      (await repository.manifests.get(image.manifestDigest)).content.equals(image.manifest),
    ).to.equal(true);
    const docker = await engine.repository('library/docker').manifests.get('1.0');
    expect(docker.content.equals(dockerManifest)).to.equal(true);
    expect(docker.mediaType).to.equal(MediaType.dockerManifest);
  });

  it('serves every blob with the digest it was pushed under', async () => {
    const repository = engine.repository('library/demo');
    for (const [digest, content] of image.blobs) {
      const { stream, descriptor } = await repository.blobs.open(digest);
      expect(descriptor.size).to.equal(content.length);
      expect(digestOf(await readAll(stream))).to.equal(digest);
    }
  });

  it('serves a multi-platform index and each of its images', async () => {
    const repository = engine.repository('team/multi/app');
    const stored = await repository.manifests.get('v2');
    expect(stored.digest).to.equal(index.indexDigest);
    const parsed = parseManifest(stored.content);
    expect(parsed.kind).to.equal('index');
    for (const child of index.images) {
      expect(
        (await repository.manifests.get(child.manifestDigest)).content.equals(child.manifest),
      ).to.equal(true);
      for (const digest of child.layerDigests)
        expect(await repository.blobs.exists(digest)).to.equal(true);
    }
  });

  it('takes new pushes into the same tree', async () => {
    const repository = engine.repository('library/demo');
    await repository.tags.set('copied', image.manifestDigest);
    const mounted = await engine
      .repository('library/other')
      .blobs.mount(image.configDigest, 'library/demo');
    expect(mounted.digest).to.equal(image.configDigest);
    expect((await repository.tags.list()).tags).to.deep.equal(['1.0', 'copied', 'latest']);
  });
});
