import { mapLimit } from './concurrency.js';
import { PaginationNumberInvalidError } from './errors.js';

/** `n` and `last` of tag and catalog listings (`last` is exclusive). */
export interface PageRequest {
  /** At most this many entries; all of them when absent. */
  readonly n?: number;
  /** Start after this entry. */
  readonly last?: string;
}

export function assertPageSize(n: number | undefined): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0))
    throw new PaginationNumberInvalidError(n);
}

/** The sorted `entries` after `last` (exclusive), all of them without one. */
export function entriesAfter(
  entries: readonly string[],
  last: string | undefined,
): readonly string[] {
  return last === undefined ? entries : entries.filter((entry) => entry > last);
}

/**
 * The page after `last` of the sorted `entries` for which `probe` finds
 * something, each with what it found, and whether more such entries follow.
 *
 * Storage lists names that may not stand for anything yet (a tag directory a
 * crash left without its `current/link`), so each is probed, `limit` at a
 * time, but only as far as the page needs: `n + 1` probes when every entry is
 * good (the one past the page says whether more follow), all of them for a
 * full listing.
 */
export async function probedPage<T>(
  entries: readonly string[],
  request: PageRequest,
  limit: number,
  probe: (entry: string) => Promise<T | undefined>,
  /** What is known of an entry without storage; `probe` runs only where this gives nothing. */
  known: (entry: string) => T | undefined = () => undefined,
): Promise<{ entries: { name: string; found: T }[]; truncated: boolean }> {
  assertPageSize(request.n);
  const after = entriesAfter(entries, request.last);
  const n = request.n ?? after.length;
  const good: { name: string; found: T }[] = [];
  let next = 0;
  while (good.length <= n && next < after.length) {
    const batch = after.slice(next, next + n + 1 - good.length);
    next += batch.length;
    const results: (T | undefined)[] = batch.map(known);
    const unknown = batch.flatMap((entry, index) =>
      results[index] === undefined ? [{ entry, index }] : [],
    );
    const probed = await mapLimit(unknown, limit, ({ entry }) => probe(entry));
    unknown.forEach(({ index }, position) => (results[index] = probed[position]));
    batch.forEach((name, index) => {
      const found = results[index];
      if (found !== undefined) good.push({ name, found });
    });
  }
  return { entries: good.slice(0, n), truncated: good.length > n };
}
