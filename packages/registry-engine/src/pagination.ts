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

/** The page of the sorted `entries` after `last`, and whether more follow it. */
export function pageOf(
  entries: readonly string[],
  request: PageRequest,
): { entries: string[]; truncated: boolean } {
  assertPageSize(request.n);
  const { last } = request;
  const after = last === undefined ? entries : entries.filter((entry) => entry > last);
  const n = request.n ?? after.length;
  return { entries: after.slice(0, n), truncated: after.length > n };
}
