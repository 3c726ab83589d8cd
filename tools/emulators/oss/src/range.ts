import { OssError } from './errors.js';

/** An inclusive byte range within an object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The part of an object of `size` bytes a GetObject `Range` asks for, as OSS serves it:
 * undefined for the whole object (200), a range (206), or 416 InvalidRange thrown.
 *
 * By default OSS is lenient where HTTP is not: a range it cannot serve exactly (an end past the
 * last byte, a start at or past it, a suffix longer than the object, a malformed header) is
 * ignored and the whole object comes back with 200. With `x-oss-range-behavior: standard` it
 * follows HTTP: an end past the last byte is cut to it (206), a start at or past the end is 416,
 * which on an empty object is every range. In both modes only the first of several ranges
 * counts.
 */
export function rangeOf(
  header: string | undefined,
  size: number,
  standard: boolean,
): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)(?:,.*)?$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return suffix(Number(last), size, standard);
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return undefined;
  if (start >= size) {
    if (standard) throw invalidRange(size);
    return undefined;
  }
  if (end >= size && last !== '' && !standard) return undefined;
  return { start, end: Math.min(end, size - 1) };
}

/** `bytes=-n`: the last n bytes. */
function suffix(length: number, size: number, standard: boolean): ByteRange | undefined {
  if (length === 0 || size === 0) {
    if (standard) throw invalidRange(size);
    return undefined;
  }
  if (length > size && !standard) return undefined;
  return { start: Math.max(0, size - length), end: size - 1 };
}

function invalidRange(size: number): OssError {
  return new OssError(
    416,
    'InvalidRange',
    'The requested range cannot be satisfied',
    {},
    {
      'content-range': `bytes */${String(size)}`,
    },
  );
}
