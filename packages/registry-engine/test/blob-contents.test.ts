import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import { createRegistryEngine, layout } from '../src/index.js';
import { pushImage } from './support.js';

describe('small blob contents', () => {
  it('are read from storage once, while links are read every time', async () => {
    const reads: string[] = [];
    const driver = createInMemoryDriver({
      onOperation: ({ method, path }) => {
        if (method === 'getContent') reads.push(path);
      },
    });
    const repository = createRegistryEngine({ driver }).repository('library/app');
    const image = await pushImage(repository, { tag: 'latest' });
    reads.length = 0;
    for (let i = 0; i < 3; i += 1) {
      const manifest = await repository.manifests.get('latest');
      expect(manifest.digest).to.equal(image.digest);
    }
    const dataReads = reads.filter((path) => path === layout.blobDataPath(image.digest));
    expect(dataReads).to.have.length.at.most(1);
    expect(reads.filter((path) => path.endsWith('/link'))).to.have.length(6);
    // Unlinked here, it is unknown, whatever the cache holds.
    await driver.delete(layout.revisionLinkPath('library/app', image.digest));
    try {
      await repository.manifests.get(image.digest);
      expect.fail('the manifest should be unknown');
    } catch (error) {
      expect((error as Error).name).to.equal('ManifestUnknownError');
    }
  });
});
