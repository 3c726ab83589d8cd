import { Readable } from 'node:stream';
import { digestOf } from '@lading/oci';
import { expect } from 'chai';
import {
  BlobUploadUnknownError,
  DigestMismatchError,
  UploadOffsetMismatchError,
  layout,
} from '../src/index.js';
import { describeOnDrivers, readAll, rejectionOf } from './support.js';

const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(50_000, 2), Buffer.from('tail')];
const whole = Buffer.concat(chunks);
const digest = digestOf(whole);

describeOnDrivers('uploads', (harness) => {
  it("start with a session recorded in storage, in distribution's format", async () => {
    const { driver } = harness();
    const upload = await harness().repository().uploads.start();
    expect(upload.size).to.equal(0);
    expect(upload.id).to.match(/^[0-9a-f-]{36}$/);
    const stamp = (
      await driver.getContent(layout.uploadStartedAtPath('library/app', upload.id))
    ).toString();
    expect(stamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(upload.startedAt.toISOString().slice(0, 19)).to.equal(stamp.slice(0, 19));
  });

  it('take an upload whose data file is not there yet, as distribution starts one', async () => {
    const { driver } = harness();
    const uploads = harness().repository().uploads;
    const upload = await uploads.start();
    // What distribution's POST leaves: the start time, and no data until the first chunk.
    const startedAtPath = layout.uploadStartedAtPath('library/app', upload.id);
    const stamp = await driver.getContent(startedAtPath);
    await driver.delete(layout.uploadPath('library/app', upload.id));
    await driver.putContent(startedAtPath, stamp);
    const content = Buffer.from('first bytes');
    expect((await uploads.append(upload.id, 0, content)).size).to.equal(content.length);
    const blob = await uploads.complete(upload.id, digestOf(content));
    expect(blob.size).to.equal(content.length);
  });

  it('take chunks in order and report their progress', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    let offset = 0;
    for (const chunk of chunks) {
      const status = await uploads.append(id, offset, Readable.from([chunk]));
      offset += chunk.length;
      expect(status.size).to.equal(offset);
      expect((await uploads.status(id)).size).to.equal(offset);
    }
    const blob = await uploads.complete(id, digest);
    expect(blob.size).to.equal(whole.length);
    expect(
      (await readAll((await harness().repository().blobs.open(digest)).stream)).equals(whole),
    ).to.equal(true);
  });

  it('refuse a chunk at the wrong offset, saying where to resume', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    await uploads.append(id, 0, chunks[0] ?? Buffer.alloc(0));
    for (const offset of [0, 10, 70_001]) {
      const error = await rejectionOf(uploads.append(id, offset, Buffer.from('x')));
      expect(error).to.be.instanceOf(UploadOffsetMismatchError);
      expect((error as UploadOffsetMismatchError).currentOffset).to.equal(70_000);
      expect((error as UploadOffsetMismatchError).code).to.equal('RANGE_INVALID');
    }
    expect((await uploads.status(id)).size).to.equal(70_000);
  });

  it('refuse to complete from the wrong offset, leaving the upload as it was', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    await uploads.append(id, 0, Buffer.concat(chunks.slice(0, 2)));
    const error = await rejectionOf(
      uploads.complete(id, digest, { offset: 70_000, finalChunk: chunks[2] }),
    );
    expect(error).to.be.instanceOf(UploadOffsetMismatchError);
    expect((error as UploadOffsetMismatchError).currentOffset).to.equal(120_000);
    expect((await uploads.status(id)).size).to.equal(120_000);
    expect(await harness().repository().blobs.exists(digest)).to.equal(false);
    await uploads.complete(id, digest, { offset: 120_000, finalChunk: chunks[2] });
    expect((await harness().repository().blobs.stat(digest)).size).to.equal(whole.length);
  });

  it('complete with a final chunk', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    await uploads.append(id, 0, Buffer.concat(chunks.slice(0, 2)));
    await uploads.complete(id, digest, { finalChunk: chunks[2] });
    expect((await harness().repository().blobs.stat(digest)).size).to.equal(whole.length);
  });

  it('refuse a wrong digest, committing nothing and discarding the upload', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const { id } = await repository.uploads.start();
    await repository.uploads.append(id, 0, whole);
    const claimed = digestOf(Buffer.from('something else'));
    const error = await rejectionOf(repository.uploads.complete(id, claimed));
    expect(error).to.be.instanceOf(DigestMismatchError);
    expect((error as DigestMismatchError).actual).to.equal(digest);
    expect(await repository.blobs.exists(claimed)).to.equal(false);
    expect(await repository.blobs.exists(digest)).to.equal(false);
    expect(await driver.list(layout.blobsPath).catch(() => [])).to.deep.equal([]);
    expect(await rejectionOf(repository.uploads.status(id))).to.be.instanceOf(
      BlobUploadUnknownError,
    );
  });

  it('continue an upload in another process, recomputing the digest from storage', async () => {
    const first = harness().repository();
    const { id } = await first.uploads.start();
    await first.uploads.append(id, 0, chunks[0] ?? Buffer.alloc(0));
    // A second engine on the same storage knows nothing of this upload's hash.
    const second = harness().sibling().repository('library/app');
    expect((await second.uploads.status(id)).size).to.equal(70_000);
    await second.uploads.append(id, 70_000, Buffer.concat(chunks.slice(1)));
    const blob = await second.uploads.complete(id, digest);
    expect(blob.digest).to.equal(digest);
    // And the first one, whose running hash is now stale, still verifies correctly.
    const { id: other } = await first.uploads.start();
    await first.uploads.append(other, 0, whole.subarray(0, 10));
    await harness()
      .sibling()
      .repository('library/app')
      .uploads.append(other, 10, whole.subarray(10));
    expect((await first.uploads.complete(other, digest)).size).to.equal(whole.length);
  });

  it('cancel, leaving nothing behind', async () => {
    const { driver } = harness();
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    await uploads.append(id, 0, whole);
    await uploads.cancel(id);
    expect(await rejectionOf(uploads.status(id))).to.be.instanceOf(BlobUploadUnknownError);
    expect(await driver.list(layout.uploadsPath('library/app')).catch(() => [])).to.deep.equal([]);
  });

  it('answer unknown, malformed and foreign ids with BlobUploadUnknownError', async () => {
    const { engine } = harness();
    const uploads = engine.repository('library/app').uploads;
    const { id } = await uploads.start();
    for (const bogus of ['no-such-upload', '../escape', 'a/b', '']) {
      expect(await rejectionOf(uploads.status(bogus)), bogus).to.be.instanceOf(
        BlobUploadUnknownError,
      );
    }
    // An upload belongs to its repository.
    const error = await rejectionOf(
      engine.repository('library/other').uploads.append(id, 0, Buffer.from('x')),
    );
    expect(error).to.be.instanceOf(BlobUploadUnknownError);
    expect(
      await rejectionOf(engine.repository('library/other').uploads.complete(id, digest)),
    ).to.be.instanceOf(BlobUploadUnknownError);
    expect(
      await rejectionOf(engine.repository('library/other').uploads.cancel(id)),
    ).to.be.instanceOf(BlobUploadUnknownError);
  });

  it('keep what reached storage when a chunk breaks off, so the client can resume', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    const broken = new Readable({
      read() {
        this.push(Buffer.alloc(1000, 7));
        this.destroy(new Error('client went away'));
      },
    });
    expect((await rejectionOf(uploads.append(id, 0, broken))).message).to.equal('client went away');
    const { size } = await uploads.status(id);
    const rest = Buffer.alloc(500, 8);
    await uploads.append(id, size, rest);
    const expected = Buffer.concat([Buffer.alloc(size, 7), rest]);
    expect((await uploads.complete(id, digestOf(expected))).size).to.equal(expected.length);
  });

  it('serialize concurrent appends to one upload in this process', async () => {
    const uploads = harness().repository().uploads;
    const { id } = await uploads.start();
    const results = await Promise.allSettled([
      uploads.append(id, 0, Buffer.alloc(10)),
      uploads.append(id, 0, Buffer.alloc(10)),
    ]);
    expect(results.map((result) => result.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    expect((await uploads.status(id)).size).to.equal(10);
  });

  it('are purged once older than the given age', async () => {
    const { engine, driver } = harness();
    const fresh = await engine.repository('team/a').uploads.start();
    const stale = await engine.repository('team/a/nested').uploads.start();
    const broken = await engine.repository('team/b').uploads.start();
    await driver.putContent(
      layout.uploadStartedAtPath('team/a/nested', stale.id),
      Buffer.from('2020-01-01T00:00:00Z'),
    );
    await driver.putContent(
      layout.uploadStartedAtPath('team/b', broken.id),
      Buffer.from('not a date'),
    );
    const cutoff = new Date(Date.now() - 60_000);
    const dryRun = await engine.purgeUploads({ olderThan: cutoff, dryRun: true });
    expect(dryRun.map((upload) => upload.repository).sort()).to.deep.equal([
      'team/a/nested',
      'team/b',
    ]);
    expect(
      (await engine.repository('team/b').uploads.status(broken.id)).startedAt.getTime(),
    ).to.equal(0);
    const purged = await engine.purgeUploads({ olderThan: cutoff });
    expect(purged.map((upload) => upload.id).sort()).to.deep.equal([stale.id, broken.id].sort());
    expect(purged.find((upload) => upload.id === stale.id)?.startedAt.toISOString()).to.equal(
      '2020-01-01T00:00:00.000Z',
    );
    expect((await engine.repository('team/a').uploads.status(fresh.id)).size).to.equal(0);
    expect(
      await rejectionOf(engine.repository('team/b').uploads.status(broken.id)),
    ).to.be.instanceOf(BlobUploadUnknownError);
    expect(await engine.purgeUploads({ olderThan: cutoff })).to.deep.equal([]);
  });
});
