import { badRequest } from './errors.js';

// What one PUT to a resumable session says about its body, from its Content-Range:
//
// - `bytes */*`: a status query, no body.
// - `bytes */T`: no body; finalizes when T bytes are stored (an empty final chunk).
// - `bytes a-b/*`, `bytes a-b/T`: bytes a..b; the last chunk when b + 1 = T.
// - `bytes a-*/*`, `bytes a-*/T`: from a to the end of this body, which ends the upload. The
//   SDK sends this when it streams without a chunkSize; GCS takes the end of the request as
//   the end of the object.
// - no header: the body is the whole object, as `bytes 0-*/*`.
// - `bytes a-(a-1)/T`: an empty chunk, as `bytes */T`. The SDK sends this (`bytes 0--1/0`,
//   `bytes N-(N-1)/N`) when a chunked upload ends with no bytes left to send.
export type UploadRange =
  | { kind: 'query'; total: number | undefined }
  | { kind: 'chunk'; first: number; last: number; total: number | undefined }
  | { kind: 'rest'; first: number; total: number | undefined };

export function parseUploadRange(header: string | undefined): UploadRange {
  if (header === undefined) return { kind: 'rest', first: 0, total: undefined };
  const match = /^bytes\s+(?:\*|(\d+)-(-?\d+|\*))\/(\*|\d+)$/.exec(header.trim());
  if (match === null) throw badRequest(`Invalid Content-Range header: ${header}`);
  const [, first, last, totalText = '*'] = match;
  const total = totalText === '*' ? undefined : Number(totalText);
  if (first === undefined) return { kind: 'query', total };
  if (last === '*') return { kind: 'rest', first: Number(first), total };
  const range = { kind: 'chunk', first: Number(first), last: Number(last), total } as const;
  if (range.last === range.first - 1) return { kind: 'query', total };
  if (range.last < range.first) throw badRequest(`Invalid Content-Range header: ${header}`);
  if (total !== undefined && range.last >= total) {
    throw badRequest(`Content-Range ${header} ends past the total size.`);
  }
  return range;
}
