import { request as httpRequest } from 'node:http';
import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CRC32C, type Bucket } from '@google-cloud/storage';
import { expect } from 'chai';
import {
  jsonError,
  KiB,
  objectPath,
  patternBytes,
  sdkClient,
  startTestEmulator,
  type TestEmulator,
} from './helpers.js';

const quantum = 256 * KiB;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');
const crc32c = (bytes: Buffer) => {
  const crc = new CRC32C();
  crc.update(bytes);
  return crc.toString();
};

describe('GCS emulator: resumable uploads', function () {
  this.timeout(60_000);
  let gcs: TestEmulator;
  let bucket: Bucket;

  before(async () => {
    gcs = await startTestEmulator();
  });
  after(() => gcs.stop());
  beforeEach(async () => {
    bucket = await gcs.bucket();
  });

  /** Starts a session by POST and returns its URI (the Location). */
  async function initiate(
    query: string,
    body: object = {},
    headers: Record<string, string> = {},
  ): Promise<string> {
    const response = await fetch(
      `${gcs.emulator.endpoint}/upload/storage/v1/b/${bucket.name}/o?uploadType=resumable${query}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      },
    );
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('');
    const location = response.headers.get('location');
    if (location === null) return expect.fail('no Location');
    return location;
  }

  /** One PUT to the session with this Content-Range (none if undefined) and body. */
  function put(
    uri: string,
    range: string | undefined,
    body: Buffer = Buffer.alloc(0),
  ): Promise<Response> {
    const headers: Record<string, string> = range === undefined ? {} : { 'Content-Range': range };
    return fetch(uri, { method: 'PUT', headers, body, redirect: 'manual' });
  }

  async function expectIncomplete(response: Response, stored: number): Promise<void> {
    expect(response.status).to.equal(308);
    expect(response.headers.get('range')).to.equal(
      stored === 0 ? null : `bytes=0-${String(stored - 1)}`,
    );
    expect(await response.text()).to.equal('');
  }

  async function exists(name: string): Promise<boolean> {
    return (await bucket.file(name).exists())[0];
  }

  async function contents(name: string): Promise<Buffer> {
    return (await bucket.file(name).download())[0];
  }

  it('puts the session URI on the host the client reached, as through a proxy', async () => {
    const endpoint = new URL(gcs.emulator.endpoint);
    const location = await new Promise<string | undefined>((resolve, reject) => {
      const request = httpRequest(
        {
          host: endpoint.hostname,
          port: endpoint.port,
          method: 'POST',
          path: `/upload/storage/v1/b/${bucket.name}/o?uploadType=resumable&name=proxied`,
          headers: { host: 'proxy.test:8123', 'content-type': 'application/json' },
        },
        (response) => {
          response.resume();
          resolve(response.headers.location);
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    expect(new URL(String(location)).origin).to.equal('http://proxy.test:8123');
  });

  it('answers the POST with 200 and an absolute session URI on the emulator, with upload_id', async () => {
    const uri = await initiate('', { name: 'named/in/body', contentType: 'text/x-body' });
    const location = new URL(uri);
    expect(location.origin).to.equal(gcs.emulator.endpoint);
    expect(location.pathname).to.equal(`/upload/storage/v1/b/${bucket.name}/o`);
    expect(location.searchParams.get('upload_id')).to.match(/^[A-Za-z0-9_-]{16,}$/);
    const done = await put(uri, 'bytes 0-1/2', Buffer.from('ok'));
    expect(done.status).to.equal(200);
    expect(await done.json()).to.include({
      name: 'named/in/body',
      contentType: 'text/x-body',
    });
  });

  it('takes X-Upload-Content-Type when the metadata has no contentType', async () => {
    const uri = await initiate('&name=typed', {}, { 'X-Upload-Content-Type': 'image/x-test' });
    const done = await put(uri, 'bytes 0-0/1', Buffer.from('x'));
    expect(((await done.json()) as { contentType: string }).contentType).to.equal('image/x-test');
  });

  it('goes chunk by chunk: 308 with Range, the object appearing only with the final chunk', async () => {
    const bytes = patternBytes(2 * quantum + 1000);
    const uri = await initiate('&name=chunked');
    await expectIncomplete(await put(uri, 'bytes */*'), 0);
    await expectIncomplete(
      await put(uri, `bytes 0-${String(quantum - 1)}/*`, bytes.subarray(0, quantum)),
      quantum,
    );
    await expectIncomplete(await put(uri, 'bytes */*'), quantum);
    const second = put(
      uri,
      `bytes ${String(quantum)}-${String(2 * quantum - 1)}/${String(bytes.length)}`,
      bytes.subarray(quantum, 2 * quantum),
    );
    await expectIncomplete(await second, 2 * quantum);
    expect(await exists('chunked')).to.be.false;

    const final = await put(
      uri,
      `bytes ${String(2 * quantum)}-${String(bytes.length - 1)}/${String(bytes.length)}`,
      bytes.subarray(2 * quantum),
    );
    expect(final.status).to.equal(200);
    const resource = (await final.json()) as Record<string, unknown>;
    expect(resource).to.include({
      kind: 'storage#object',
      name: 'chunked',
      size: String(bytes.length),
      md5Hash: md5(bytes),
      crc32c: crc32c(bytes),
    });
    expect((await contents('chunked')).equals(bytes)).to.be.true;
    // The finished session answers the object again, to a query or a resent chunk.
    const query = await put(uri, 'bytes */*');
    expect(query.status).to.equal(200);
    expect(((await query.json()) as { generation: string }).generation).to.equal(
      resource.generation,
    );
    const resent = await put(uri, `bytes 0-${String(quantum - 1)}/*`, bytes.subarray(0, quantum));
    expect(resent.status).to.equal(200);
    await resent.body?.cancel();
  });

  it('refuses a non-final chunk under 256 KiB with 400; keeps whole 256 KiB multiples of a larger one', async () => {
    const bytes = patternBytes(3 * quantum);
    const uri = await initiate('&name=quantum');
    const small = await put(uri, 'bytes 0-999/*', bytes.subarray(0, 1000));
    expect(small.status).to.equal(400);
    expect((await jsonError(small)).message).to.include('262144');
    await expectIncomplete(await put(uri, 'bytes */*'), 0);
    // 300 KiB sent, 256 KiB kept: the client resends from the Range's end, as the SDK does.
    const odd = 300 * KiB;
    await expectIncomplete(
      await put(uri, `bytes 0-${String(odd - 1)}/*`, bytes.subarray(0, odd)),
      quantum,
    );
    const rest = await put(
      uri,
      `bytes ${String(quantum)}-${String(bytes.length - 1)}/${String(bytes.length)}`,
      bytes.subarray(quantum),
    );
    expect(rest.status).to.equal(200);
    await rest.body?.cancel();
    expect((await contents('quantum')).equals(bytes)).to.be.true;
  });

  it('takes only the new bytes of a chunk that overlaps what is stored', async () => {
    const bytes = patternBytes(3 * quantum, 5);
    const uri = await initiate('&name=overlap');
    await expectIncomplete(
      await put(uri, `bytes 0-${String(2 * quantum - 1)}/*`, bytes.subarray(0, 2 * quantum)),
      2 * quantum,
    );
    // Resend from 256 KiB, with different bytes where it overlaps: the stored ones stay.
    const resent = Buffer.concat([Buffer.alloc(quantum, 0xee), bytes.subarray(2 * quantum)]);
    const response = await put(
      uri,
      `bytes ${String(quantum)}-${String(3 * quantum - 1)}/${String(bytes.length)}`,
      resent,
    );
    expect(response.status).to.equal(200);
    await response.body?.cancel();
    expect((await contents('overlap')).equals(bytes)).to.be.true;
  });

  it('refuses a chunk that starts past the stored end with 400, storing nothing of it', async () => {
    const bytes = patternBytes(2 * quantum);
    const uri = await initiate('&name=gap');
    const gap = await put(
      uri,
      `bytes ${String(quantum)}-${String(2 * quantum - 1)}/*`,
      bytes.subarray(quantum),
    );
    expect(gap.status).to.equal(400);
    expect((await jsonError(gap)).message).to.include('exceeds');
    await expectIncomplete(await put(uri, 'bytes */*'), 0);
  });

  it('refuses a body whose length is not what Content-Range says', async () => {
    const uri = await initiate('&name=short');
    const response = await put(uri, `bytes 0-${String(quantum - 1)}/*`, patternBytes(quantum - 1));
    expect(response.status).to.equal(400);
    await response.body?.cancel();
    await expectIncomplete(await put(uri, 'bytes */*'), 0);
  });

  it('finalizes with an empty final chunk, bytes */TOTAL, when TOTAL is what is stored', async () => {
    const bytes = patternBytes(quantum);
    const uri = await initiate('&name=empty-final');
    await expectIncomplete(await put(uri, `bytes 0-${String(quantum - 1)}/*`, bytes), quantum);
    await expectIncomplete(await put(uri, `bytes */${String(quantum + 1)}`), quantum);
    const less = await put(uri, `bytes */${String(quantum - 1)}`);
    expect(less.status).to.equal(400);
    await less.body?.cancel();
    const done = await put(uri, `bytes */${String(quantum)}`);
    expect(done.status).to.equal(200);
    expect(((await done.json()) as { size: string }).size).to.equal(String(quantum));
    expect((await contents('empty-final')).equals(bytes)).to.be.true;
  });

  it('makes an empty object from bytes */0', async () => {
    const uri = await initiate('&name=zero');
    const done = await put(uri, 'bytes */0');
    expect(done.status).to.equal(200);
    expect(((await done.json()) as { size: string }).size).to.equal('0');
  });

  it('cancels on DELETE with 499, and answers 499 to the session after; 404 to an unknown one', async () => {
    const uri = await initiate('&name=cancelled');
    await expectIncomplete(
      await put(uri, `bytes 0-${String(quantum - 1)}/*`, patternBytes(quantum)),
      quantum,
    );
    const cancel = await fetch(uri, { method: 'DELETE' });
    expect(cancel.status).to.equal(499);
    await cancel.body?.cancel();
    for (const range of ['bytes */*', 'bytes 0-0/1']) {
      const later = await put(uri, range, range === 'bytes */*' ? undefined : Buffer.from('x'));
      expect(later.status).to.equal(499);
      await later.body?.cancel();
    }
    expect(await exists('cancelled')).to.be.false;
    const unknown = new URL(uri);
    unknown.searchParams.set('upload_id', 'no-such-session');
    const missing = await put(unknown.href, 'bytes */*');
    expect(missing.status).to.equal(404);
    await missing.body?.cancel();
  });

  it('keeps sessions across an emulator restart on the same directory', async () => {
    const bytes = patternBytes(quantum + 10, 9);
    const uri = await initiate('&name=restarted');
    await expectIncomplete(
      await put(uri, `bytes 0-${String(quantum - 1)}/*`, bytes.subarray(0, quantum)),
      quantum,
    );
    await gcs.restart();
    await expectIncomplete(await put(uri, 'bytes */*'), quantum);
    const done = await put(
      uri,
      `bytes ${String(quantum)}-${String(bytes.length - 1)}/${String(bytes.length)}`,
      bytes.subarray(quantum),
    );
    expect(done.status).to.equal(200);
    // Hashed from the file: the running hash did not survive the restart.
    expect(await done.json()).to.include({
      md5Hash: md5(bytes),
      crc32c: crc32c(bytes),
    });
  });

  it('refuses a final chunk whose X-Goog-Hash does not match, and the session stays failed', async () => {
    const uri = await initiate('&name=bad-hash');
    const response = await fetch(uri, {
      method: 'PUT',
      headers: { 'Content-Range': 'bytes 0-3/4', 'X-Goog-Hash': `md5=${md5(Buffer.from('abcd'))}` },
      body: 'abce',
    });
    expect(response.status).to.equal(400);
    expect((await jsonError(response)).message).to.include('MD5');
    const again = await put(uri, 'bytes */*');
    expect(again.status).to.equal(400);
    await again.body?.cancel();
    expect(await exists('bad-hash')).to.be.false;
  });

  it('checks ifGenerationMatch=0 at the start and again when the object is committed', async () => {
    await bucket.file('taken').save('x', { resumable: false });
    const early = await fetch(
      `${gcs.emulator.endpoint}/upload/storage/v1/b/${bucket.name}/o?uploadType=resumable&name=taken&ifGenerationMatch=0`,
      { method: 'POST' },
    );
    expect(early.status).to.equal(412);
    await early.body?.cancel();
    const uri = await initiate('&name=raced&ifGenerationMatch=0');
    await bucket.file('raced').save('first', { resumable: false });
    const late = await put(uri, 'bytes 0-0/1', Buffer.from('y'));
    expect(late.status).to.equal(412);
    await late.body?.cancel();
    expect((await contents('raced')).toString()).to.equal('first');
  });

  describe('with the SDK', () => {
    const write = (stream: Writable, bytes: Buffer) => pipeline(Readable.from([bytes]), stream);

    it('uploads in one streamed request (no chunkSize: Content-Range bytes 0-*/*)', async () => {
      const bytes = patternBytes(3 * quantum + 77);
      await bucket.file('streamed').save(bytes, { resumable: true });
      expect((await contents('streamed')).equals(bytes)).to.be.true;
    });

    it('uploads chunk by chunk with chunkSize, validating crc32c and md5 at the end', async () => {
      const bytes = patternBytes(3 * quantum + 77, 2);
      await write(
        bucket
          .file('sdk-chunks')
          .createWriteStream({ resumable: true, chunkSize: quantum, validation: 'md5' }),
        bytes,
      );
      expect((await contents('sdk-chunks')).equals(bytes)).to.be.true;
    });

    it('uploads an empty object, streamed and chunked (bytes 0--1/0)', async () => {
      await bucket.file('empty-streamed').save(Buffer.alloc(0), { resumable: true });
      await write(
        bucket.file('empty-chunked').createWriteStream({ resumable: true, chunkSize: quantum }),
        Buffer.alloc(0),
      );
      for (const name of ['empty-streamed', 'empty-chunked']) {
        expect((await bucket.file(name).getMetadata())[0].size).to.equal('0');
      }
    });

    it('finishes a session whose bytes are all stored with an empty last write', async () => {
      const file = bucket.file('all-stored');
      const [uri] = await file.createResumableUpload();
      const bytes = patternBytes(quantum, 8);
      const options = { uri, chunkSize: quantum, resumable: true, validation: false } as const;
      await write(file.createWriteStream({ ...options, offset: 0, isPartialUpload: true }), bytes);
      // Nothing left to send: the SDK finalizes with bytes 262144-262143/262144.
      await write(
        file.createWriteStream({ ...options, offset: quantum, isPartialUpload: false }),
        Buffer.alloc(0),
      );
      expect((await contents('all-stored')).equals(bytes)).to.be.true;
    });

    it('continues a session from its URI alone: partial writes, then another client finishes', async () => {
      const file = bucket.file('partial');
      const [uri] = await file.createResumableUpload();
      const first = patternBytes(2 * quantum, 1);
      // offset 0: the SDK asks the session for its status first, then sends two chunks.
      await write(
        file.createWriteStream({
          uri,
          offset: 0,
          isPartialUpload: true,
          chunkSize: quantum,
          resumable: true,
          validation: false,
        }),
        first,
      );
      await expectIncomplete(await put(uri, 'bytes */*'), 2 * quantum);
      expect(await exists('partial')).to.be.false;

      const more = patternBytes(quantum, 2);
      await write(
        file.createWriteStream({
          uri,
          offset: 2 * quantum,
          isPartialUpload: true,
          chunkSize: quantum,
          resumable: true,
          validation: false,
        }),
        more,
      );
      await expectIncomplete(await put(uri, 'bytes */*'), 3 * quantum);

      // Another client, as another process would be: only the URI and the offset carry over.
      const other = sdkClient(gcs.emulator.endpoint, gcs.account)
        .bucket(bucket.name)
        .file('partial');
      const last = patternBytes(1234, 3);
      await write(
        other.createWriteStream({
          uri,
          offset: 3 * quantum,
          isPartialUpload: false,
          chunkSize: quantum,
          resumable: true,
          validation: false,
        }),
        last,
      );
      const whole = Buffer.concat([first, more, last]);
      expect((await contents('partial')).equals(whole)).to.be.true;
      const [metadata] = await other.getMetadata();
      expect(metadata.md5Hash).to.equal(md5(whole));
    });
  });

  it('decodes the name in the query: a%2Fb names a/b', async () => {
    const uri = await initiate('&name=a%2Fb');
    await (await put(uri, 'bytes 0-0/1', Buffer.from('z'))).body?.cancel();
    const response = await fetch(
      `${gcs.emulator.endpoint}${objectPath(bucket.name, 'a/b')}?alt=media`,
    );
    expect(await response.text()).to.equal('z');
  });
});
