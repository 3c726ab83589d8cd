import { expect } from 'chai';
import { isProjectsError } from '@lading/projects';
import { buildOciImage, ociMediaTypes } from '@lading/registry-peers';
import { createRegistryEngine, type RegistryEngine } from '@lading/registry-engine';
import type { StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { engineRepositories } from '../src/projects.js';

/**
 * The adapter the projects API reads images through, on a real engine: what
 * the end-to-end tests cannot reach cheaply — more tags than one page, and
 * storage failures that must come through as they are, not as "not found".
 */
describe('engineRepositories', () => {
  const image = buildOciImage({ tag: 'v0', layers: [{ files: { 'a.txt': 'a\n' } }] });

  async function push(engine: RegistryEngine, repository: string, tags: number): Promise<void> {
    const target = engine.repository(repository);
    for (const [digest, content] of image.blobs) {
      const { id } = await target.uploads.start();
      await target.uploads.complete(id, digest, { finalChunk: content });
    }
    await target.manifests.put('v0', image.manifest, { mediaType: ociMediaTypes.imageManifest });
    for (let tag = 1; tag < tags; tag += 1) {
      await target.tags.set(`v${String(tag)}`, image.manifestDigest);
    }
  }

  it('lists every tag of a repository with more than a page (1000) of them', async () => {
    const engine = createRegistryEngine({ driver: createInMemoryDriver() });
    await push(engine, 'team/app', 1001);
    const tags = await engineRepositories(engine, true).tags('team/app');
    expect(tags).to.have.length(1001);
    expect(new Set(tags.map((tag) => tag.name)).size).to.equal(1001);
    expect(tags.every((tag) => tag.digest === image.manifestDigest)).to.equal(true);
  });

  it('passes storage failures through unchanged, not as a missing repository', async () => {
    const failure = new Error('the disk is on fire');
    const driver = createInMemoryDriver();
    const engine = createRegistryEngine({ driver });
    await push(engine, 'team/app', 1);
    // The same storage, now failing every listing.
    const failing = new Proxy(driver, {
      get(target, property, receiver) {
        if (property === 'list') return () => Promise.reject(failure);
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    }) satisfies StorageDriver;
    const repositories = engineRepositories(createRegistryEngine({ driver: failing }), true);
    const caught = async (operation: Promise<unknown>) =>
      operation.then(
        () => 'no error',
        (error: unknown) => error,
      );
    expect(await caught(repositories.under('team'))).to.equal(failure);
    const listed = await caught(repositories.tags('team/app'));
    expect(listed).to.equal(failure);
    expect(isProjectsError(listed)).to.equal(false);
  });
});
