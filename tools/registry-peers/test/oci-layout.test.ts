import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import {
  ociMediaTypes,
  readOciLayout,
  refNameAnnotation,
  sha256Digest,
  ustarArchive,
  writeOciIndexLayout,
  writeOciLayout,
  type OciImageSpec,
} from '../src/index.js';
import { readTree, temporaryDirectory } from './helpers.js';

const execTar = promisify(execFile);

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}
interface Manifest {
  schemaVersion: number;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}
interface ImageConfig {
  architecture: string;
  os: string;
  config: object;
  rootfs: { type: string; diff_ids: string[] };
}

const longPath = `${'deep/'.repeat(30)}file.txt`;
const image: OciImageSpec = {
  tag: 'v1',
  architecture: 'arm64',
  layers: [
    { files: { 'etc/motd': 'hello from layer one\n', 'etc/os-release': 'ID=lading\n' } },
    { files: { 'usr/bin/tool': Buffer.from([0, 1, 2, 255, 254]), [longPath]: 'x'.repeat(1000) } },
  ],
};

function json(content: Buffer | undefined): unknown {
  expect(content, 'blob').to.not.equal(undefined);
  return JSON.parse(String(content));
}

describe('OCI image layouts', () => {
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    temporary = await temporaryDirectory();
  });
  afterEach(() => temporary.remove());

  it('store every blob under the sha256 of its bytes', async () => {
    const layout = join(temporary.path, 'layout');
    await writeOciLayout(layout, image);
    const files = await readTree(layout);
    const blobs = [...files].filter(([path]) => path.startsWith('blobs/'));
    expect(blobs).to.have.length(4); // two layers, config, manifest
    for (const [path, content] of blobs) {
      expect(path).to.equal(`blobs/sha256/${sha256Digest(content).slice('sha256:'.length)}`);
    }
    expect(json(files.get('oci-layout'))).to.deep.equal({ imageLayoutVersion: '1.0.0' });
    expect([...files.keys()].sort()).to.deep.equal(
      ['index.json', 'oci-layout', ...blobs.map(([path]) => path)].sort(),
    );
  });

  it('tag the manifest in index.json, whose manifest and config refer to each other', async () => {
    const layout = join(temporary.path, 'layout');
    const written = await writeOciLayout(layout, image);
    const files = await readTree(layout);
    const blob = (digest: string) => files.get(`blobs/sha256/${digest.slice('sha256:'.length)}`);

    const index = json(files.get('index.json')) as {
      schemaVersion: number;
      manifests: Descriptor[];
    };
    expect(index.schemaVersion).to.equal(2);
    expect(index.manifests).to.deep.equal([
      {
        mediaType: ociMediaTypes.imageManifest,
        digest: written.manifestDigest,
        size: written.manifest.length,
        annotations: { [refNameAnnotation]: 'v1' },
      },
    ]);
    expect(blob(written.manifestDigest)).to.deep.equal(written.manifest);
    expect(sha256Digest(written.manifest)).to.equal(written.manifestDigest);

    const manifest = json(written.manifest) as Manifest;
    expect(manifest.schemaVersion).to.equal(2);
    expect(manifest.mediaType).to.equal(ociMediaTypes.imageManifest);
    expect(manifest.config.mediaType).to.equal(ociMediaTypes.imageConfig);
    expect(manifest.config.digest).to.equal(written.configDigest);
    expect(manifest.config.size).to.equal(blob(written.configDigest)?.length);
    expect(manifest.layers.map((layer) => layer.digest)).to.deep.equal(written.layerDigests);
    for (const layer of manifest.layers) {
      expect(layer.mediaType).to.equal(ociMediaTypes.layerTarGzip);
      expect(layer.size).to.equal(blob(layer.digest)?.length);
    }
    expect([...written.blobs.keys()].sort()).to.deep.equal(
      [written.configDigest, ...written.layerDigests].sort(),
    );
    for (const [digest, content] of written.blobs) expect(blob(digest)).to.deep.equal(content);

    const config = json(blob(written.configDigest)) as ImageConfig;
    expect(config).to.deep.equal({
      architecture: 'arm64',
      os: 'linux',
      config: {},
      rootfs: {
        type: 'layers',
        diff_ids: written.layerDigests.map((digest) => {
          const compressed = blob(digest);
          expect(compressed, digest).to.not.equal(undefined);
          return sha256Digest(gunzipSync(compressed ?? Buffer.alloc(0)));
        }),
      },
    });
    expect(await readOciLayout(layout, 'v1')).to.deep.equal({
      manifestDigest: written.manifestDigest,
      manifest: written.manifest,
      mediaType: ociMediaTypes.imageManifest,
    });
  });

  it('make layers that GNU tar unpacks back to the files given', async () => {
    const layout = join(temporary.path, 'layout');
    const written = await writeOciLayout(layout, image);
    for (const [position, digest] of written.layerDigests.entries()) {
      const target = join(temporary.path, `layer-${position}`);
      await mkdir(target);
      const blobFile = join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
      await execTar('tar', ['-xzf', blobFile, '-C', target]);
      const unpacked = await readTree(target);
      const given = image.layers[position]?.files ?? {};
      expect([...unpacked.keys()].sort()).to.deep.equal(Object.keys(given).sort());
      for (const [path, content] of Object.entries(given)) {
        expect(unpacked.get(path), path).to.deep.equal(Buffer.from(content));
      }
      // Parent directories are entries of their own; everything is root's, from 1970, sorted.
      const { stdout } = await execTar('tar', ['-tvzf', blobFile]);
      const lines = stdout.trimEnd().split('\n');
      for (const line of lines)
        expect(line).to.match(/^[-d]r\S+ root\/root +\d+ 1970-01-01 00:00 /);
      const listed = lines.map((line) => line.slice(line.lastIndexOf(' ') + 1));
      expect(listed).to.deep.equal([...listed].sort());
      expect(listed.filter((path) => path.endsWith('/'))).to.not.deep.equal([]);
    }
  });

  it('build byte-identical layouts from the same spec', async () => {
    const first = await writeOciLayout(join(temporary.path, 'a'), image);
    const second = await writeOciLayout(join(temporary.path, 'b'), image);
    expect(second.manifestDigest).to.equal(first.manifestDigest);
    expect(await readTree(join(temporary.path, 'b'))).to.deep.equal(
      await readTree(join(temporary.path, 'a')),
    );
  });

  it('keep other tags and move a re-used tag', async () => {
    const layout = join(temporary.path, 'layout');
    const one = await writeOciLayout(layout, { tag: 'one', layers: [{ files: { a: '1' } }] });
    await writeOciLayout(layout, { tag: 'two', layers: [{ files: { a: '2' } }] });
    const moved = await writeOciLayout(layout, { tag: 'two', layers: [{ files: { a: '3' } }] });
    expect((await readOciLayout(layout, 'one')).manifestDigest).to.equal(one.manifestDigest);
    expect((await readOciLayout(layout, 'two')).manifestDigest).to.equal(moved.manifestDigest);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: unknown[];
    };
    expect(index.manifests).to.have.length(2);
    try {
      await readOciLayout(layout, 'three');
      expect.fail('a missing tag must throw');
    } catch (error) {
      expect(String(error)).to.include('no tag "three"').and.to.include('tags: one, two');
    }
  });

  it('write a multi-platform index whose children carry their platform', async () => {
    const layout = join(temporary.path, 'layout');
    const written = await writeOciIndexLayout(layout, {
      tag: 'multi',
      images: [
        { tag: 'ignored', architecture: 'amd64', layers: [{ files: { arch: 'amd64' } }] },
        { tag: 'ignored', architecture: 'arm64', layers: [{ files: { arch: 'arm64' } }] },
      ],
    });
    expect(sha256Digest(written.index)).to.equal(written.indexDigest);
    const index = json(written.index) as { mediaType: string; manifests: Descriptor[] };
    expect(index.mediaType).to.equal(ociMediaTypes.imageIndex);
    expect(index.manifests).to.deep.equal(
      written.images.map((child, position) => ({
        mediaType: ociMediaTypes.imageManifest,
        digest: child.manifestDigest,
        size: child.manifest.length,
        platform: { architecture: position === 0 ? 'amd64' : 'arm64', os: 'linux' },
      })),
    );
    const files = await readTree(layout);
    for (const child of written.images) {
      const hex = child.manifestDigest.slice('sha256:'.length);
      expect(files.get(`blobs/sha256/${hex}`)).to.deep.equal(child.manifest);
      for (const [digest, content] of child.blobs) {
        expect(files.get(`blobs/sha256/${digest.slice('sha256:'.length)}`)).to.deep.equal(content);
      }
    }
    expect(await readOciLayout(layout, 'multi')).to.deep.equal({
      manifestDigest: written.indexDigest,
      manifest: written.index,
      mediaType: ociMediaTypes.imageIndex,
    });
  });

  it('refuse an index with two images for one platform', async () => {
    const twice = { tag: 'x', layers: [] };
    try {
      await writeOciIndexLayout(temporary.path, { tag: 'multi', images: [twice, twice] });
      expect.fail('duplicate platforms must throw');
    } catch (error) {
      expect(String(error)).to.include('linux/amd64, linux/amd64');
    }
  });
});

describe('ustar archives', () => {
  it('end with two zero blocks and pad every entry to 512 bytes', () => {
    const archive = ustarArchive({ 'a.txt': 'abc' });
    expect(archive.length).to.equal(512 * 4); // header, content block, two end blocks
    expect(archive.subarray(257, 265).toString('latin1')).to.equal('ustar\u000000');
    expect(archive.subarray(1024).every((byte) => byte === 0)).to.equal(true);
  });

  it('refuse paths that are not relative and normalized, or too long', () => {
    for (const path of ['/etc/passwd', '../x', 'a//b', 'a/./b', 'dir/', '']) {
      expect(() => ustarArchive({ [path]: 'x' }), path).to.throw('relative and normalized');
    }
    expect(() => ustarArchive({ ['n'.repeat(101)]: 'x' })).to.throw('too long');
    expect(() => ustarArchive({ a: 'file', 'a/b': 'inside' })).to.throw('both a file');
  });
});
