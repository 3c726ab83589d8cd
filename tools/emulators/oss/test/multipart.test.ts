import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  KiB,
  MiB,
  ossFailure,
  patternBytes,
  startTestEmulator,
  xmlError,
  type TestEmulator,
} from './helpers.js';
import { partsOf, type OssClient } from './oss-client.js';
import { contentMd5, rawFetch } from './raw-client.js';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** The part list as ali-oss's completeMultipartUpload takes it. */
type Parts = { number: number; etag: string }[];

describe('OSS emulator: multipart uploads', function () {
  this.timeout(60_000);
  let oss: TestEmulator;
  let bucket: string;
  let client: OssClient;

  before(async () => {
    oss = await startTestEmulator();
  });
  after(() => oss.stop());
  beforeEach(async () => {
    bucket = await oss.bucket();
    client = oss.client(bucket);
  });

  /** Uploads `chunks` as parts 1, 2, … of a new upload of `key`. */
  async function uploadParts(
    key: string,
    chunks: Buffer[],
  ): Promise<{ uploadId: string; parts: Parts }> {
    const { uploadId } = await client.initMultipartUpload(key);
    const parts: Parts = [];
    for (const [index, chunk] of chunks.entries()) {
      const { etag } = await client.uploadPart(key, uploadId, index + 1, chunk, 0, chunk.length);
      parts.push({ number: index + 1, etag });
    }
    return { uploadId, parts };
  }

  it('takes ali-oss multipartUpload with 16 MiB parts; the object is the parts joined, type Multipart', async () => {
    const bytes = patternBytes(40 * MiB + 123, 5);
    const result = await client.multipartUpload('big/object', bytes, {
      partSize: 16 * MiB,
      parallel: 3,
      meta: { kind: 'layer' },
      headers: { 'x-oss-server-side-encryption': 'AES256' },
    });
    const partMd5s = [0, 1, 2].map((index) =>
      createHash('md5')
        .update(bytes.subarray(index * 16 * MiB, (index + 1) * 16 * MiB))
        .digest(),
    );
    const expectedEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex').toUpperCase()}-3"`;
    expect(result.etag).to.equal(expectedEtag);
    const got = await client.get('big/object');
    expect(md5(got.content)).to.equal(md5(bytes));
    expect(got.res.headers).to.include({
      etag: expectedEtag,
      'x-oss-object-type': 'Multipart',
      'x-oss-meta-kind': 'layer',
      'x-oss-server-side-encryption': 'AES256',
    });
    expect(got.res.headers).to.not.have.property('content-md5');
    // The parts are gone with the upload.
    expect((await client.listUploads({})).uploads).to.deep.equal([]);
  });

  it('makes the object appear only on CompleteMultipartUpload, then forgets the upload', async () => {
    const chunks = [patternBytes(100 * KiB, 1), patternBytes(10, 2)];
    const { uploadId, parts } = await uploadParts('atomic', chunks);
    expect((await ossFailure(client.head('atomic'))).status).to.equal(404);
    const complete = await client.completeMultipartUpload('atomic', uploadId, parts);
    expect(complete.etag).to.match(/^"[0-9A-F]{32}-2"$/);
    const body = (complete.res as unknown as { data: Buffer }).data.toString();
    expect(body).to.include(
      `<Location>http://${bucket}.oss-cn-hangzhou.aliyuncs.com/atomic</Location>` +
        `<Bucket>${bucket}</Bucket><Key>atomic</Key><ETag>${complete.etag}</ETag>`,
    );
    expect((await client.get('atomic')).content).to.deep.equal(Buffer.concat(chunks));
    const again = await ossFailure(client.completeMultipartUpload('atomic', uploadId, parts));
    expect(again).to.include({ status: 404, code: 'NoSuchUpload' });
  });

  it('checks the part list: EntityTooSmall, InvalidPart, InvalidPartOrder, and leaves the upload as it was', async () => {
    const { uploadId, parts } = await uploadParts('checked', [
      patternBytes(100 * KiB - 1),
      patternBytes(5),
    ]);
    const small = await ossFailure(client.completeMultipartUpload('checked', uploadId, parts));
    expect(small).to.include({ status: 400, code: 'EntityTooSmall' });
    expect(small.message).to.equal(
      'Your proposed upload is smaller than the minimum allowed size.',
    );
    // Part 1 again, large enough: a part sent again replaces the earlier one.
    const { etag } = await client.uploadPart(
      'checked',
      uploadId,
      1,
      patternBytes(100 * KiB),
      0,
      100 * KiB,
    );
    const stale = await ossFailure(client.completeMultipartUpload('checked', uploadId, parts));
    expect(stale).to.include({ status: 400, code: 'InvalidPart' });
    const missing = await ossFailure(
      client.completeMultipartUpload('checked', uploadId, [
        { number: 1, etag },
        { number: 3, etag },
      ]),
    );
    expect(missing.code).to.equal('InvalidPart');
    // ali-oss sorts the list; out of order only a raw request can send it.
    const xml = (order: Parts) =>
      Buffer.from(
        `<CompleteMultipartUpload>${order
          .map(
            (part) =>
              `<Part><PartNumber>${String(part.number)}</PartNumber><ETag>${part.etag}</ETag></Part>`,
          )
          .join('')}</CompleteMultipartUpload>`,
      );
    const reversed = xml([parts[1]!, { number: 1, etag }]);
    const unordered = await rawFetch(oss.emulator.endpoint, oss.key, {
      method: 'POST',
      bucket,
      key: 'checked',
      query: { uploadId },
      body: reversed,
      headers: { 'content-md5': contentMd5(reversed) },
    });
    expect(unordered.status).to.equal(400);
    expect((await xmlError(unordered)).Code).to.equal('InvalidPartOrder');
    await client.completeMultipartUpload('checked', uploadId, [{ number: 1, etag }, parts[1]!]);
    expect((await client.head('checked')).res.headers).to.include({
      'content-length': String(100 * KiB + 5),
    });
  });

  it('drops the parts the completion leaves out', async () => {
    const chunks = [patternBytes(100 * KiB, 1), patternBytes(100 * KiB, 2), patternBytes(7, 3)];
    const { uploadId, parts } = await uploadParts('some', chunks);
    await client.completeMultipartUpload('some', uploadId, [parts[0]!, parts[2]!]);
    expect((await client.get('some')).content).to.deep.equal(
      Buffer.concat([chunks[0]!, chunks[2]!]),
    );
  });

  it('answers 404 NoSuchUpload for an unknown upload id, one of another key, or one that is no id', async () => {
    const { uploadId } = await client.initMultipartUpload('mine');
    for (const [key, id] of [
      ['mine', '0123456789ABCDEF0123456789ABCDEF'],
      ['other', uploadId],
      ['mine', '../../buckets'],
    ] as const) {
      const part = await ossFailure(client.uploadPart(key, id, 1, Buffer.from('x'), 0, 1));
      expect(part).to.include({ status: 404, code: 'NoSuchUpload' });
      expect((await ossFailure(client.listParts(key, id, {}))).code).to.equal('NoSuchUpload');
      expect((await ossFailure(client.abortMultipartUpload(key, id))).code).to.equal(
        'NoSuchUpload',
      );
    }
    const badNumber = await ossFailure(
      client.uploadPart('mine', uploadId, 10001, Buffer.from('x'), 0, 1),
    );
    expect(badNumber).to.include({ status: 400, code: 'InvalidArgument' });
  });

  it('aborts an upload (204): its parts are gone and it answers NoSuchUpload afterwards', async () => {
    const { uploadId } = await uploadParts('aborted', [Buffer.from('part')]);
    const abort = await client.abortMultipartUpload('aborted', uploadId);
    expect(abort.res.status).to.equal(204);
    expect(
      (await ossFailure(client.uploadPart('aborted', uploadId, 2, Buffer.from('x'), 0, 1))).code,
    ).to.equal('NoSuchUpload');
    expect(await readdir(join(oss.directory, 'uploads'))).to.not.include(uploadId);
  });

  it('copies ranges of an object into parts (UploadPartCopy), and ali-oss multipartUploadCopy works', async () => {
    const source = patternBytes(300 * KiB, 4);
    await client.put('source', source);
    const { uploadId } = await client.initMultipartUpload('copied');
    const sourceData = { sourceKey: 'source', sourceBucketName: bucket };
    const first = await client.uploadPartCopy(
      'copied',
      uploadId,
      1,
      `0-${String(200 * KiB - 1)}`,
      sourceData,
    );
    expect(first.etag).to.equal(`"${md5(source.subarray(0, 200 * KiB)).toUpperCase()}"`);
    expect((first.res as unknown as { data: Buffer }).data.toString()).to.match(
      /<CopyPartResult><LastModified>/,
    );
    const second = await client.uploadPartCopy(
      'copied',
      uploadId,
      2,
      `${String(200 * KiB)}-${String(300 * KiB - 1)}`,
      sourceData,
    );
    const beyond = await ossFailure(
      client.uploadPartCopy('copied', uploadId, 3, `0-${String(300 * KiB)}`, sourceData),
    );
    expect(beyond).to.include({ status: 400, code: 'InvalidArgument' });
    await client.completeMultipartUpload('copied', uploadId, [
      { number: 1, etag: first.etag },
      { number: 2, etag: second.etag },
    ]);
    expect((await client.get('copied')).content).to.deep.equal(source);
    await client.multipartUploadCopy('managed-copy', sourceData, { partSize: 100 * KiB });
    expect((await client.get('managed-copy')).content).to.deep.equal(source);
  });

  it('lists parts by number, paging with max-parts and part-number-marker', async () => {
    const { uploadId, parts } = await uploadParts('listed', [
      Buffer.from('one'),
      Buffer.from('two'),
      Buffer.from('three'),
    ]);
    const first = await client.listParts('listed', uploadId, { 'max-parts': '2' });
    expect(first).to.deep.include({
      isTruncated: 'true',
      nextPartNumberMarker: '2',
      uploadId,
      name: 'listed',
    });
    const listed = partsOf(first.parts);
    expect(listed.map((part) => [part.PartNumber, part.ETag, part.Size])).to.deep.equal([
      ['1', parts[0]?.etag, '3'],
      ['2', parts[1]?.etag, '3'],
    ]);
    const rest = await client.listParts('listed', uploadId, {
      'max-parts': '2',
      'part-number-marker': '2',
    });
    expect(rest).to.deep.include({ isTruncated: 'false' });
    expect(partsOf(rest.parts).map((part) => part.PartNumber)).to.deep.equal(['3']);
  });

  it('lists uploads by key and upload id, with prefix, key-marker, upload-id-marker and max-uploads', async () => {
    const a1 = await client.initMultipartUpload('a');
    const a2 = await client.initMultipartUpload('a');
    const b = await client.initMultipartUpload('b');
    await client.initMultipartUpload('other/c');
    const first = await client.listUploads({ 'max-uploads': 2 });
    expect(first.uploads.map((upload) => [upload.name, upload.uploadId])).to.deep.equal([
      ['a', a1.uploadId],
      ['a', a2.uploadId],
    ]);
    expect(first).to.deep.include({
      isTruncated: true,
      nextKeyMarker: 'a',
      nextUploadIdMarker: a2.uploadId,
    });
    const next = await client.listUploads({
      'max-uploads': 2,
      'key-marker': 'a',
      'upload-id-marker': a1.uploadId,
    });
    expect(next.uploads.map((upload) => upload.uploadId)).to.deep.equal([a2.uploadId, b.uploadId]);
    const prefixed = await client.listUploads({ prefix: 'other/' });
    expect(prefixed.uploads.map((upload) => upload.name)).to.deep.equal(['other/c']);
    expect(Date.parse(prefixed.uploads[0]?.initiated ?? '')).to.be.above(Date.now() - 60_000);
  });

  it('keeps uploads and their parts across a restart on the same directory', async () => {
    const chunks = [patternBytes(100 * KiB, 8), Buffer.from('tail')];
    const { uploadId, parts } = await uploadParts('durable', chunks);
    await oss.restart();
    const listed = await client.listParts('durable', uploadId, {});
    expect(partsOf(listed.parts).map((part) => part.ETag)).to.deep.equal(
      parts.map((part) => part.etag),
    );
    await client.completeMultipartUpload('durable', uploadId, parts);
    expect((await client.get('durable')).content).to.deep.equal(Buffer.concat(chunks));
  });
});
