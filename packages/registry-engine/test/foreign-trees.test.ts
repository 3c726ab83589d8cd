import { MediaType, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { ManifestUnknownError, layout } from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf } from './support.js';

/** States another registry, a crash or a garbage collection can leave in storage. */
describeOnDrivers('trees the engine did not write', (harness) => {
  it('continue an upload distribution started, before its first chunk', async () => {
    const { driver } = harness();
    const id = '0d6c8f5e-1111-4a2b-9c3d-5e6f7a8b9c0d';
    await driver.putContent(
      layout.uploadStartedAtPath('library/app', id),
      Buffer.from('2026-11-28T10:00:00Z'),
    );
    const uploads = harness().repository().uploads;
    expect((await uploads.status(id)).startedAt.toISOString()).to.equal('2026-11-28T10:00:00.000Z');
    await uploads.append(id, 0, Buffer.from('first chunk'));
    expect((await uploads.complete(id, digestOf(Buffer.from('first chunk')))).size).to.equal(11);
  });

  it("answer ManifestUnknownError when a manifest's data was collected", async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'v1' });
    await driver.delete(layout.blobDirectory(image.digest));
    const fresh = harness().sibling().repository('library/app');
    expect(await rejectionOf(fresh.manifests.get('v1'))).to.be.instanceOf(ManifestUnknownError);
    expect(await fresh.manifests.exists(image.digest)).to.equal(false);
  });

  it('delete a stored manifest the engine cannot parse', async () => {
    const { driver } = harness();
    const garbage = Buffer.from('{"schemaVersion": 2, "this is": "not a manifest"');
    const digest = digestOf(garbage);
    await driver.putContent(layout.blobDataPath(digest), garbage);
    await driver.putContent(layout.revisionLinkPath('library/app', digest), Buffer.from(digest));
    const repository = harness().repository();
    expect((await repository.manifests.get(digest)).content.equals(garbage)).to.equal(true);
    await repository.manifests.delete(digest);
    expect(await rejectionOf(repository.manifests.get(digest))).to.be.instanceOf(
      ManifestUnknownError,
    );
  });

  it('list referrers past stale, foreign and unreadable index entries', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository);
    const other = await pushImage(repository, { layers: ['other'] });
    const garbage = Buffer.from('not json');
    await driver.putContent(layout.blobDataPath(digestOf(garbage)), garbage);
    await driver.putContent(
      layout.revisionLinkPath('library/app', digestOf(garbage)),
      Buffer.from(digestOf(garbage)),
    );
    // Index entries for: a manifest that is gone, one with another subject, one unparsable.
    const gone = digestOf(Buffer.from('gone'));
    for (const digest of [gone, other.digest, digestOf(garbage)]) {
      await driver.putContent(
        layout.referrerLinkPath('library/app', image.digest, digest),
        Buffer.from(digest),
      );
    }
    // A fallback tag that is no index.
    await repository.tags.set(image.digest.replace(':', '-'), other.digest);
    expect((await repository.referrers.list(image.digest)).index.manifests).to.deep.equal([]);
    expect(await repository.referrers.reindex()).to.equal(0);
  });

  it('serve a manifest whose body has no media type as what its shape says', async () => {
    const repository = harness().repository();
    const config = Buffer.from('{}');
    await repository.uploads.upload(config);
    const bare = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: MediaType.ociConfig, digest: digestOf(config), size: 2 },
        layers: [],
      }),
    );
    await repository.manifests.put('bare', bare, { mediaType: MediaType.ociManifest });
    expect((await repository.manifests.get('bare')).mediaType).to.equal(MediaType.ociManifest);
  });
});
