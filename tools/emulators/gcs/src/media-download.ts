import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { googHashHeader } from './checksums.js';
import { GcsError } from './errors.js';
import { objectEtag, type ObjectRecord } from './object-record.js';
import type { ObjectStore } from './object-store.js';

/** An inclusive byte range within an object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one range of a `Range` header against an object of `size` bytes: a range, undefined to
 * send the whole object (no header, a malformed one, or several ranges: GCS serves the whole
 * object then), or 'unsatisfiable' (416) when it starts at or past the end. A 0-byte object
 * has no byte to start at, so `bytes=0-` is unsatisfiable there too, as GCS answers.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    if (size === 0) return undefined;
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { start, end };
}

/**
 * Streams the object `lookup` names (or a Range of it) from disk with backpressure, and the
 * headers the SDK reads: `x-goog-hash` and `x-goog-stored-content-encoding` (without which it
 * skips validation), `x-goog-generation`, the stored length. HEAD sends the headers only.
 */
export async function sendMedia(
  req: IncomingMessage,
  res: ServerResponse,
  store: ObjectStore,
  lookup: () => ObjectRecord,
  /** Headers that replace the stored ones, e.g. a signed URL's `response-content-type`. */
  overrides: Readonly<Record<string, string>> = {},
): Promise<void> {
  const { record, file } = await store.openLive(lookup);
  let streaming = false;
  try {
    const range = parseRange(req.headers.range, record.size);
    if (range === 'unsatisfiable') {
      throw new GcsError(416, 'requestedRangeNotSatisfiable', 'Request range not satisfiable', {
        'Content-Range': `bytes */${String(record.size)}`,
      });
    }
    const { start, end } = range ?? { start: 0, end: record.size - 1 };
    const length = end - start + 1;
    const headers: Record<string, string | number> = {
      ...mediaHeaders(record),
      ...overrides,
      'Content-Length': length,
    };
    if (range !== undefined)
      headers['Content-Range'] = `bytes ${String(start)}-${String(end)}/${String(record.size)}`;
    res.writeHead(range === undefined ? 200 : 206, headers);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    streaming = true;
    // The stream closes the file when it ends or fails; a client that leaves destroys `res`
    // and so the stream, as pipeline() tears down both sides.
    await pipeline(file.createReadStream({ start, end }), res);
  } finally {
    if (!streaming) await file.close();
  }
}

function mediaHeaders(record: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': record.contentType ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: objectEtag(record),
    'Last-Modified': new Date(record.updated).toUTCString(),
    'x-goog-generation': record.generation,
    'x-goog-metageneration': record.metageneration,
    'x-goog-stored-content-length': String(record.size),
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-storage-class': 'STANDARD',
    'x-goog-hash': googHashHeader(record),
  };
  if (record.cacheControl !== undefined) headers['Cache-Control'] = record.cacheControl;
  if (record.contentDisposition !== undefined) {
    headers['Content-Disposition'] = record.contentDisposition;
  }
  if (record.contentLanguage !== undefined) headers['Content-Language'] = record.contentLanguage;
  return headers;
}
