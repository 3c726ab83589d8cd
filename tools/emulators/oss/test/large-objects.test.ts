import { expect } from 'chai';
import { MiB, ossFailure, patternBytes, startTestEmulator, type TestEmulator } from './helpers.js';
import { rawFetch } from './raw-client.js';

describe('OSS emulator: large objects', function () {
  this.timeout(120_000);
  let oss: TestEmulator;
  let bucket: string;
  const GiB = 1024 * MiB;
  const size = GiB + 1;
  const chunk = patternBytes(MiB, 3);

  before(async () => {
    oss = await startTestEmulator();
    bucket = await oss.bucket();
  });
  after(() => oss.stop());

  /** `size` bytes of `chunk` over and over, produced as the request pulls them. */
  function body(): ReadableStream<Uint8Array> {
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === size) {
          controller.close();
          return;
        }
        const next = chunk.subarray(0, Math.min(chunk.length, size - sent));
        controller.enqueue(next);
        sent += next.length;
      },
    });
  }

  /** The byte at `offset` of that body. */
  const byteAt = (offset: number) => chunk[offset % MiB];

  it('streams 1 GiB + 1 byte up and down with memory staying flat; CopyObject refuses it, UploadPartCopy copies ranges of it', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const put = await rawFetch(oss.emulator.endpoint, oss.key, {
        method: 'PUT',
        bucket,
        key: 'huge',
        body: body(),
      });
      expect(put.status).to.equal(200);
      expect(put.headers.get('etag')).to.match(/^"[0-9A-F]{32}"$/);
      const { stream } = await oss.client(bucket).getStream('huge');
      let received = 0;
      for await (const part of stream as AsyncIterable<Buffer>) received += part.length;
      expect(received).to.equal(size);
    } finally {
      clearInterval(sampler);
    }
    // Both ends live in this process; a copy of the object anywhere would add 1 GiB.
    expect(peak - before).to.be.below(128 * MiB);

    const client = oss.client(bucket);
    const copy = await ossFailure(client.copy('huge-copy', 'huge'));
    expect(copy).to.include({ status: 400, code: 'EntityTooLarge' });
    const { uploadId } = await client.initMultipartUpload('tail');
    const sourceData = { sourceKey: 'huge', sourceBucketName: bucket };
    const part = await client.uploadPartCopy(
      'tail',
      uploadId,
      1,
      `${String(size - 10)}-${String(size - 1)}`,
      sourceData,
    );
    await client.completeMultipartUpload('tail', uploadId, [{ number: 1, etag: part.etag }]);
    const tail = (await client.get('tail')).content;
    expect([...tail]).to.deep.equal(
      Array.from({ length: 10 }, (_, index) => byteAt(size - 10 + index)),
    );
    const last = await client.get('huge', { headers: { Range: `bytes=${String(size - 1)}-` } });
    expect(last.res.status).to.equal(206);
    expect([...last.content]).to.deep.equal([byteAt(size - 1)]);
  });
});
