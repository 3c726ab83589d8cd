/** An inclusive byte range of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A multipart API's bounds on the size of a part. */
export interface PartSizeLimits {
  /** Every part but the last must be at least this big. */
  readonly minimum: number;
  /** No part may be bigger. */
  readonly maximum: number;
}

/**
 * Splits `size` bytes into ranges of `chunkSize` for a server-side multipart copy. A last
 * range under the store's part minimum is folded into the one before — also the last range
 * of all, since a writer may append more parts after the copied ones — and a folded range
 * over the maximum is split in two.
 */
export function partRanges(size: number, chunkSize: number, limits: PartSizeLimits): ByteRange[] {
  const lengths: number[] = [];
  for (let offset = 0; offset < size; offset += chunkSize) {
    lengths.push(Math.min(chunkSize, size - offset));
  }
  const last = lengths.at(-1);
  if (lengths.length > 1 && last !== undefined && last < limits.minimum) {
    lengths.pop();
    const merged = (lengths.pop() ?? 0) + last;
    if (merged <= limits.maximum) lengths.push(merged);
    else lengths.push(Math.ceil(merged / 2), Math.floor(merged / 2));
  }
  const ranges: ByteRange[] = [];
  let start = 0;
  for (const length of lengths) {
    ranges.push({ start, end: start + length - 1 });
    start += length;
  }
  return ranges;
}
