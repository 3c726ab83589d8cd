import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { entityTooLarge } from './errors.js';
import { checkContentMd5, header } from './http-io.js';
import { removeQuietly, removeWhenClosed } from '@lading/emulator-kit';

/** The largest object a PutObject and the largest part an UploadPart may carry: 5 GiB. */
export const maxSinglePutSize = 5 * 1024 * 1024 * 1024;

/** What was written: its length and MD5. */
export interface WrittenBytes {
  size: number;
  md5: Buffer;
}

/**
 * Streams a PutObject or UploadPart body to `path`, hashing it on the way, with backpressure and
 * never more than a chunk in memory; then checks `Content-MD5` if one was sent. On any failure
 * (a client gone halfway, a bad digest) the file is removed.
 */
export async function receiveBody(req: IncomingMessage, path: string): Promise<WrittenBytes> {
  const declared = header(req, 'content-length');
  if (declared !== undefined && Number(declared) > maxSinglePutSize) {
    throw entityTooLarge({ MaxSizeAllowed: String(maxSinglePutSize), ProposedSize: declared });
  }
  const written = await writeHashed(req as AsyncIterable<Buffer>, path);
  try {
    checkContentMd5(req, written.md5);
  } catch (error) {
    await removeQuietly(path);
    throw error;
  }
  return written;
}

/**
 * Writes `source` to a new file at `path`, returning the size and MD5 of what was written: a
 * request body, a range of another object, or the parts of an upload one after the other. If
 * the source fails (a client gone halfway) the file is removed.
 */
export async function writeHashed(
  source: AsyncIterable<Buffer>,
  path: string,
): Promise<WrittenBytes> {
  const hash = createHash('md5');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  // 1 MiB buffered at most, in fewer and larger writes than the 16 KiB default.
  const sink = createWriteStream(path, { flags: 'wx', highWaterMark: 1024 * 1024 });
  try {
    await pipeline(source, meter, sink);
  } catch (error) {
    await removeWhenClosed(sink, path);
    throw error;
  }
  return { size, md5: hash.digest() };
}
