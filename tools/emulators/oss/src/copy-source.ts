import type { IncomingMessage } from 'node:http';
import { checkConditions } from './conditions.js';
import { invalidArgument, notImplemented } from './errors.js';
import { header } from './http-io.js';
import type { ObjectRecord } from './object-record.js';
import type { ObjectStore } from './object-store.js';
import type { ByteRange } from './range.js';

/** The object `x-oss-copy-source` names, its conditions checked. */
export interface CopySource {
  record: ObjectRecord;
  /** The bytes of `range` (all of them by default), read from the data file as it is now. */
  read(range?: ByteRange): AsyncIterable<Buffer>;
  /** Closes the source's data file; always call it. */
  close(): Promise<void>;
}

/**
 * `x-oss-copy-source: /bucket/key`, the key URL-encoded (ali-oss encodes `/` too): 404
 * NoSuchBucket or NoSuchKey if it is not there, and the `x-oss-copy-source-if-*` conditions
 * checked against it (412, or 304 for if-none-match and if-modified-since).
 */
export async function copySource(req: IncomingMessage, store: ObjectStore): Promise<CopySource> {
  const value = header(req, 'x-oss-copy-source') ?? '';
  const match = /^\/([^/]+)\/(.+)$/.exec(value);
  if (match === null) {
    throw invalidArgument('x-oss-copy-source must be /bucket/key.', { 'x-oss-copy-source': value });
  }
  const [, bucket = '', encodedKey = ''] = match;
  if (encodedKey.includes('?')) {
    throw notImplemented('copying a version (versionId in x-oss-copy-source)');
  }
  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    throw invalidArgument('x-oss-copy-source is not URL-encoded correctly.');
  }
  // Opened now: a writer replacing the source meanwhile does not change what is copied.
  const { record, file } = await store.openLive(bucket, key);
  try {
    checkConditions(req, record, 'x-oss-copy-source-');
  } catch (error) {
    await file.close();
    throw error;
  }
  return {
    record,
    read: (range) => file.createReadStream({ ...range, autoClose: false }) as AsyncIterable<Buffer>,
    close: () => file.close(),
  };
}

/**
 * UploadPartCopy's `x-oss-copy-source-range: bytes=a-b`, within an object of `size` bytes:
 * undefined (the whole object) without it, 400 InvalidArgument if it is malformed or reaches
 * past the end.
 */
export function copyRange(req: IncomingMessage, size: number): ByteRange | undefined {
  const value = header(req, 'x-oss-copy-source-range');
  if (value === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (match === null || end < start || end >= size) {
    throw invalidArgument(
      `The range ${value} is not valid for a source of ${String(size)} bytes.`,
      {
        'x-oss-copy-source-range': value,
      },
    );
  }
  return { start, end };
}
