import { generateKeyPairSync } from 'node:crypto';
import { MediaType, TagInvalidError, digestOf, signSchema1 } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import {
  ManifestUnknownError,
  NameUnknownError,
  createRegistryEngine,
  layout,
  maxConfigSize,
  type Repository,
} from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf, type PushedImage } from './support.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const configCreated = (created: unknown) =>
  json({ architecture: 'amd64', os: 'linux', created, rootfs: { type: 'layers' } });

/** Pushes an OCI index of `children`, tagged `tag`. */
async function pushIndex(
  repository: Repository,
  tag: string,
  children: readonly PushedImage[],
): Promise<Buffer> {
  const index = json({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: children.map((child) => ({
      mediaType: MediaType.ociManifest,
      digest: child.digest,
      size: child.manifest.length,
    })),
  });
  await repository.manifests.put(tag, index, { mediaType: MediaType.ociIndex });
  return index;
}

/** What pushImage's image weighs: manifest, config and layers. */
async function weight(repository: Repository, image: PushedImage): Promise<number> {
  let total = image.manifest.length;
  for (const digest of [image.config, ...image.layers]) {
    total += (await repository.blobs.stat(digest)).size;
  }
  return total;
}

async function linkTime(driver: StorageDriver, repository: string, tag: string): Promise<Date> {
  return (await driver.stat(layout.tagCurrentLinkPath(repository, tag))).modTime;
}

describeOnDrivers('tag details', (harness) => {
  it("of an image: digest, media type, total size and the config's created time", async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, {
      tag: 'v1',
      config: configCreated('2021-03-04T05:06:07.123456789+01:00'),
      layers: ['first layer', 'second, longer layer'],
    });
    const details = await repository.tags.details('v1');
    expect(details).to.deep.equal({
      name: 'v1',
      digest: image.digest,
      mediaType: MediaType.ociManifest,
      size: await weight(repository, image),
      createdAt: new Date('2021-03-04T04:06:07.123Z'),
    });
    // manifest + config + 11 + 20 bytes of layers
    expect(details.size).to.equal(
      image.manifest.length + configCreated('2021-03-04T05:06:07.123456789+01:00').length + 31,
    );
  });

  it('count a layer the manifest lists twice, or that is also its config, once', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, {
      tag: 'v1',
      config: Buffer.from('same'),
      layers: ['same', 'same', 'other'],
    });
    expect((await repository.tags.details('v1')).size).to.equal(image.manifest.length + 4 + 5);
  });

  it('fall back to when the tag was last set, for a config without a usable created time', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const configs: Record<string, Buffer> = {
      'no-created': json({ architecture: 'amd64', os: 'linux' }),
      'not-json': Buffer.from('this is not JSON {'),
      'not-an-object': json(['created', '2021-01-01T00:00:00Z']),
      'not-rfc3339': configCreated('March 4, 2021'),
      'impossible-date': configCreated('2021-02-30T00:00:00Z'),
      'not-a-string': configCreated(1_614_830_767),
      empty: Buffer.alloc(0),
    };
    const started = Date.now();
    for (const [tag, config] of Object.entries(configs)) {
      await pushImage(repository, { tag, config, layers: [tag] });
    }
    for (const tag of Object.keys(configs)) {
      const { createdAt } = await repository.tags.details(tag);
      expect(createdAt, tag).to.deep.equal(await linkTime(driver, 'library/app', tag));
      // The filesystem keeps coarser times than Date.now(); allow it a second.
      expect(createdAt?.getTime(), tag).to.be.within(started - 1000, Date.now() + 1000);
    }
  });

  it('do not read a config past the size bound, even one with a created time', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const small = configCreated('2020-01-01T00:00:00Z');
    const big = json({ created: '2020-01-01T00:00:00Z', padding: 'x'.repeat(maxConfigSize) });
    const image = await pushImage(repository, { tag: 'big', config: big });
    const details = await repository.tags.details('big');
    expect(details.createdAt).to.deep.equal(await linkTime(driver, 'library/app', 'big'));
    expect(details.size).to.equal(await weight(repository, image));
    // A manifest that declares the big config small: the stored size decides.
    const lying = { mediaType: MediaType.ociConfig, digest: digestOf(big), size: small.length };
    await pushImage(repository, { tag: 'lying', config: big, extra: { config: lying } });
    expect((await repository.tags.details('lying')).createdAt).to.deep.equal(
      await linkTime(driver, 'library/app', 'lying'),
    );
    // The same time in a config within the bound is read.
    await pushImage(repository, { tag: 'small', config: small });
    expect((await repository.tags.details('small')).createdAt).to.deep.equal(
      new Date('2020-01-01T00:00:00Z'),
    );
  });

  it("of an index: its children's total, each distinct blob once, and the newest build", async () => {
    const repository = harness().repository();
    const shared = 'shared base layer';
    const amd64 = await pushImage(repository, {
      config: configCreated('2022-01-01T00:00:00Z'),
      layers: [shared, 'amd64 layer'],
    });
    const arm64 = await pushImage(repository, {
      config: configCreated('2022-06-01T00:00:00Z'),
      layers: [shared, 'arm64 layer!'],
    });
    const attestation = await pushImage(repository, {
      config: json({ architecture: 'unknown', os: 'unknown' }),
      layers: ['attestation'],
    });
    const index = await pushIndex(repository, 'multi', [amd64, arm64, attestation, amd64]);
    const details = await repository.tags.details('multi');
    expect(details.digest).to.equal(digestOf(index));
    expect(details.mediaType).to.equal(MediaType.ociIndex);
    expect(details.createdAt).to.deep.equal(new Date('2022-06-01T00:00:00Z'));
    const everything =
      index.length +
      (await weight(repository, amd64)) +
      (await weight(repository, arm64)) +
      (await weight(repository, attestation));
    expect(details.size, 'the shared layer once').to.equal(everything - shared.length);
  });

  it('of an index: children no longer in the repository count nothing', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const kept = await pushImage(repository, { config: configCreated('2022-01-01T00:00:00Z') });
    const gone = await pushImage(repository, {
      config: configCreated('2023-01-01T00:00:00Z'),
      layers: ['gone'],
    });
    const index = await pushIndex(repository, 'multi', [kept, gone]);
    await repository.manifests.delete(gone.digest);
    const details = await repository.tags.details('multi');
    expect(details.size).to.equal(index.length + (await weight(repository, kept)));
    expect(details.createdAt).to.deep.equal(new Date('2022-01-01T00:00:00Z'));
    // With no child that tells its build time, the tag's time stands in.
    await repository.manifests.delete(kept.digest);
    expect(await repository.tags.details('multi')).to.deep.equal({
      name: 'multi',
      digest: digestOf(index),
      mediaType: MediaType.ociIndex,
      size: index.length,
      createdAt: await linkTime(driver, 'library/app', 'multi'),
    });
  });

  it('of a nested index, counting what the inner index holds', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository, { config: configCreated('2022-01-01T00:00:00Z') });
    const inner = await pushIndex(repository, 'inner', [image]);
    const outer = json({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        { mediaType: MediaType.ociIndex, digest: digestOf(inner), size: inner.length },
        { mediaType: MediaType.ociManifest, digest: image.digest, size: image.manifest.length },
      ],
    });
    await repository.manifests.put('outer', outer, { mediaType: MediaType.ociIndex });
    const details = await repository.tags.details('outer');
    expect(details.size).to.equal(outer.length + inner.length + (await weight(repository, image)));
    expect(details.createdAt).to.deep.equal(new Date('2022-01-01T00:00:00Z'));
  });

  it('answer ManifestUnknownError for a missing tag or a manifest that is gone', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository, { tag: 'v1' });
    const missing = await rejectionOf(repository.tags.details('v2'));
    expect(missing).to.be.instanceOf(ManifestUnknownError);
    expect(missing.message).to.equal('manifest v2 is unknown to repository library/app');
    expect(
      await rejectionOf(harness().engine.repository('never/pushed').tags.details('v1')),
    ).to.be.instanceOf(ManifestUnknownError);
    expect(await rejectionOf(repository.tags.details('-bad'))).to.be.instanceOf(TagInvalidError);
    // The tag is there, but its manifest's data was collected.
    await driver.delete(layout.blobDirectory(image.digest));
    const collected = await rejectionOf(
      harness().sibling().repository('library/app').tags.details('v1'),
    );
    expect(collected).to.be.instanceOf(ManifestUnknownError);
    expect(collected.message).to.equal('manifest v1 is unknown to repository library/app');
  });

  it('of a manifest the engine cannot parse: its own bytes and the tag time', async () => {
    const { driver } = harness();
    const garbage = Buffer.from('{"schemaVersion": 2, "this is": "not a manifest"}');
    const digest = digestOf(garbage);
    await driver.putContent(layout.blobDataPath(digest), garbage);
    await driver.putContent(layout.revisionLinkPath('library/app', digest), Buffer.from(digest));
    const repository = harness().repository();
    await repository.tags.set('odd', digest);
    expect(await repository.tags.details('odd')).to.deep.equal({
      name: 'odd',
      digest,
      mediaType: MediaType.ociManifest,
      size: garbage.length,
      createdAt: await linkTime(driver, 'library/app', 'odd'),
    });
  });

  it('list every tag in order, paged like list, sharing the work for one manifest', async () => {
    const repository = harness().repository();
    const old = await pushImage(repository, {
      tag: 'v1',
      config: configCreated('2020-01-01T00:00:00Z'),
      layers: ['old'],
    });
    const current = await pushImage(repository, {
      tag: 'v2',
      config: configCreated('2024-01-01T00:00:00Z'),
      layers: ['current'],
    });
    await repository.tags.set('latest', current.digest);
    const all = await repository.tags.listDetails();
    expect(all.truncated).to.equal(false);
    expect(all.tags.map((tag) => tag.name)).to.deep.equal(['latest', 'v1', 'v2']);
    expect(all.tags.map((tag) => tag.digest)).to.deep.equal([
      current.digest,
      old.digest,
      current.digest,
    ]);
    for (const tag of all.tags) expect(tag).to.deep.equal(await repository.tags.details(tag.name));
    expect(all.tags.map((tag) => tag.createdAt?.getUTCFullYear())).to.deep.equal([
      2024, 2020, 2024,
    ]);
    const page = await repository.tags.listDetails({ n: 1, last: 'latest' });
    expect(page.tags.map((tag) => tag.name)).to.deep.equal(['v1']);
    expect(page.truncated).to.equal(true);
  });

  it('list past a tag that does not resolve, and refuse a repository that was never pushed', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    await pushImage(repository, { tag: 'v1' });
    // A tag directory without current/link, as a crash during a tag write can leave.
    await driver.putContent(
      layout.tagIndexLinkPath('library/app', 'broken', digestOf(Buffer.from('x'))),
      Buffer.from(digestOf(Buffer.from('x'))),
    );
    expect((await repository.tags.list()).tags).to.deep.equal(['v1']);
    expect((await repository.tags.listDetails()).tags.map((tag) => tag.name)).to.deep.equal(['v1']);
    expect(
      await rejectionOf(harness().engine.repository('never/pushed').tags.listDetails()),
    ).to.be.instanceOf(NameUnknownError);
  });
});

describeOnDrivers(
  'tag details of schema 1 manifests',
  (harness) => {
    it('count the stored layers and read the top history entry', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const repository = harness().repository();
      const layers = [Buffer.from('legacy layer'), Buffer.from('base')];
      for (const layer of layers) await repository.uploads.upload(layer);
      const signed = signSchema1(
        {
          schemaVersion: 1,
          name: 'library/app',
          tag: 'old',
          architecture: 'amd64',
          fsLayers: [layers[0], layers[1], layers[1]].map((layer) => ({
            blobSum: digestOf(layer!),
          })),
          history: [
            { v1Compatibility: JSON.stringify({ id: 'a', created: '2015-06-01T10:00:00Z' }) },
            { v1Compatibility: JSON.stringify({ id: 'b', created: '2015-01-01T10:00:00Z' }) },
            { v1Compatibility: JSON.stringify({ id: 'b', created: '2015-01-01T10:00:00Z' }) },
          ],
        },
        privateKey,
      );
      await repository.manifests.put('old', signed, { mediaType: MediaType.dockerSchema1Signed });
      expect(await repository.tags.details('old')).to.deep.equal({
        name: 'old',
        digest: digestOf(signed),
        mediaType: MediaType.dockerSchema1Signed,
        size: signed.length + 12 + 4,
        createdAt: new Date('2015-06-01T10:00:00Z'),
      });
    });
  },
  { schema1Enabled: true },
);

describe('tag details, listed', () => {
  it('read at most `concurrency` tags at once', async () => {
    const inner = createInMemoryDriver();
    let running = 0;
    let most = 0;
    const driver = new Proxy(inner, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          running += 1;
          most = Math.max(most, running);
          try {
            // A slow store, so that calls overlap when the engine lets them.
            await new Promise((resolve) => setTimeout(resolve, 1));
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            running -= 1;
          }
        };
      },
    });
    const engine = createRegistryEngine({ driver, concurrency: 3 });
    const repository = engine.repository('library/app');
    for (let index = 0; index < 12; index += 1) {
      const image = await pushImage(repository, { layers: [`layer ${String(index)}`] });
      await pushIndex(repository, `t${String(index)}`, [image]);
    }
    most = 0;
    const { tags } = await repository.tags.listDetails();
    expect(tags).to.have.length(12);
    expect(most, 'parallel at all').to.be.greaterThan(1);
    expect(most, 'within the bound').to.be.at.most(3);
  });
});
