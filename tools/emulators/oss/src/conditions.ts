import type { IncomingMessage } from 'node:http';
import { parseRequestTime } from './dates.js';
import { notModified, preconditionFailed } from './errors.js';
import { header } from './http-io.js';
import type { ObjectRecord } from './object-record.js';

/**
 * HTTP's conditions against an object: on GetObject and HeadObject `If-Match`,
 * `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`; on CopyObject and
 * UploadPartCopy the same with the prefix `x-oss-copy-source-`, against the source.
 * A failed If-Match or If-Unmodified-Since is 412; a failed If-None-Match or
 * If-Modified-Since is 304.
 */
export function checkConditions(req: IncomingMessage, record: ObjectRecord, prefix = ''): void {
  const get = (name: string) => header(req, `${prefix}${name}`);
  const ifMatch = get('if-match');
  if (ifMatch !== undefined && !etagsInclude(ifMatch, record.etag)) {
    throw preconditionFailed(`${prefix}If-Match`);
  }
  const unmodifiedSince = time(get('if-unmodified-since'));
  if (unmodifiedSince !== undefined && record.lastModified > unmodifiedSince) {
    throw preconditionFailed(`${prefix}If-Unmodified-Since`);
  }
  const ifNoneMatch = get('if-none-match');
  if (ifNoneMatch !== undefined && etagsInclude(ifNoneMatch, record.etag)) throw notModified();
  const modifiedSince = time(get('if-modified-since'));
  if (modifiedSince !== undefined && record.lastModified <= modifiedSince) throw notModified();
}

/** Whether a list of ETags (`"A", "B"` or `*`) names this one; quotes and case aside. */
function etagsInclude(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((item) => item.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toUpperCase())
    .some((item) => item === '*' || item === etag);
}

function time(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseRequestTime(text);
}
