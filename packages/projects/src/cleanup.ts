import { RE2JS } from 're2js';
import { InvalidInputError } from './errors.js';
import type { TagDetails } from './repositories.js';

/** GitLab's bulk tag deletion parameters (`DELETE …/registry/repositories/:id/tags`). */
export interface CleanupRules {
  /** Tags whose whole name matches are candidates for deletion. Required. */
  readonly nameRegexDelete: string;
  /** Tags whose whole name matches are kept, even if `nameRegexDelete` matches too. */
  readonly nameRegexKeep?: string;
  /** The newest `keepN` of the tags the patterns select (by creation time) are kept. */
  readonly keepN?: number;
  /** Only tags older than this many milliseconds are deleted. */
  readonly olderThanMs?: number;
}

export const maxPatternLength = 255;

/**
 * The tags `rules` delete, newest first, GitLab's way: `latest` is never
 * deleted; `nameRegexKeep` beats `nameRegexDelete`; of the tags left, the
 * newest `keepN` stay (GitLab counts them after the name filters, so tags
 * the patterns never select do not use up `keepN`); only tags older than
 * `olderThanMs` go. A tag without a creation time counts as oldest.
 */
export function tagsToDelete(
  tags: readonly TagDetails[],
  rules: CleanupRules,
  now: Date,
): TagDetails[] {
  const remove = wholeMatch('name_regex_delete', rules.nameRegexDelete);
  const keep =
    rules.nameRegexKeep === undefined
      ? undefined
      : wholeMatch('name_regex_keep', rules.nameRegexKeep);
  const newestFirst = [...tags].sort((a, b) => time(b) - time(a) || a.name.localeCompare(b.name));
  const selected = newestFirst.filter(
    (tag) => tag.name !== 'latest' && remove.test(tag.name) && keep?.test(tag.name) !== true,
  );
  const cutoff = rules.olderThanMs === undefined ? Infinity : now.getTime() - rules.olderThanMs;
  return selected.slice(rules.keepN ?? 0).filter((tag) => time(tag) < cutoff);
}

function time(tag: TagDetails): number {
  return tag.createdAt?.getTime() ?? 0;
}

/** A compiled name pattern: does it match the whole tag? */
export interface TagPattern {
  test(name: string): boolean;
}

/**
 * The pattern, matched against the whole tag, with RE2's syntax and
 * semantics as GitLab's (re2js, a JavaScript port of RE2). RE2 runs in time
 * linear in the tag's length whatever the pattern, so no pattern a
 * maintainer sends (`(a+)+`, `(a|a)*`) can stall the server the way
 * JavaScript's backtracking engine would.
 */
export function wholeMatch(field: string, pattern: string): TagPattern {
  if (pattern.length > maxPatternLength) {
    throw new InvalidInputError(field, `is longer than ${maxPatternLength} characters`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new InvalidInputError(
      field,
      `is not an RE2 regular expression: ${(error as Error).message}`,
    );
  }
  return { test: (name) => compiled.matches(name) };
}

const durationUnits: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  month: 30 * 86_400_000,
  months: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** `older_than` as GitLab writes it (`1h`, `7d`, `2w`, `1month`), in ms. */
export function parseAge(field: string, text: string): number {
  const match = /^(\d{1,6})\s*(min|months?|m|h|d|w|y)$/.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : durationUnits[match[2]];
  if (match === null || unit === undefined) {
    throw new InvalidInputError(field, `"${text}" is not an age like 1h, 7d, 2w or 1month`);
  }
  return Number(match[1]) * unit;
}
