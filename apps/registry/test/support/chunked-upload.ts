import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';

const MiB = 1024 * 1024;

/** What `pushAndPull` checked, for the caller to look further. */
export interface PushedAndPulled {
  readonly digest: string;
  /** Where the download's body finally came from: the server, or the store it redirected to. */
  readonly downloadedFrom: string;
}

/**
 * Pushes a layer of `size` bytes to `repository` in PATCHes of `patchSize` bytes (choose a
 * size that is not a multiple of the store's part or segment size, so that every PATCH ends
 * with a tail that must survive the writer's close), completes it with a PUT, then reads it
 * back with a GET (following any redirect) and checks every byte.
 */
export async function pushAndPull(
  url: string,
  repository: string,
  size: number,
  patchSize: number,
): Promise<PushedAndPulled> {
  const sent = createHash('sha256');
  const started = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expect(started.status).to.equal(202);
  let location = new URL(String(started.headers.get('location')), url);
  for (let offset = 0; offset < size; offset += patchSize) {
    const end = Math.min(size, offset + patchSize);
    const response = await fetch(location, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${String(offset)}-${String(end - 1)}`,
      },
      body: Readable.from(layerBytes(offset, end, sent)),
      duplex: 'half',
    });
    expect(response.status, await response.clone().text()).to.equal(202);
    expect(response.headers.get('range')).to.equal(`0-${String(end - 1)}`);
    location = new URL(String(response.headers.get('location')), url);
  }
  const digest = `sha256:${sent.digest('hex')}`;
  location.searchParams.set('digest', digest);
  const completed = await fetch(location, { method: 'PUT' });
  expect(completed.status, await completed.clone().text()).to.equal(201);

  const head = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length')]).to.deep.equal([200, String(size)]);
  const download = await fetch(`${url}/v2/${repository}/blobs/${digest}`);
  expect(download.status).to.equal(200);
  expect(await digestOfBody(download)).to.deep.equal({ bytes: size, digest });
  return { digest, downloadedFrom: download.url };
}

/** The length and sha256 digest of a response body, read as a stream. */
export async function digestOfBody(response: Response): Promise<{ bytes: number; digest: string }> {
  const received = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    received.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, digest: `sha256:${received.digest('hex')}` };
}

/** Bytes [start, end) of the layer, 1 MiB blocks each unlike the others, hashed as they go. */
function* layerBytes(
  start: number,
  end: number,
  hash: ReturnType<typeof createHash>,
): Generator<Buffer> {
  const block = Buffer.alloc(MiB);
  for (let offset = start; offset < end;) {
    const index = Math.floor(offset / MiB);
    block.fill(index % 251);
    block.writeUInt32BE(index, 0);
    const from = offset - index * MiB;
    const piece = block.subarray(from, Math.min(MiB, end - index * MiB));
    hash.update(piece);
    yield Buffer.from(piece);
    offset += piece.length;
  }
}
