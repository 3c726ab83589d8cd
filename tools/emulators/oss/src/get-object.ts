import { pipeline } from 'node:stream/promises';
import { checkConditions } from './conditions.js';
import { bucketOf, type RequestContext } from './context.js';
import { httpDate } from './dates.js';
import { header } from './http-io.js';
import { objectHeaders, quoted } from './object-record.js';
import { rangeOf } from './range.js';

// GetObject's query parameters that replace a stored header in the response.
// Reads from disk in 1 MiB pieces: fewer, larger writes to the socket than the 64 KiB default.
const chunkSize = 1024 * 1024;

const responseOverrides: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/**
 * GetObject and HeadObject (`GET|HEAD /key`): the object streamed from disk with backpressure
 * (HEAD: its headers only), after the conditions and within the Range (range.ts).
 */
export async function getObject(context: RequestContext): Promise<void> {
  const { req, res, query } = context;
  const { record, file } = await context.emulator.store.openLive(
    bucketOf(context),
    context.address.key,
  );
  let streaming = false;
  try {
    checkConditions(req, record);
    const standard = header(req, 'x-oss-range-behavior') === 'standard';
    const range = rangeOf(header(req, 'range'), record.size, standard);
    const { start, end } = range ?? { start: 0, end: record.size - 1 };
    const headers: Record<string, string | number> = {
      ...objectHeaders(record),
      'content-length': end - start + 1,
    };
    for (const [parameter, name] of Object.entries(responseOverrides)) {
      const value = query.get(parameter);
      if (value !== null) headers[name] = value;
    }
    if (range !== undefined) {
      headers['content-range'] = `bytes ${String(start)}-${String(end)}/${String(record.size)}`;
    }
    res.writeHead(range === undefined ? 200 : 206, headers);
    if (req.method === 'HEAD' || end < start) {
      res.end();
      return;
    }
    streaming = true;
    // The stream closes the file when it ends or fails; a client that leaves destroys `res` and
    // so the stream, as pipeline() tears down both sides.
    await pipeline(file.createReadStream({ start, end, highWaterMark: chunkSize }), res);
  } finally {
    if (!streaming) await file.close();
  }
}

/**
 * GetObjectMeta (`HEAD /key?objectMeta`): the few headers OSS returns for it, among them the
 * object's `Content-Length` (ali-oss's multipartUploadCopy reads the size from it).
 */
export function getObjectMeta(context: RequestContext): void {
  const record = context.emulator.store.require(bucketOf(context), context.address.key);
  context.res.writeHead(200, {
    etag: quoted(record.etag),
    'content-length': record.size,
    'last-modified': httpDate(record.lastModified),
  });
  context.res.end();
}
