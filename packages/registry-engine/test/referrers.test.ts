import { MediaType, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { layout, type Repository } from '../src/index.js';
import { describeOnDrivers, pushImage } from './support.js';

async function pushArtifact(
  repository: Repository,
  subject: string,
  artifactType: string,
  annotations?: Record<string, string>,
) {
  const empty = Buffer.from('{}');
  await repository.uploads.upload(empty);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType,
      config: { mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: 2 },
      layers: [{ mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: 2 }],
      subject: { mediaType: MediaType.ociManifest, digest: subject, size: 123 },
      ...(annotations === undefined ? {} : { annotations }),
    }),
  );
  const result = await repository.manifests.put(digestOf(manifest), manifest, {
    mediaType: MediaType.ociManifest,
  });
  return { ...result, manifest };
}

describeOnDrivers('referrers', (harness) => {
  it('list the manifests that name a subject, with artifact type and annotations', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'v1' });
    const signature = await pushArtifact(repository, image.digest, 'application/vnd.example.sig', {
      by: 'ci',
    });
    const sbom = await pushArtifact(repository, image.digest, 'application/vnd.example.sbom');
    expect(signature.subject).to.equal(image.digest);
    const { index, filtersApplied } = await repository.referrers.list(image.digest);
    expect(index.mediaType).to.equal(MediaType.ociIndex);
    expect(index.schemaVersion).to.equal(2);
    expect(filtersApplied).to.deep.equal([]);
    const expected = [
      {
        mediaType: MediaType.ociManifest,
        digest: signature.digest,
        size: signature.size,
        artifactType: 'application/vnd.example.sig',
        annotations: { by: 'ci' },
      },
      {
        mediaType: MediaType.ociManifest,
        digest: sbom.digest,
        size: sbom.size,
        artifactType: 'application/vnd.example.sbom',
      },
    ].sort((a, b) => (a.digest < b.digest ? -1 : 1));
    expect(index.manifests).to.deep.equal(expected);
  });

  it('filter by artifactType, saying the filter was applied', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    await pushArtifact(repository, image.digest, 'application/vnd.example.sig');
    const sbom = await pushArtifact(repository, image.digest, 'application/vnd.example.sbom');
    const { index, filtersApplied } = await repository.referrers.list(image.digest, {
      artifactType: 'application/vnd.example.sbom',
    });
    expect(index.manifests.map((manifest) => manifest.digest)).to.deep.equal([sbom.digest]);
    expect(filtersApplied).to.deep.equal(['artifactType']);
  });

  it('list referrers of a subject that was never pushed, and none for an unknown one', async () => {
    const repository = harness().repository();
    const absent = digestOf(Buffer.from('not pushed (yet)'));
    const artifact = await pushArtifact(repository, absent, 'application/vnd.example.sig');
    expect(
      (await repository.referrers.list(absent)).index.manifests.map((manifest) => manifest.digest),
    ).to.deep.equal([artifact.digest]);
    expect(
      (await repository.referrers.list(digestOf(Buffer.from('other')))).index.manifests,
    ).to.deep.equal([]);
  });

  it('forget a referrer when it is deleted', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    const artifact = await pushArtifact(repository, image.digest, 'application/vnd.example.sig');
    await repository.manifests.delete(artifact.digest);
    expect((await repository.referrers.list(image.digest)).index.manifests).to.deep.equal([]);
  });

  it('include what clients recorded in the fallback tag', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository);
    const artifact = await pushArtifact(repository, image.digest, 'application/vnd.example.sig');
    // As if pushed before referrers were indexed: drop our index, keep the client's fallback tag.
    await driver.delete(layout.referrersPath('library/app', image.digest));
    const fallback = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { mediaType: MediaType.ociManifest, digest: artifact.digest, size: artifact.size },
        ],
      }),
    );
    await repository.manifests.put(image.digest.replace(':', '-'), fallback, {
      mediaType: MediaType.ociIndex,
    });
    expect(
      (await repository.referrers.list(image.digest)).index.manifests.map(
        (manifest) => manifest.digest,
      ),
    ).to.deep.equal([artifact.digest]);
  });

  it('rebuild the index for a tree another registry wrote', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository);
    const artifact = await pushArtifact(repository, image.digest, 'application/vnd.example.sig');
    await driver.delete('/docker/registry/v2/repositories/library/app/_referrers');
    expect((await repository.referrers.list(image.digest)).index.manifests).to.deep.equal([]);
    expect(await repository.referrers.reindex()).to.equal(1);
    expect(
      (await repository.referrers.list(image.digest)).index.manifests.map(
        (manifest) => manifest.digest,
      ),
    ).to.deep.equal([artifact.digest]);
    expect(await harness().engine.repository('empty/repo').referrers.reindex()).to.equal(0);
  });
});
