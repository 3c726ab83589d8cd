import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaType, digestOf } from '@lading/oci';
import { createRegistryEngine, type Repository } from '@lading/registry-engine';
import {
  buildOciImage,
  copyImage,
  inspectRaw,
  readOciLayout,
  skopeo,
  startDistribution,
  type RunningDistribution,
  type WrittenImage,
} from '@lading/registry-peers';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';
import { expect } from 'chai';

async function push(repository: Repository, image: WrittenImage, tag: string): Promise<void> {
  for (const [digest, content] of image.blobs) {
    // Chunked, as clients upload large layers.
    const { id } = await repository.uploads.start();
    const half = Math.floor(content.length / 2);
    await repository.uploads.append(id, 0, content.subarray(0, half));
    await repository.uploads.append(id, half, content.subarray(half));
    await repository.uploads.complete(id, digest);
  }
  await repository.manifests.put(tag, image.manifest, { mediaType: MediaType.ociManifest });
}

/**
 * The engine writes a tree; CNCF distribution 2.8 (Debian's docker-registry)
 * must serve it to skopeo unchanged.
 */
describe('a tree the engine wrote, served by CNCF distribution', function () {
  this.timeout(120_000);
  let work: string;
  let distribution: RunningDistribution;
  const image = buildOciImage({
    tag: '1.0',
    layers: [
      { files: { 'etc/hello': 'hi\n' } },
      { files: { 'data/big': Buffer.alloc(300_000, 7) } },
    ],
  });
  const arm = buildOciImage({
    tag: 'arm',
    architecture: 'arm64',
    layers: [{ files: { arch: 'arm64' } }],
  });
  let indexBytes: Buffer;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'lading-interop-'));
    const root = join(work, 'root');
    const engine = createRegistryEngine({
      driver: createFilesystemDriver({ rootDirectory: root }),
    });
    const demo = engine.repository('library/demo');
    await push(demo, image, '1.0');
    await demo.tags.set('latest', image.manifestDigest);
    const multi = engine.repository('team/multi/app');
    for (const [digest] of image.blobs) await multi.blobs.mount(digest, 'library/demo');
    await multi.manifests.put(image.manifestDigest, image.manifest, {
      mediaType: MediaType.ociManifest,
    });
    await push(multi, arm, arm.manifestDigest);
    indexBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          {
            mediaType: MediaType.ociManifest,
            digest: image.manifestDigest,
            size: image.manifest.length,
            platform: { architecture: 'amd64', os: 'linux' },
          },
          {
            mediaType: MediaType.ociManifest,
            digest: arm.manifestDigest,
            size: arm.manifest.length,
            platform: { architecture: 'arm64', os: 'linux' },
          },
        ],
      }),
    );
    await multi.manifests.put('v2', indexBytes, { mediaType: MediaType.ociIndex });
    distribution = await startDistribution({ rootDirectory: root });
  });

  after(async () => {
    await distribution.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('answers the catalog and tag lists', async () => {
    const catalog = (await (await fetch(`${distribution.url}/v2/_catalog`)).json()) as {
      repositories: string[];
    };
    expect(catalog.repositories).to.deep.equal(['library/demo', 'team/multi/app']);
    const tags = JSON.parse(
      (
        await skopeo([
          'list-tags',
          '--tls-verify=false',
          `docker://${distribution.host}/library/demo`,
        ])
      ).stdout,
    ) as { Tags: string[] };
    // distribution 2.8 lists tags in directory order, not sorted.
    expect([...tags.Tags].sort()).to.deep.equal(['1.0', 'latest']);
  });

  it('serves the manifest byte for byte', async () => {
    const raw = await inspectRaw(`docker://${distribution.host}/library/demo:1.0`);
    expect(Buffer.from(raw).equals(image.manifest)).to.equal(true);
    const response = await fetch(`${distribution.url}/v2/library/demo/manifests/latest`, {
      headers: { accept: MediaType.ociManifest },
    });
    expect(response.headers.get('docker-content-digest')).to.equal(image.manifestDigest);
  });

  it('lets skopeo copy the image out with every digest intact', async () => {
    const out = join(work, 'out');
    await copyImage(`docker://${distribution.host}/library/demo:1.0`, `oci:${out}:copied`);
    const copied = await readOciLayout(out, 'copied');
    expect(copied.manifestDigest).to.equal(image.manifestDigest);
    for (const [digest, content] of image.blobs) {
      const stored = await readFile(join(out, 'blobs', 'sha256', digest.slice('sha256:'.length)));
      expect(digestOf(stored)).to.equal(digest);
      expect(stored.length).to.equal(content.length);
    }
  });

  it('serves a multi-platform index, and blobs mounted across repositories', async () => {
    const out = join(work, 'multi-out');
    await copyImage(`docker://${distribution.host}/team/multi/app:v2`, `oci:${out}:v2`, {
      all: true,
    });
    const copied = await readOciLayout(out, 'v2');
    expect(copied.manifestDigest).to.equal(digestOf(indexBytes));
    const blobs = await readdir(join(out, 'blobs', 'sha256'));
    for (const digest of [...image.blobs.keys(), ...arm.blobs.keys()]) {
      expect(blobs).to.include(digest.slice('sha256:'.length));
    }
  });
});
