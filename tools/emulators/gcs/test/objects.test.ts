import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CRC32C, type Bucket } from '@google-cloud/storage';
import { expect } from 'chai';
import {
  apiFailure,
  jsonError,
  objectPath,
  patternBytes,
  startTestEmulator,
  type TestEmulator,
} from './helpers.js';

const crc32c = (bytes: Buffer) => {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
};
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

describe('GCS emulator: buckets and objects', function () {
  this.timeout(30_000);
  let gcs: TestEmulator;
  let bucket: Bucket;
  const url = (path: string) => `${gcs.emulator.endpoint}${path}`;

  before(async () => {
    gcs = await startTestEmulator();
  });
  after(() => gcs.stop());
  beforeEach(async () => {
    bucket = await gcs.bucket();
  });

  describe('buckets', () => {
    it('creates a bucket (POST /storage/v1/b?project=P) and reports whether one exists', async () => {
      expect((await bucket.exists())[0]).to.be.true;
      const [metadata] = await bucket.getMetadata();
      expect(metadata).to.include({ kind: 'storage#bucket', name: bucket.name, id: bucket.name });
      expect((await gcs.storage.bucket('lading-no-such-bucket').exists())[0]).to.be.false;
    });

    it('answers 409 for a bucket that exists, 400 without a project or for a bad name', async () => {
      const again = await apiFailure(gcs.storage.createBucket(bucket.name));
      expect(again.code).to.equal(409);
      const noProject = await fetch(url('/storage/v1/b'), {
        method: 'POST',
        body: '{"name":"lading-x1"}',
      });
      expect(noProject.status).to.equal(400);
      expect((await jsonError(noProject)).reason).to.equal('required');
      const badName = await fetch(url('/storage/v1/b?project=test'), {
        method: 'POST',
        body: JSON.stringify({ name: 'Not_A-valid.Name' }),
      });
      expect(badName.status).to.equal(400);
      await badName.body?.cancel();
    });

    it('answers 404 for objects in a bucket that does not exist', async () => {
      const response = await fetch(url(objectPath('lading-no-such-bucket', 'x')));
      expect(response.status).to.equal(404);
      expect(await jsonError(response)).to.deep.equal({
        code: 404,
        message: 'The specified bucket does not exist.',
        reason: 'notFound',
      });
    });
  });

  describe('objects.get', () => {
    it('gives the object resource: string generation and size, base64 md5 and big-endian crc32c', async () => {
      const bytes = Buffer.from('hello, gcs');
      const [file] = [bucket.file('dir/hello.txt')];
      await file.save(bytes, {
        resumable: false,
        contentType: 'text/plain',
        metadata: { metadata: { a: '1' } },
      });
      const response = await fetch(url(objectPath(bucket.name, 'dir/hello.txt')));
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('application/json; charset=utf-8');
      const resource = (await response.json()) as Record<string, unknown>;
      expect(resource).to.include({
        kind: 'storage#object',
        name: 'dir/hello.txt',
        bucket: bucket.name,
        metageneration: '1',
        contentType: 'text/plain',
        size: String(bytes.length),
        md5Hash: md5(bytes),
        crc32c: crc32c(bytes),
      });
      expect(resource.metadata).to.deep.equal({ a: '1' });
      expect(resource.generation).to.match(/^\d{16}$/);
      expect(resource.id).to.equal(`${bucket.name}/dir/hello.txt/${String(resource.generation)}`);
      expect(resource.componentCount).to.equal(undefined);
      expect(resource.etag).to.be.a('string').that.is.not.empty;
      // RFC 3339 with milliseconds, as GCS writes them.
      expect(resource.timeCreated).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(resource.updated).to.equal(resource.timeCreated);
      // The SDK reads the same.
      const [metadata] = await file.getMetadata();
      expect(metadata.crc32c).to.equal(crc32c(bytes));
    });

    it('answers 404 in Google error shape for a missing object, and the SDK sees code 404', async () => {
      const response = await fetch(url(objectPath(bucket.name, 'a/missing')));
      expect(await jsonError(response)).to.deep.equal({
        code: 404,
        message: `No such object: ${bucket.name}/a/missing`,
        reason: 'notFound',
      });
      const failure = await apiFailure(bucket.file('a/missing').getMetadata());
      expect(failure.code).to.equal(404);
      expect(failure.message).to.equal(`No such object: ${bucket.name}/a/missing`);
      expect((await bucket.file('a/missing').exists())[0]).to.be.false;
    });

    it('generates strictly increasing generations, and 404s a generation that is not live', async () => {
      const file = bucket.file('versions');
      await file.save('one', { resumable: false });
      const first = (await file.getMetadata())[0].generation;
      await file.save('two', { resumable: false });
      const second = (await file.getMetadata())[0].generation;
      expect(BigInt(String(second)) > BigInt(String(first))).to.be.true;
      const old = await fetch(
        url(`${objectPath(bucket.name, 'versions')}?generation=${String(first)}`),
      );
      expect(old.status).to.equal(404);
      await old.body?.cancel();
      const live = await fetch(
        url(`${objectPath(bucket.name, 'versions')}?alt=media&generation=${String(second)}`),
      );
      expect(await live.text()).to.equal('two');
    });
    it('serves the bytes at the mediaLink of the resource', async () => {
      await bucket.file('linked').save('via mediaLink', { resumable: false });
      const [metadata] = await bucket.file('linked').getMetadata();
      expect(String(metadata.mediaLink).startsWith(`${gcs.emulator.endpoint}/download/`)).to.be
        .true;
      const response = await fetch(String(metadata.mediaLink));
      expect(await response.text()).to.equal('via mediaLink');
    });

    it('honours read preconditions: 412 for ifGenerationMatch, 304 for ifGenerationNotMatch', async () => {
      await bucket.file('cond').save('c', { resumable: false });
      const generation = String((await bucket.file('cond').getMetadata())[0].generation);
      const path = objectPath(bucket.name, 'cond');
      const wrong = await fetch(url(`${path}?ifGenerationMatch=1`));
      expect(wrong.status).to.equal(412);
      await wrong.body?.cancel();
      const unchanged = await fetch(url(`${path}?alt=media&ifGenerationNotMatch=${generation}`));
      expect(unchanged.status).to.equal(304);
      const changed = await fetch(url(`${path}?alt=media&ifGenerationNotMatch=1`));
      expect(await changed.text()).to.equal('c');
      const bad = await fetch(url(`${path}?ifGenerationMatch=abc`));
      expect(bad.status).to.equal(400);
      await bad.body?.cancel();
    });
  });

  describe('objects.delete', () => {
    it('answers 204, then 404; ifGenerationMatch must match or it is 412', async () => {
      await bucket.file('gone').save('x', { resumable: false });
      const generation = String((await bucket.file('gone').getMetadata())[0].generation);
      const path = objectPath(bucket.name, 'gone');
      const wrong = await fetch(url(`${path}?ifGenerationMatch=1`), { method: 'DELETE' });
      expect(wrong.status).to.equal(412);
      expect((await jsonError(wrong)).reason).to.equal('conditionNotMet');
      const deleted = await fetch(url(`${path}?ifGenerationMatch=${generation}`), {
        method: 'DELETE',
      });
      expect(deleted.status).to.equal(204);
      expect(await deleted.text()).to.equal('');
      const again = await fetch(url(path), { method: 'DELETE' });
      expect(again.status).to.equal(404);
      await again.body?.cancel();
      expect((await apiFailure(bucket.file('gone').delete())).code).to.equal(404);
    });
  });

  describe('uploads in one request', () => {
    it('takes uploadType=media: name in the query, Content-Type header as contentType', async () => {
      const response = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=raw%2Fmedia.bin`),
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-test' },
          body: 'raw media',
        },
      );
      expect(response.status).to.equal(200);
      const resource = (await response.json()) as Record<string, unknown>;
      expect(resource).to.include({
        name: 'raw/media.bin',
        contentType: 'application/x-test',
        size: '9',
      });
      expect((await bucket.file('raw/media.bin').download())[0].toString()).to.equal('raw media');
    });

    it('takes uploadType=multipart from the SDK (resumable: false), validated by its crc32c', async () => {
      const bytes = patternBytes(300_000);
      await bucket.file('multi/part').save(bytes, { resumable: false, validation: 'crc32c' });
      const [metadata] = await bucket.file('multi/part').getMetadata();
      expect(metadata.size).to.equal(String(bytes.length));
      expect(metadata.md5Hash).to.equal(md5(bytes));
      expect((await bucket.file('multi/part').download())[0].equals(bytes)).to.be.true;
    });

    it('parses a raw multipart body whose media part holds near-boundaries and CRLFs', async () => {
      const boundary = 'b0undary';
      // RFC 2046: the delimiter itself never occurs in a part, but anything short of it may.
      const media = Buffer.from(`line\r\n--b0undar\r\n-b0undary\r\n\r\n--`);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n`),
        Buffer.from(JSON.stringify({ name: 'from/metadata', metadata: { k: 'v' } })),
        Buffer.from(`\r\n--${boundary}\r\nContent-Type: text/x-media\r\n\r\n`),
        media,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=multipart`),
        {
          method: 'POST',
          headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
          body,
        },
      );
      expect(response.status).to.equal(200);
      const resource = (await response.json()) as Record<string, unknown>;
      expect(resource).to.include({ name: 'from/metadata', contentType: 'text/x-media' });
      expect(resource.metadata).to.deep.equal({ k: 'v' });
      expect((await bucket.file('from/metadata').download())[0].equals(media)).to.be.true;
    });

    it('answers 400 to a multipart body without its closing boundary, storing nothing', async () => {
      const response = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=multipart&name=torn`),
        {
          method: 'POST',
          headers: { 'Content-Type': 'multipart/related; boundary=zz' },
          body: '--zz\r\nContent-Type: application/json\r\n\r\n{}\r\n--zz\r\n\r\npartial',
        },
      );
      expect(response.status).to.equal(400);
      await response.body?.cancel();
      expect((await bucket.file('torn').exists())[0]).to.be.false;
    });

    it('drops an upload the client abandons halfway: no object, no leftover file', async () => {
      const dataDirectory = join(gcs.directory, 'data');
      const before = (await readdir(dataDirectory)).length;
      const files = async () => (await readdir(dataDirectory)).length;
      const controller = new AbortController();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(stream) {
          if (sent === 4) {
            // Abort once the server is writing the upload's file, however late it gets there.
            await waitFor(async () => (await files()) === before + 1);
            controller.abort();
            await new Promise(() => undefined);
          }
          stream.enqueue(patternBytes(64 * 1024));
          sent += 1;
        },
      });
      const upload = fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=abandoned`),
        {
          method: 'POST',
          body,
          duplex: 'half',
          signal: controller.signal,
        },
      );
      expect(await apiFailure(upload))
        .to.have.property('message')
        .that.matches(/abort/i);
      await waitFor(async () => (await files()) === before);
      expect(await readdir(dataDirectory)).to.have.length(before);
      expect((await bucket.file('abandoned').exists())[0]).to.be.false;
    });

    it('honours ifGenerationMatch=0: creates only if absent, else 412', async () => {
      const file = bucket.file('once');
      await file.save('first', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
      const failure = await apiFailure(
        file.save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
      );
      expect(failure.code).to.equal(412);
      const raw = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=once&ifGenerationMatch=0`),
        {
          method: 'POST',
          body: 'third',
        },
      );
      expect(raw.status).to.equal(412);
      await raw.body?.cancel();
      expect((await file.download())[0].toString()).to.equal('first');
    });

    it('refuses bytes that do not match the X-Goog-Hash the client sent', async () => {
      const response = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=corrupt`),
        {
          method: 'POST',
          headers: { 'X-Goog-Hash': `crc32c=${crc32c(Buffer.from('other'))}` },
          body: 'bytes',
        },
      );
      expect(response.status).to.equal(400);
      expect((await jsonError(response)).message).to.match(/CRC32C/);
      expect((await bucket.file('corrupt').exists())[0]).to.be.false;
    });
  });

  describe('objects.get alt=media', () => {
    const bytes = patternBytes(100_000, 7);

    beforeEach(async () => {
      await bucket
        .file('media')
        .save(bytes, { resumable: false, contentType: 'application/octet-stream' });
    });

    it('sends the bytes with x-goog-hash, generation, stored length, ETag and Last-Modified', async () => {
      const response = await fetch(url(`${objectPath(bucket.name, 'media')}?alt=media`));
      expect(response.status).to.equal(200);
      const [metadata] = await bucket.file('media').getMetadata();
      expect(Object.fromEntries(response.headers)).to.include({
        'content-length': String(bytes.length),
        'x-goog-hash': `crc32c=${crc32c(bytes)},md5=${md5(bytes)}`,
        'x-goog-generation': String(metadata.generation),
        'x-goog-stored-content-length': String(bytes.length),
        'x-goog-stored-content-encoding': 'identity',
        etag: String(metadata.etag),
        'last-modified': new Date(String(metadata.updated)).toUTCString(),
      });
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).to.be.true;
    });

    it('serves Range bytes=a-b and bytes=a- with 206 and Content-Range', async () => {
      const ranged = await fetch(url(`${objectPath(bucket.name, 'media')}?alt=media`), {
        headers: { Range: 'bytes=10-19' },
      });
      expect(ranged.status).to.equal(206);
      expect(ranged.headers.get('content-range')).to.equal(`bytes 10-19/${String(bytes.length)}`);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(10, 20))).to.be.true;
      const open = await fetch(url(`${objectPath(bucket.name, 'media')}?alt=media`), {
        headers: { Range: 'bytes=99990-' },
      });
      expect(open.status).to.equal(206);
      expect(open.headers.get('content-length')).to.equal('10');
      expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(99_990))).to.be.true;
      // Through the SDK: start/end, and a tail read (a suffix range).
      const [part] = await bucket.file('media').download({ start: 5, end: 9 });
      expect(part.equals(bytes.subarray(5, 10))).to.be.true;
      const [tail] = await bucket.file('media').download({ end: -3 });
      expect(tail.equals(bytes.subarray(-3))).to.be.true;
    });

    it('answers 416 with a JSON error for a start at or past the end, even bytes=0- on an empty object', async () => {
      const past = await fetch(url(`${objectPath(bucket.name, 'media')}?alt=media`), {
        headers: { Range: `bytes=${String(bytes.length)}-` },
      });
      expect(past.status).to.equal(416);
      expect(past.headers.get('content-range')).to.equal(`bytes */${String(bytes.length)}`);
      expect((await jsonError(past)).reason).to.equal('requestedRangeNotSatisfiable');
      await bucket.file('empty').save(Buffer.alloc(0), { resumable: false });
      const empty = await fetch(url(`${objectPath(bucket.name, 'empty')}?alt=media`), {
        headers: { Range: 'bytes=0-' },
      });
      expect(empty.status).to.equal(416);
      await empty.body?.cancel();
      // Without a Range the empty object is simply empty.
      const whole = await fetch(url(`${objectPath(bucket.name, 'empty')}?alt=media`));
      expect(whole.status).to.equal(200);
      expect(await whole.text()).to.equal('');
    });

    it('streams a large object from disk with backpressure: memory stays flat', async () => {
      const size = 192 * 1024 * 1024;
      const chunk = patternBytes(1024 * 1024, 3);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === size) {
            controller.close();
            return;
          }
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      try {
        const upload = await fetch(
          url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=large`),
          {
            method: 'POST',
            body,
            duplex: 'half',
          },
        );
        expect(upload.status).to.equal(200);
        await upload.body?.cancel();
        const download = await fetch(url(`${objectPath(bucket.name, 'large')}?alt=media`));
        let received = 0;
        for await (const part of download.body as AsyncIterable<Uint8Array>)
          received += part.length;
        expect(received).to.equal(size);
      } finally {
        clearInterval(sampler);
      }
      // Both ends live in this process; a copy of the object anywhere would add 192 MiB.
      expect(peak - before).to.be.below(96 * 1024 * 1024);
    });
  });

  describe('what is not emulated', () => {
    it('answers 501 naming the call, e.g. objects.patch, bucket deletion, unknown upload types', async () => {
      const patch = await fetch(url(objectPath(bucket.name, 'x')), { method: 'PATCH', body: '{}' });
      expect(patch.status).to.equal(501);
      expect(await jsonError(patch)).to.deep.include({
        reason: 'notImplemented',
        message: `The GCS emulator does not implement PATCH /storage/v1/b/${bucket.name}/o/x`,
      });
      const deleteBucket = await fetch(url(`/storage/v1/b/${bucket.name}`), { method: 'DELETE' });
      expect(deleteBucket.status).to.equal(501);
      await deleteBucket.body?.cancel();
      const upload = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=chunked&name=x`),
        {
          method: 'POST',
          body: 'x',
        },
      );
      expect(upload.status).to.equal(501);
      await upload.body?.cancel();
      const acl = await fetch(
        url(`/upload/storage/v1/b/${bucket.name}/o?uploadType=resumable&name=x`),
        {
          method: 'POST',
          body: JSON.stringify({ acl: [] }),
        },
      );
      expect(acl.status).to.equal(501);
      expect((await jsonError(acl)).message).to.include('acl');
    });
  });
});

/** Polls `condition` every 20 ms until it holds, for 10 s at most (then the test's check fails). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 10_000 && !(await condition()); waited += 20) await sleep(20);
}
