import { NameInvalidError, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { DeletesDisabledError, NameUnknownError, layout } from '../src/index.js';
import { describeOnDrivers, pushImage, readAll, rejectionOf } from './support.js';

describeOnDrivers('deleteRepository', (harness) => {
  it('removes manifests, tags, blob links, uploads and referrers, but not blob data', async () => {
    const { driver, engine } = harness();
    const repository = engine.repository('group/app');
    const image = await pushImage(repository, { tag: 'v1' });
    const signature = await pushImage(repository, {
      layers: ['signature'],
      extra: {
        subject: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: image.digest,
          size: image.manifest.length,
        },
      },
    });
    await repository.uploads.start();
    await engine.deleteRepository('group/app');
    for (const path of [
      layout.manifestsPath('group/app'),
      `${layout.repositoryPath('group/app')}/_layers`,
      layout.uploadsPath('group/app'),
      `${layout.repositoryPath('group/app')}/_referrers`,
    ]) {
      expect(await rejectionOf(driver.stat(path)), path).to.have.property('code', 'PATH_NOT_FOUND');
    }
    for (const digest of [image.digest, signature.digest, image.config, ...image.layers]) {
      expect((await driver.stat(layout.blobDataPath(digest))).size, digest).to.be.greaterThan(0);
    }
    expect(await engine.catalog()).to.deep.equal({ repositories: [], truncated: false });
    expect(await rejectionOf(repository.tags.list())).to.be.instanceOf(NameUnknownError);
    expect(await repository.blobs.exists(image.layers[0]!)).to.equal(false);
    expect((await repository.referrers.list(image.digest)).index.manifests).to.deep.equal([]);
    // Pushing again starts from nothing, and finds the blob data still there.
    await pushImage(repository, { tag: 'v1' });
    expect((await repository.tags.list()).tags).to.deep.equal(['v1']);
  });

  it('leaves the repositories nested in its directory, and those beside it', async () => {
    const { engine } = harness();
    for (const name of [
      'group/app',
      'group/app/nested',
      'group/app/nested/deeper',
      'group/app-b',
    ]) {
      await pushImage(engine.repository(name), { tag: 'v1', layers: [name] });
    }
    await engine.deleteRepository('group/app');
    expect((await engine.catalog()).repositories).to.deep.equal([
      'group/app/nested',
      'group/app/nested/deeper',
      'group/app-b',
    ]);
    expect(await engine.repositoriesUnder('group/app')).to.deep.equal([
      'group/app/nested',
      'group/app/nested/deeper',
    ]);
    const nested = engine.repository('group/app/nested');
    expect((await nested.tags.list()).tags).to.deep.equal(['v1']);
    const { stream } = await nested.blobs.open(digestOf(Buffer.from('group/app/nested')));
    expect((await readAll(stream)).toString()).to.equal('group/app/nested');
    expect(await rejectionOf(engine.deleteRepository('group/app'))).to.be.instanceOf(
      NameUnknownError,
    );
  });

  it('removes a repository that has uploads or blobs but no manifest yet', async () => {
    const { driver, engine } = harness();
    await engine.repository('half/pushed').uploads.upload(Buffer.from('a layer'));
    await engine.repository('half/pushed').uploads.start();
    await engine.deleteRepository('half/pushed');
    for (const path of layout.repositoryOwnPaths('half/pushed')) {
      expect(await rejectionOf(driver.stat(path)), path).to.have.property('code', 'PATH_NOT_FOUND');
    }
    expect(await rejectionOf(engine.deleteRepository('half/pushed'))).to.be.instanceOf(
      NameUnknownError,
    );
  });

  it('answers NameUnknownError for a repository that does not exist', async () => {
    const { engine } = harness();
    await pushImage(engine.repository('group/app/nested'), { tag: 'v1' });
    for (const name of ['never/pushed', 'group', 'group/ap']) {
      const error = await rejectionOf(engine.deleteRepository(name));
      expect(error, name).to.be.instanceOf(NameUnknownError);
      expect(error.message).to.equal(`repository ${name} is not known to the registry`);
    }
    expect((await engine.catalog()).repositories).to.deep.equal(['group/app/nested']);
  });

  it('refuses a name that breaks the grammar', async () => {
    const { engine } = harness();
    for (const name of ['', 'Group/App', 'group/', 'group/_manifests']) {
      expect(await rejectionOf(engine.deleteRepository(name)), name).to.be.instanceOf(
        NameInvalidError,
      );
    }
  });

  it('refuses when deletes are disabled, and removes nothing', async () => {
    const { engine } = harness();
    await pushImage(engine.repository('group/app'), { tag: 'v1' });
    const error = await rejectionOf(
      harness().sibling({ deleteEnabled: false }).deleteRepository('group/app'),
    );
    expect(error).to.be.instanceOf(DeletesDisabledError);
    expect(error.message).to.equal(
      'cannot delete repository group/app: deletes are disabled on this registry',
    );
    expect((await engine.catalog()).repositories).to.deep.equal(['group/app']);
    expect((await engine.repository('group/app').tags.list()).tags).to.deep.equal(['v1']);
  });
});
