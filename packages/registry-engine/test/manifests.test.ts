import { generateKeyPairSync } from 'node:crypto';
import {
  DigestInvalidError,
  ManifestInvalidError,
  ManifestUnverifiedError,
  MediaType,
  NameInvalidError,
  TagInvalidError,
  digestOf,
  signSchema1,
} from '@lading/oci';
import { expect } from 'chai';
import {
  DeletesDisabledError,
  DigestMismatchError,
  ManifestBlobUnknownError,
  ManifestRefusedError,
  ManifestTooLargeError,
  ManifestUnknownError,
  layout,
} from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf } from './support.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describeOnDrivers('manifests', (harness) => {
  it('store the exact bytes under the digest of those bytes, by tag', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'latest' });
    const fetched = await repository.manifests.get('latest');
    expect(fetched.content.equals(image.manifest)).to.equal(true);
    expect(fetched.digest).to.equal(image.digest);
    expect(fetched.mediaType).to.equal(MediaType.ociManifest);
    expect((await repository.manifests.get(image.digest)).size).to.equal(image.manifest.length);
    expect(
      (await driver.getContent(layout.blobDataPath(image.digest))).equals(image.manifest),
    ).to.equal(true);
    expect(
      (await driver.getContent(layout.revisionLinkPath('library/app', image.digest))).toString(),
    ).to.equal(image.digest);
    expect(
      (await driver.getContent(layout.tagCurrentLinkPath('library/app', 'latest'))).toString(),
    ).to.equal(image.digest);
    expect(
      (
        await driver.getContent(layout.tagIndexLinkPath('library/app', 'latest', image.digest))
      ).toString(),
    ).to.equal(image.digest);
    expect(await repository.manifests.stat('latest')).to.deep.equal({
      digest: image.digest,
      mediaType: MediaType.ociManifest,
      size: image.manifest.length,
    });
  });

  it('keep whitespace and key order byte for byte', async () => {
    const repository = harness().repository();
    const config = Buffer.from('{}');
    await repository.uploads.upload(config);
    const pretty = Buffer.from(
      `{\n  "schemaVersion": 2,\n  "layers": [],\n  "config": {"size": 2, "digest": "${digestOf(config)}", "mediaType": "${MediaType.ociConfig}"}\n}\n`,
    );
    const { digest } = await repository.manifests.put('pretty', pretty);
    expect(digest).to.equal(digestOf(pretty));
    expect((await repository.manifests.get('pretty')).content.equals(pretty)).to.equal(true);
  });

  it('accept Docker manifests, manifest lists, OCI indexes and artifacts', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    const docker = json({
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, digest: image.config, size: 58 },
      layers: image.layers.map((digest) => ({ mediaType: MediaType.dockerLayer, digest, size: 9 })),
    });
    const dockerDigest = (
      await repository.manifests.put('docker', docker, { mediaType: MediaType.dockerManifest })
    ).digest;
    const children = [
      {
        mediaType: MediaType.ociManifest,
        digest: image.digest,
        size: image.manifest.length,
        platform: { architecture: 'amd64', os: 'linux' },
      },
      {
        mediaType: MediaType.dockerManifest,
        digest: dockerDigest,
        size: docker.length,
        platform: { architecture: 'arm64', os: 'linux' },
      },
    ];
    const list = json({
      schemaVersion: 2,
      mediaType: MediaType.dockerManifestList,
      manifests: children,
    });
    await repository.manifests.put('list', list, { mediaType: MediaType.dockerManifestList });
    const index = json({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: children });
    await repository.manifests.put('index', index, { mediaType: MediaType.ociIndex });
    const empty = Buffer.from('{}');
    await repository.uploads.upload(empty);
    const artifact = json({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.example.signature',
      config: { mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: 2 },
      layers: [{ mediaType: 'application/vnd.example.sig.v1', digest: image.layers[0], size: 9 }],
    });
    await repository.manifests.put('artifact', artifact, { mediaType: MediaType.ociManifest });
    expect((await repository.manifests.get('docker')).mediaType).to.equal(MediaType.dockerManifest);
    expect((await repository.manifests.get('list')).mediaType).to.equal(
      MediaType.dockerManifestList,
    );
    expect((await repository.manifests.get('index')).mediaType).to.equal(MediaType.ociIndex);
    expect((await repository.manifests.get('artifact')).content.equals(artifact)).to.equal(true);
  });

  it('require every config, layer and child to be in the repository, naming the missing', async () => {
    const { engine } = harness();
    const image = await pushImage(engine.repository('team/source'));
    const other = engine.repository('team/other');
    const error = await rejectionOf(
      other.manifests.put('latest', image.manifest, { mediaType: MediaType.ociManifest }),
    );
    expect(error).to.be.instanceOf(ManifestBlobUnknownError);
    expect([...(error as ManifestBlobUnknownError).digests].sort()).to.deep.equal(
      [image.config, ...image.layers].sort(),
    );
    const index = json({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        { mediaType: MediaType.ociManifest, digest: image.digest, size: image.manifest.length },
      ],
    });
    const missingChild = await rejectionOf(other.manifests.put('index', index));
    expect((missingChild as ManifestBlobUnknownError).digests).to.deep.equal([image.digest]);
    expect(await rejectionOf(other.manifests.get('latest'))).to.be.instanceOf(ManifestUnknownError);
  });

  it('accept foreign layers with URLs without the blob, as policy allows', async () => {
    const { engine } = harness();
    const repository = engine.repository('library/windows');
    const config = Buffer.from('{"os":"windows"}');
    await repository.uploads.upload(config);
    const manifest = (url: string) =>
      json({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: {
          mediaType: MediaType.dockerConfig,
          digest: digestOf(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: MediaType.dockerForeignLayer,
            digest: digestOf(Buffer.from(url)),
            size: 100,
            urls: [url],
          },
        ],
      });
    await repository.manifests.put('ok', manifest('https://mcr.microsoft.com/layer'));
    for (const [url, reason] of [
      ['ftp://example.com/layer', /only http and https/],
      ['https://example.com/layer#x', /fragment/],
      ['not a url', /not an absolute URL/],
    ] as const) {
      const error = await rejectionOf(repository.manifests.put('bad', manifest(url)));
      expect(error, url).to.be.instanceOf(ManifestRefusedError);
      expect(error.message).to.match(reason);
    }
    const strict = harness().sibling({
      foreignLayers: { allow: [/^https:\/\/mcr\.microsoft\.com\//], deny: [/\/blocked$/] },
    });
    const strictRepository = strict.repository('library/windows');
    await strictRepository.manifests.put('allowed', manifest('https://mcr.microsoft.com/layer'));
    expect(
      (
        await rejectionOf(
          strictRepository.manifests.put('x', manifest('https://other.example/layer')),
        )
      ).message,
    ).to.match(/no allowed pattern/);
    expect(
      (
        await rejectionOf(
          strictRepository.manifests.put('x', manifest('https://mcr.microsoft.com/blocked')),
        )
      ).message,
    ).to.match(/denied pattern/);
  });

  it('check a digest reference against the bytes', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    const wrong = digestOf(Buffer.from('other'));
    const error = await rejectionOf(repository.manifests.put(wrong, image.manifest));
    expect(error).to.be.instanceOf(DigestMismatchError);
    expect((error as DigestMismatchError).actual).to.equal(image.digest);
    const sha512 = digestOf(image.manifest, 'sha512');
    expect((await repository.manifests.put(sha512, image.manifest)).digest).to.equal(image.digest);
    expect((await repository.manifests.get(sha512)).digest).to.equal(image.digest);
  });

  it('refuse bad references, bad manifests and oversized ones', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    expect(await rejectionOf(repository.manifests.put('bad/tag', image.manifest))).to.be.instanceOf(
      TagInvalidError,
    );
    expect(await rejectionOf(repository.manifests.get('sha256:123'))).to.be.instanceOf(
      DigestInvalidError,
    );
    expect(await rejectionOf(repository.manifests.put('x', Buffer.from('{')))).to.be.instanceOf(
      ManifestInvalidError,
    );
    const mismatch = await rejectionOf(
      repository.manifests.put('x', image.manifest, { mediaType: MediaType.dockerManifest }),
    );
    expect(mismatch).to.be.instanceOf(ManifestInvalidError);
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 32);
    const error = await rejectionOf(repository.manifests.put('huge', huge));
    expect(error).to.be.instanceOf(ManifestTooLargeError);
    expect((error as ManifestTooLargeError).code).to.equal('MANIFEST_INVALID');
    const small = harness().sibling({ maxManifestSize: 100 }).repository('library/app');
    expect(await rejectionOf(small.manifests.put('x', image.manifest))).to.be.instanceOf(
      ManifestTooLargeError,
    );
    expect(() => harness().engine.repository('UPPER')).to.throw(NameInvalidError);
  });

  it('answer unknown tags and digests with ManifestUnknownError', async () => {
    const repository = harness().repository();
    await pushImage(repository, { tag: 'v1' });
    for (const reference of ['v2', digestOf(Buffer.from('nothing'))]) {
      const error = await rejectionOf(repository.manifests.get(reference));
      expect(error, reference).to.be.instanceOf(ManifestUnknownError);
      expect(error.message).to.equal(`manifest ${reference} is unknown to repository library/app`);
    }
  });

  it('delete by digest, with every tag that points at it', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'v1' });
    await repository.tags.set('stable', image.digest);
    const other = await pushImage(repository, { tag: 'v2', layers: ['other'] });
    await repository.manifests.delete(image.digest);
    expect(await rejectionOf(repository.manifests.get(image.digest))).to.be.instanceOf(
      ManifestUnknownError,
    );
    expect((await repository.tags.list()).tags).to.deep.equal(['v2']);
    expect((await repository.manifests.get('v2')).digest).to.equal(other.digest);
    expect(await repository.blobs.exists(image.layers[0] ?? '')).to.equal(true);
    expect(await rejectionOf(repository.manifests.delete(image.digest))).to.be.instanceOf(
      ManifestUnknownError,
    );
  });

  it('delete by tag: the tag only', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'v1' });
    await repository.manifests.delete('v1');
    expect(await rejectionOf(repository.manifests.get('v1'))).to.be.instanceOf(
      ManifestUnknownError,
    );
    expect((await repository.manifests.get(image.digest)).digest).to.equal(image.digest);
    expect(await rejectionOf(repository.manifests.delete('v1'))).to.be.instanceOf(
      ManifestUnknownError,
    );
  });
});

describeOnDrivers(
  'manifests with the defaults',
  (harness) => {
    it('refuse deletes', async () => {
      const repository = harness().repository();
      const image = await pushImage(repository, { tag: 'v1' });
      for (const reference of ['v1', image.digest]) {
        expect(await rejectionOf(repository.manifests.delete(reference))).to.be.instanceOf(
          DeletesDisabledError,
        );
      }
      expect((await repository.manifests.get('v1')).digest).to.equal(image.digest);
    });

    it('refuse schema 1 manifests, saying how to enable them', async () => {
      const repository = harness().repository();
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const layer = Buffer.from('legacy layer');
      await repository.uploads.upload(layer);
      const signed = signSchema1(
        {
          schemaVersion: 1,
          name: 'library/app',
          tag: 'old',
          architecture: 'amd64',
          fsLayers: [{ blobSum: digestOf(layer) }],
          history: [{ v1Compatibility: '{}' }],
        },
        privateKey,
      );
      const error = await rejectionOf(
        repository.manifests.put('old', signed, { mediaType: MediaType.dockerSchema1Signed }),
      );
      expect(error).to.be.instanceOf(ManifestRefusedError);
      expect(error.message).to.contain('compatibility.schema1.enabled');
    });
  },
  {},
);

describeOnDrivers(
  'schema 1 manifests when enabled',
  (harness) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const layer = Buffer.from('legacy layer');
    const manifest = {
      schemaVersion: 1 as const,
      name: 'library/app',
      tag: 'old',
      architecture: 'amd64',
      fsLayers: [{ blobSum: digestOf(layer) }],
      history: [{ v1Compatibility: '{}' }],
    };

    it('are accepted when signed and their layers are present', async () => {
      const repository = harness().repository();
      const signed = signSchema1(manifest, privateKey);
      expect(await rejectionOf(repository.manifests.put('old', signed))).to.be.instanceOf(
        ManifestBlobUnknownError,
      );
      await repository.uploads.upload(layer);
      const { digest } = await repository.manifests.put('old', signed, {
        mediaType: MediaType.dockerSchema1Signed,
      });
      expect(digest).to.equal(digestOf(signed));
      const fetched = await repository.manifests.get('old');
      expect(fetched.mediaType).to.equal(MediaType.dockerSchema1Signed);
      expect(fetched.content.equals(signed)).to.equal(true);
    });

    it('are refused unsigned, tampered with, or with a bad embedded name or tag', async () => {
      const repository = harness().repository();
      await repository.uploads.upload(layer);
      const unsigned = json(manifest);
      expect((await rejectionOf(repository.manifests.put('old', unsigned))).message).to.contain(
        'must be signed',
      );
      const tampered = Buffer.from(
        signSchema1(manifest, privateKey).toString().replace('"amd64"', '"arm64"'),
      );
      expect(await rejectionOf(repository.manifests.put('old', tampered))).to.be.instanceOf(
        ManifestUnverifiedError,
      );
      const badName = signSchema1({ ...manifest, name: 'Bad Name' }, privateKey);
      expect(await rejectionOf(repository.manifests.put('old', badName))).to.be.instanceOf(
        NameInvalidError,
      );
      const badTag = signSchema1({ ...manifest, tag: '-bad' }, privateKey);
      expect(await rejectionOf(repository.manifests.put('old', badTag))).to.be.instanceOf(
        TagInvalidError,
      );
    });
  },
  { schema1Enabled: true },
);
