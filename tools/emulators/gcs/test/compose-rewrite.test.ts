import { createHash } from 'node:crypto';
import { CRC32C, type Bucket, type File } from '@google-cloud/storage';
import { expect } from 'chai';
import {
  apiFailure,
  jsonError,
  MiB,
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

describe('GCS emulator: compose, rewrite and copyTo', function () {
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

  const post = (path: string, body: object) =>
    fetch(`${gcs.emulator.endpoint}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  describe('compose', () => {
    it('concatenates sources: crc32c but no md5, componentCount, the SDK validating the download', async () => {
      const parts = [patternBytes(1000, 1), patternBytes(0), patternBytes(70_000, 2)];
      await Promise.all(
        parts.map((part, i) => bucket.file(`part-${String(i)}`).save(part, { resumable: false })),
      );
      const [combined] = await bucket.combine(['part-0', 'part-1', 'part-2'], 'combined');
      const whole = Buffer.concat(parts);
      const [metadata] = await combined.getMetadata();
      expect(metadata).to.include({
        size: String(whole.length),
        crc32c: crc32c(whole),
        componentCount: 3,
      });
      expect(metadata).to.not.have.property('md5Hash');
      // crc32c validation is on by default: a wrong crc32c would fail this download.
      expect((await combined.download())[0].equals(whole)).to.be.true;
      const media = await fetch(
        `${gcs.emulator.endpoint}${objectPath(bucket.name, 'combined')}?alt=media`,
      );
      expect(media.headers.get('x-goog-hash')).to.equal(`crc32c=${crc32c(whole)}`);
      await media.body?.cancel();
    });

    it('may write over one of its sources, and adds up the component counts of composites', async () => {
      await bucket.file('log').save('a', { resumable: false });
      await bucket.file('more').save('b', { resumable: false });
      await bucket.combine(['log', 'more'], 'log');
      await bucket.combine(['log', 'more', 'log'], 'log');
      const [metadata] = await bucket.file('log').getMetadata();
      expect(metadata.componentCount).to.equal(2 + 1 + 2);
      expect((await bucket.file('log').download())[0].toString()).to.equal('abbab');
    });

    it('takes the destination contentType and metadata', async () => {
      await bucket.file('x').save('x', { resumable: false });
      const response = await post(`${objectPath(bucket.name, 'typed')}/compose`, {
        sourceObjects: [{ name: 'x' }],
        destination: { contentType: 'text/x-composed', metadata: { k: 'v' } },
      });
      expect(response.status).to.equal(200);
      const resource = (await response.json()) as Record<string, unknown>;
      expect(resource).to.include({ contentType: 'text/x-composed', componentCount: 1 });
      expect(resource.metadata).to.deep.equal({ k: 'v' });
    });

    it('refuses more than 32 sources and more than 1024 components with 400', async () => {
      await bucket.file('one').save('1', { resumable: false });
      const tooMany = await post(`${objectPath(bucket.name, 'big')}/compose`, {
        sourceObjects: Array.from({ length: 33 }, () => ({ name: 'one' })),
      });
      expect(tooMany.status).to.equal(400);
      expect((await jsonError(tooMany)).message).to.include('33');

      const thirtyTwo = Array.from({ length: 32 }, () => 'one');
      await bucket.combine(thirtyTwo, 'c32');
      await bucket.combine(
        Array.from({ length: 32 }, () => 'c32'),
        'c1024',
      );
      expect((await bucket.file('c1024').getMetadata())[0].componentCount).to.equal(1024);
      const over = await apiFailure(bucket.combine(['c1024', 'one'], 'c1025'));
      expect(over.code).to.equal(400);
      expect(over.message).to.include('1024');
    });

    it('answers 404 for a missing source or a generation that is not live, 412 for a failed condition', async () => {
      await bucket.file('src').save('s', { resumable: false });
      const generation = Number((await bucket.file('src').getMetadata())[0].generation);
      const missing = await post(`${objectPath(bucket.name, 'd')}/compose`, {
        sourceObjects: [{ name: 'src' }, { name: 'nope' }],
      });
      expect(missing.status).to.equal(404);
      expect((await jsonError(missing)).message).to.equal(`No such object: ${bucket.name}/nope`);
      const stale = await post(`${objectPath(bucket.name, 'd')}/compose`, {
        sourceObjects: [{ name: 'src', generation: generation - 1 }],
      });
      expect(stale.status).to.equal(404);
      await stale.body?.cancel();
      const condition = await post(`${objectPath(bucket.name, 'd')}/compose`, {
        sourceObjects: [
          { name: 'src', objectPreconditions: { ifGenerationMatch: generation + 1 } },
        ],
      });
      expect(condition.status).to.equal(412);
      await condition.body?.cancel();
      const destination = await post(
        `${objectPath(bucket.name, 'src')}/compose?ifGenerationMatch=0`,
        {
          sourceObjects: [{ name: 'src', generation }],
        },
      );
      expect(destination.status).to.equal(412);
      await destination.body?.cancel();
    });
  });

  describe('rewrite', () => {
    /** Adds `maxBytesRewrittenPerCall` to every rewrite request `file` makes, the SDK's follow-ups too. */
    function limitRewrites(file: File, bytes: number): string[] {
      const calls: string[] = [];
      file.interceptors.push({
        request: (options) => {
          // The SDK's request options: a URI relative to the API root, and the query.
          const request = options as typeof options & { uri: string };
          const qs = (request.qs ?? {}) as Record<string, unknown>;
          if (request.uri.includes('/rewriteTo/')) {
            calls.push(typeof qs.rewriteToken === 'string' ? qs.rewriteToken : 'first');
            request.qs = { ...qs, maxBytesRewrittenPerCall: bytes };
          }
          return request;
        },
      });
      return calls;
    }

    it('copies in one call through the SDK, keeping checksums and metadata', async () => {
      const bytes = patternBytes(3 * MiB + 5);
      await bucket.file('source').save(bytes, {
        resumable: false,
        contentType: 'application/x-src',
        metadata: { metadata: { m: '1' } },
      });
      const other = await gcs.bucket();
      const [copy] = await bucket.file('source').copy(other.file('copied'));
      const [metadata] = await copy.getMetadata();
      expect(metadata).to.include({
        contentType: 'application/x-src',
        md5Hash: md5(bytes),
        crc32c: crc32c(bytes),
      });
      expect(metadata.metadata).to.deep.equal({ m: '1' });
      expect((await copy.download())[0].equals(bytes)).to.be.true;
    });

    it('goes call by call with maxBytesRewrittenPerCall, the SDK following each rewriteToken', async () => {
      const bytes = patternBytes(3 * MiB + 5, 4);
      const source = bucket.file('source');
      await source.save(bytes, { resumable: false });
      const calls = limitRewrites(source, MiB);
      const [copy] = await source.copy(bucket.file('copy'));
      // 1 + 1 + 1 + 5 bytes: four calls, each after the first carrying the previous token.
      expect(calls).to.have.length(4);
      expect(calls[0]).to.equal('first');
      expect(new Set(calls).size).to.equal(4);
      expect((await copy.download())[0].equals(bytes)).to.be.true;
    });

    it('answers done:false with a token, then done:true with the resource, on the raw API', async () => {
      const bytes = patternBytes(MiB + 1, 6);
      await bucket.file('raw-src').save(bytes, { resumable: false });
      const path = `${objectPath(bucket.name, 'raw-src')}/rewriteTo/b/${bucket.name}/o/raw-dst`;
      const first = await post(`${path}?maxBytesRewrittenPerCall=${String(MiB)}`, {});
      const progress = (await first.json()) as Record<string, unknown>;
      expect(progress).to.deep.include({
        kind: 'storage#rewriteResponse',
        totalBytesRewritten: String(MiB),
        objectSize: String(MiB + 1),
        done: false,
      });
      expect(progress.rewriteToken).to.be.a('string');
      expect((await bucket.file('raw-dst').exists())[0]).to.be.false;
      const token = encodeURIComponent(String(progress.rewriteToken));
      const second = await post(
        `${path}?maxBytesRewrittenPerCall=${String(MiB)}&rewriteToken=${token}`,
        {},
      );
      const result = (await second.json()) as {
        done: boolean;
        totalBytesRewritten: string;
        resource: { name: string };
      };
      expect(result).to.deep.include({ done: true, totalBytesRewritten: String(MiB + 1) });
      expect(result.resource.name).to.equal('raw-dst');
      expect((await bucket.file('raw-dst').download())[0].equals(bytes)).to.be.true;
      // A token is only good for its own rewrite; the per-call limit must be whole MiB.
      const foreign = await post(
        `${objectPath(bucket.name, 'raw-dst')}/rewriteTo/b/${bucket.name}/o/x?rewriteToken=${token}`,
        {},
      );
      expect(foreign.status).to.equal(400);
      await foreign.body?.cancel();
      const odd = await post(`${path}?maxBytesRewrittenPerCall=1000`, {});
      expect(odd.status).to.equal(400);
      await odd.body?.cancel();
    });

    it('answers 404 for a missing source and 412 when the destination condition fails', async () => {
      const missing = await apiFailure(bucket.file('nothing').copy('anything'));
      expect(missing.code).to.equal(404);
      await bucket.file('a').save('a', { resumable: false });
      await bucket.file('b').save('b', { resumable: false });
      const taken = await apiFailure(
        bucket.file('a').copy('b', { preconditionOpts: { ifGenerationMatch: 0 } }),
      );
      expect(taken.code).to.equal(412);
      expect((await bucket.file('b').download())[0].toString()).to.equal('b');
    });

    it('copies a composite object as a composite: no md5, its componentCount', async () => {
      await bucket.file('p').save('p', { resumable: false });
      await bucket.combine(['p', 'p'], 'pp');
      const [copy] = await bucket.file('pp').copy('pp-copy');
      const [metadata] = await copy.getMetadata();
      expect(metadata.componentCount).to.equal(2);
      expect(metadata).to.not.have.property('md5Hash');
    });
  });

  describe('copyTo', () => {
    it('copies in one call and answers the object resource', async () => {
      await bucket.file('from').save('copy me', { resumable: false, contentType: 'text/plain' });
      const response = await post(
        `${objectPath(bucket.name, 'from')}/copyTo/b/${bucket.name}/o/to`,
        {},
      );
      expect(response.status).to.equal(200);
      expect(await response.json()).to.include({
        kind: 'storage#object',
        name: 'to',
        contentType: 'text/plain',
      });
      expect((await bucket.file('to').download())[0].toString()).to.equal('copy me');
    });
  });
});
