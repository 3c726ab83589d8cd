import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  copyImage,
  inspectRaw,
  ociMediaTypes,
  readOciLayout,
  sha256Digest,
  startDistribution,
  writeOciIndexLayout,
  writeOciLayout,
  type RunningDistribution,
  type WrittenImage,
} from '../src/index.js';
import { readTree, temporaryDirectory } from './helpers.js';

/** Where distribution's filesystem driver keeps things under its root directory. */
function registryPath(root: string, ...parts: string[]): string {
  return join(root, 'docker', 'registry', 'v2', ...parts);
}

function blobData(root: string, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return registryPath(root, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

function hexOf(digest: string): string {
  return digest.slice('sha256:'.length);
}

/** Checks that distribution stored `image` byte for byte in `repository`. */
async function expectStored(root: string, repository: string, image: WrittenImage): Promise<void> {
  expect(await readFile(blobData(root, image.manifestDigest))).to.deep.equal(image.manifest);
  for (const [digest, content] of image.blobs) {
    expect(await readFile(blobData(root, digest)), digest).to.deep.equal(content);
    const layerLink = registryPath(root, 'repositories', repository, '_layers', 'sha256');
    expect(await readFile(join(layerLink, hexOf(digest), 'link'), 'utf8')).to.equal(digest);
  }
  const revision = registryPath(root, 'repositories', repository, '_manifests', 'revisions');
  expect(
    await readFile(join(revision, 'sha256', hexOf(image.manifestDigest), 'link'), 'utf8'),
  ).to.equal(image.manifestDigest);
}

function tagLink(root: string, repository: string, tag: string): string {
  return registryPath(
    root,
    'repositories',
    repository,
    '_manifests',
    'tags',
    tag,
    'current',
    'link',
  );
}

describe('round trips through distribution with skopeo', function () {
  this.timeout(60_000);
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  let registry: RunningDistribution;
  let root: string;

  before(async () => {
    temporary = await temporaryDirectory();
    root = join(temporary.path, 'registry-root');
    registry = await startDistribution({ rootDirectory: root });
  });
  after(async () => {
    await registry.stop();
    await temporary.remove();
  });

  it('pushes an OCI image and pulls it back with the same digest', async () => {
    const layout = join(temporary.path, 'single');
    const written = await writeOciLayout(layout, {
      tag: '1.0',
      layers: [{ files: { 'etc/motd': 'first\n' } }, { files: { 'bin/run': 'second\n' } }],
    });
    const reference = `docker://${registry.host}/library/demo:1.0`;
    await copyImage(`oci:${layout}:1.0`, reference);

    const raw = await inspectRaw(reference);
    expect(Buffer.from(raw, 'utf8')).to.deep.equal(written.manifest);
    expect(sha256Digest(Buffer.from(raw, 'utf8'))).to.equal(written.manifestDigest);

    expect(await readFile(tagLink(root, 'library/demo', '1.0'), 'utf8')).to.equal(
      written.manifestDigest,
    );
    await expectStored(root, 'library/demo', written);

    const pulled = join(temporary.path, 'single-pulled');
    await copyImage(reference, `oci:${pulled}:1.0`);
    const read = await readOciLayout(pulled, '1.0');
    expect(read.manifestDigest).to.equal(written.manifestDigest);
    expect(read.manifest).to.deep.equal(written.manifest);
    expect(read.mediaType).to.equal(ociMediaTypes.imageManifest);
    const pulledFiles = await readTree(pulled);
    for (const [digest, content] of written.blobs) {
      expect(pulledFiles.get(`blobs/sha256/${hexOf(digest)}`), digest).to.deep.equal(content);
    }
  });

  it('pushes a two-platform index with --all and pulls it back whole', async () => {
    const layout = join(temporary.path, 'multi');
    const written = await writeOciIndexLayout(layout, {
      tag: 'multi',
      images: [
        { tag: 'multi', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64\n' } }] },
        { tag: 'multi', architecture: 'arm64', layers: [{ files: { 'arch.txt': 'arm64\n' } }] },
      ],
    });
    const reference = `docker://${registry.host}/library/multi:multi`;
    await copyImage(`oci:${layout}:multi`, reference, { all: true });

    expect(Buffer.from(await inspectRaw(reference), 'utf8')).to.deep.equal(written.index);
    expect(await readFile(tagLink(root, 'library/multi', 'multi'), 'utf8')).to.equal(
      written.indexDigest,
    );
    expect(await readFile(blobData(root, written.indexDigest))).to.deep.equal(written.index);
    for (const child of written.images) {
      const byDigest = `docker://${registry.host}/library/multi@${child.manifestDigest}`;
      expect(Buffer.from(await inspectRaw(byDigest), 'utf8')).to.deep.equal(child.manifest);
      await expectStored(root, 'library/multi', child);
    }

    const pulled = join(temporary.path, 'multi-pulled');
    await copyImage(reference, `oci:${pulled}:multi`, { all: true });
    const read = await readOciLayout(pulled, 'multi');
    expect(read.manifestDigest).to.equal(written.indexDigest);
    expect(read.manifest).to.deep.equal(written.index);
    expect(read.mediaType).to.equal(ociMediaTypes.imageIndex);
    const pulledFiles = await readTree(pulled);
    for (const child of written.images) {
      expect(pulledFiles.get(`blobs/sha256/${hexOf(child.manifestDigest)}`)).to.deep.equal(
        child.manifest,
      );
      for (const [digest, content] of child.blobs) {
        expect(pulledFiles.get(`blobs/sha256/${hexOf(digest)}`), digest).to.deep.equal(content);
      }
    }
  });

  it('copies only the current platform of an index without --all', async () => {
    const layout = join(temporary.path, 'multi-partial');
    const written = await writeOciIndexLayout(layout, {
      tag: 'p',
      images: [
        { tag: 'p', architecture: 'amd64', layers: [{ files: { a: 'partial amd64' } }] },
        { tag: 'p', architecture: 'arm64', layers: [{ files: { a: 'partial arm64' } }] },
      ],
    });
    // The control for the test above: without --all skopeo picks one image, so a missing
    // flag would show up there as a changed digest.
    await copyImage(`oci:${layout}:p`, `docker://${registry.host}/library/partial:p`);
    const pushed = await readFile(tagLink(root, 'library/partial', 'p'), 'utf8');
    expect(pushed).to.not.equal(written.indexDigest);
    expect(written.images.map((image) => image.manifestDigest)).to.include(pushed);
    expect(existsSync(blobData(root, written.indexDigest))).to.equal(false);
  });
});
