import { invalidArgument } from './errors.js';

/** One entry of a listing page: an object's key, or a common prefix standing for keys under it. */
export interface PageEntry {
  name: string;
  isPrefix: boolean;
}

/**
 * One page of `names` in the byte order of their UTF-8 (as OSS sorts, unlike JS string order):
 * those under `prefix` and after `after`, with names that have `delimiter` past the prefix
 * rolled up into common prefixes (each once, and none at or before `after`: a page that ended
 * on a prefix goes on after everything under it), at most `max` entries, and whether more follow.
 */
export function listPage(
  names: Iterable<string>,
  options: { prefix: string; delimiter: string; after: string; max: number },
): { entries: PageEntry[]; truncated: boolean } {
  const { prefix, delimiter, after, max } = options;
  const sorted = [...names]
    .filter((name) => name.startsWith(prefix) && compareNames(name, after) > 0)
    .sort(compareNames);
  const entries: PageEntry[] = [];
  for (const name of sorted) {
    const cut = delimiter === '' ? -1 : name.indexOf(delimiter, prefix.length);
    if (cut === -1) {
      entries.push({ name, isPrefix: false });
    } else {
      const common = name.slice(0, cut + delimiter.length);
      if (compareNames(common, after) <= 0 || entries.at(-1)?.name === common) continue;
      entries.push({ name: common, isPrefix: true });
    }
    if (entries.length > max) return { entries: entries.slice(0, max), truncated: true };
  }
  return { entries, truncated: false };
}

/** Byte order of the UTF-8 encodings. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A `max-keys`-like parameter: 1–1000, `fallback` when absent; 400 InvalidArgument otherwise. */
export function limitParameter(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 1000)) {
    throw invalidArgument(`${name} must be between 1 and 1000.`, { ArgumentName: name });
  }
  return value;
}

/** `encoding-type`: absent, or `url` to have names URL-encoded in the answer. */
export function encodingOf(query: URLSearchParams): 'url' | undefined {
  const encoding = query.get('encoding-type');
  if (encoding === null) return undefined;
  if (encoding !== 'url') throw invalidArgument('encoding-type must be url.');
  return encoding;
}

/** With `encoding-type=url`, names go out URL-encoded (for characters XML cannot carry). */
export function encodeIfAsked(text: string, encoding: 'url' | undefined): string {
  return encoding === 'url' ? encodeURIComponent(text) : text;
}
