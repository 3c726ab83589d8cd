import { Readable } from 'node:stream';
import { DigestInvalidError, NameInvalidError, digestOf, emptyDigest } from '@lading/oci';
import { expect } from 'chai';
import {
  BlobRangeNotSatisfiableError,
  BlobUnknownError,
  CorruptStorageError,
  DeletesDisabledError,
  layout,
} from '../src/index.js';
import { describeOnDrivers, readAll, rejectionOf } from './support.js';

const content = Buffer.from('the quick brown fox jumps over the lazy dog');
const digest = digestOf(content);

describeOnDrivers('blobs', (harness) => {
  it('stores an uploaded blob once, under its digest, and links it into the repository', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const descriptor = await repository.uploads.upload(content, { digest });
    expect(descriptor).to.deep.equal({
      digest,
      size: content.length,
      mediaType: 'application/octet-stream',
    });
    expect((await driver.getContent(layout.blobDataPath(digest))).equals(content)).to.equal(true);
    expect(
      (await driver.getContent(layout.layerLinkPath('library/app', digest))).toString(),
    ).to.equal(digest);
    expect(await driver.list(layout.uploadsPath('library/app')).catch(() => [])).to.deep.equal([]);
  });

  it('computes the digest of a monolithic upload when none is given', async () => {
    const descriptor = await harness()
      .repository()
      .uploads.upload(Readable.from([content.subarray(0, 5), content.subarray(5)]));
    expect(descriptor.digest).to.equal(digest);
  });

  it('fails a monolithic upload whose source fails, storing nothing', async () => {
    const repository = harness().repository();
    const broken = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    expect((await rejectionOf(repository.uploads.upload(broken))).message).to.equal('source broke');
    expect(await harness().engine.catalog()).to.deep.equal({ repositories: [], truncated: false });
  });

  it('stats and reads a blob, whole and in ranges', async () => {
    const repository = harness().repository();
    await repository.uploads.upload(content);
    expect(await repository.blobs.stat(digest)).to.deep.equal({
      digest,
      size: content.length,
      mediaType: 'application/octet-stream',
    });
    const whole = await repository.blobs.open(digest);
    expect((await readAll(whole.stream)).equals(content)).to.equal(true);
    const range = await repository.blobs.open(digest, { offset: 4, length: 5 });
    expect((await readAll(range.stream)).toString()).to.equal('quick');
    const tail = await repository.blobs.open(digest, { offset: content.length });
    expect(await readAll(tail.stream)).to.have.length(0);
    const error = await rejectionOf(repository.blobs.open(digest, { offset: content.length + 1 }));
    expect(error).to.be.instanceOf(BlobRangeNotSatisfiableError);
    expect((error as BlobRangeNotSatisfiableError).size).to.equal(content.length);
  });

  it('keeps blobs apart per repository', async () => {
    const { engine } = harness();
    await engine.repository('team/a').uploads.upload(content);
    const error = await rejectionOf(engine.repository('team/b').blobs.stat(digest));
    expect(error).to.be.instanceOf(BlobUnknownError);
    expect(error.message).to.equal(`blob ${digest} is unknown to repository team/b`);
    expect(await engine.repository('team/b').blobs.exists(digest)).to.equal(false);
    expect(await rejectionOf(engine.repository('team/b').blobs.open(digest))).to.be.instanceOf(
      BlobUnknownError,
    );
  });

  it('mounts a blob from another repository without copying it', async () => {
    const { engine, driver } = harness();
    await engine.repository('team/a').uploads.upload(content);
    const mounted = await engine.repository('team/b').blobs.mount(digest, 'team/a');
    expect(mounted.size).to.equal(content.length);
    expect(
      (await readAll((await engine.repository('team/b').blobs.open(digest)).stream)).equals(
        content,
      ),
    ).to.equal(true);
    expect(await driver.list(layout.blobsPath + '/sha256')).to.have.length(1);
    expect(
      await rejectionOf(engine.repository('team/c').blobs.mount(digest, 'team/none')),
    ).to.be.instanceOf(BlobUnknownError);
    expect(
      await rejectionOf(engine.repository('team/c').blobs.mount(digest, 'Bad/Name')),
    ).to.be.instanceOf(NameInvalidError);
  });

  it('unlinks a blob from one repository, leaving its data for the others', async () => {
    const { engine, driver } = harness();
    await engine.repository('team/a').uploads.upload(content);
    await engine.repository('team/b').blobs.mount(digest, 'team/a');
    await engine.repository('team/a').blobs.delete(digest);
    expect(await engine.repository('team/a').blobs.exists(digest)).to.equal(false);
    expect(await engine.repository('team/b').blobs.exists(digest)).to.equal(true);
    expect((await driver.stat(layout.blobDataPath(digest))).size).to.equal(content.length);
    expect(await rejectionOf(engine.repository('team/a').blobs.delete(digest))).to.be.instanceOf(
      BlobUnknownError,
    );
  });

  it('stores zero-length blobs', async () => {
    const repository = harness().repository();
    const descriptor = await repository.uploads.upload(Buffer.alloc(0), { digest: emptyDigest });
    expect(descriptor.size).to.equal(0);
    expect(await readAll((await repository.blobs.open(emptyDigest)).stream)).to.have.length(0);
  });

  it('accepts sha512 digests, storing by sha256 with an alias link', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const sha512 = digestOf(content, 'sha512');
    const descriptor = await repository.uploads.upload(content, { digest: sha512 });
    expect(descriptor.digest).to.equal(sha512);
    expect(
      (await driver.getContent(layout.layerLinkPath('library/app', sha512))).toString(),
    ).to.equal(digest);
    expect((await repository.blobs.stat(sha512)).digest).to.equal(sha512);
    expect((await repository.blobs.stat(digest)).digest).to.equal(digest);
    expect((await readAll((await repository.blobs.open(sha512)).stream)).equals(content)).to.equal(
      true,
    );
  });

  it('rejects malformed digests with DigestInvalidError', async () => {
    const repository = harness().repository();
    expect(await rejectionOf(repository.blobs.stat('sha256:xyz'))).to.be.instanceOf(
      DigestInvalidError,
    );
    expect(
      await rejectionOf(repository.uploads.upload(content, { digest: 'md5:00' })),
    ).to.be.instanceOf(DigestInvalidError);
  });

  it('reports a link that holds no digest as corrupt storage', async () => {
    const { driver } = harness();
    await driver.putContent(layout.layerLinkPath('library/app', digest), Buffer.from('garbage'));
    const error = await rejectionOf(harness().repository().blobs.stat(digest));
    expect(error).to.be.instanceOf(CorruptStorageError);
    expect(error.message).to.contain('holds "garbage", not a digest');
    expect((error as CorruptStorageError).code).to.equal('UNKNOWN');
  });

  it('gives no redirect URL on drivers that have none', async () => {
    const repository = harness().repository();
    await repository.uploads.upload(content);
    expect(await repository.blobs.redirectURL(digest)).to.equal(undefined);
  });

  it('reports a blob whose data vanished after the stat as unknown', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    await repository.uploads.upload(content);
    await repository.blobs.stat(digest); // now cached
    await driver.delete(layout.blobDirectory(digest)); // as garbage collection would
    expect(await rejectionOf(repository.blobs.open(digest))).to.be.instanceOf(BlobUnknownError);
  });
});

describeOnDrivers(
  'blobs with deletes disabled',
  (harness) => {
    it('refuse to delete', async () => {
      const repository = harness().repository();
      await repository.uploads.upload(content);
      const error = await rejectionOf(repository.blobs.delete(digest));
      expect(error).to.be.instanceOf(DeletesDisabledError);
      expect((error as DeletesDisabledError).code).to.equal('UNSUPPORTED');
      expect(await repository.blobs.exists(digest)).to.equal(true);
    });
  },
  {},
);
