import { randomBytes } from 'node:crypto';
import { MediaType, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { BlobUnknownError, isEngineError, layout } from '../src/index.js';
import { describeOnDrivers, readAll } from './support.js';

describeOnDrivers('concurrency', (harness) => {
  it('concurrent uploads of one blob, from several engines, end in one intact blob', async () => {
    const { driver } = harness();
    const content = randomBytes(300_000);
    const digest = digestOf(content);
    const uploads = Array.from({ length: 8 }, async (_, index) => {
      const uploads = harness().sibling().repository('library/app').uploads;
      const { id } = await uploads.start();
      await uploads.append(id, 0, content.subarray(0, 100_000 + index));
      await uploads.append(id, 100_000 + index, content.subarray(100_000 + index));
      return uploads.complete(id, digest);
    });
    const results = await Promise.all(uploads);
    expect(results.every((result) => result.digest === digest)).to.equal(true);
    const stored = await readAll((await harness().repository().blobs.open(digest)).stream);
    expect(digestOf(stored)).to.equal(digest);
    expect(await driver.list(`${layout.blobsPath}/sha256/${digest.slice(7, 9)}`)).to.deep.equal([
      layout.blobDirectory(digest),
    ]);
  });

  it('a reader during a commit sees nothing or the whole blob, never part of it', async () => {
    const content = randomBytes(2 * 1024 * 1024);
    const digest = digestOf(content);
    const repository = harness().repository();
    const state = { done: false };
    let reads = 0;
    const reader = (async () => {
      while (!state.done) {
        reads += 1;
        try {
          const data = await readAll((await repository.blobs.open(digest)).stream);
          expect(digestOf(data)).to.equal(digest);
        } catch (error) {
          if (!(error instanceof BlobUnknownError)) throw error;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Uploads one after another, yielding between them, so the reader runs around every commit.
    for (let upload = 0; upload < 4; upload += 1) {
      await harness().sibling().repository('library/app').uploads.upload(content);
      await new Promise((resolve) => setImmediate(resolve));
    }
    state.done = true;
    await reader;
    expect(reads, 'the reader ran around the commits').to.be.at.least(4);
    expect(digestOf(await readAll((await repository.blobs.open(digest)).stream))).to.equal(digest);
  });

  it('concurrent pushes to one tag leave it pointing at one complete manifest, at every moment', async () => {
    const repository = harness().repository();
    const config = Buffer.from('{}');
    await repository.uploads.upload(config);
    const manifests = Array.from({ length: 12 }, (_, index) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          config: { mediaType: MediaType.ociConfig, digest: digestOf(config), size: 2 },
          layers: [],
          annotations: { version: String(index), padding: 'x'.repeat(index * 1000) },
        }),
      ),
    );
    const digests = new Set(manifests.map((manifest) => digestOf(manifest)));
    const state = { pushing: true };
    const observed: string[] = [];
    const watcher = (async () => {
      while (state.pushing) {
        try {
          const manifest = await repository.manifests.get('latest');
          expect(digestOf(manifest.content)).to.equal(manifest.digest);
          expect(digests.has(manifest.digest)).to.equal(true);
          observed.push(manifest.digest);
        } catch (error) {
          // Before the first push lands there is no tag yet; nothing else is acceptable.
          if (!isEngineError(error, 'MANIFEST_UNKNOWN') || observed.length > 0) throw error;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(
      manifests.map((manifest) =>
        harness()
          .sibling()
          .repository('library/app')
          .manifests.put('latest', manifest, { mediaType: MediaType.ociManifest }),
      ),
    );
    state.pushing = false;
    await watcher;
    const final = await repository.manifests.get('latest');
    expect(digests.has(final.digest)).to.equal(true);
    expect(digestOf(final.content)).to.equal(final.digest);
    const { tags } = await repository.tags.list();
    expect(tags).to.deep.equal(['latest']);
  });
});
