import { requireParam, type RequestContext } from './context.js';
import { badRequest, notImplemented } from './errors.js';
import { sendJson } from './http-io.js';
import { objectResource, type ObjectRecord } from './object-record.js';

// GCS serves at most 1000 entries a page, whatever maxResults asks.
const maxPage = 1000;
// Listing options whose meaning is not emulated: refused rather than ignored.
const unsupported = [
  'matchGlob',
  'includeTrailingDelimiter',
  'versions',
  'softDeleted',
  'includeFoldersAsPrefixes',
];

/** Where the previous page ended. Opaque to clients: base64url of this as JSON. */
interface PageToken {
  /** The last name or prefix returned. */
  after: string;
  /** Whether `after` was a prefix: then every name under it was returned too. */
  prefix: boolean;
}

type Entry = { item: ObjectRecord } | { prefix: string };

/**
 * `GET /storage/v1/b/:bucket/o?prefix&delimiter&pageToken&maxResults&startOffset&endOffset`:
 * objects and, with a delimiter, the "directories" (prefixes) under `prefix`, in the byte
 * order of their UTF-8 names, as GCS sorts. maxResults counts items and prefixes together. A
 * page token holds the last entry returned, so deleting objects between pages skips nothing.
 */
export function listObjects(context: RequestContext): Promise<void> {
  const { url, res, emulator } = context;
  const query = url.searchParams;
  for (const option of unsupported) {
    const value = query.get(option);
    if (value !== null && value !== 'false') throw notImplemented(`objects.list with ${option}`);
  }
  const bucket = requireParam(context, 'bucket');
  const entries = pageEntries([...emulator.store.objectsOf(bucket)], {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    startOffset: query.get('startOffset') ?? '',
    endOffset: query.get('endOffset') ?? '',
    token: readPageToken(query.get('pageToken')),
    limit: pageSize(query.get('maxResults')),
  });
  sendJson(res, 200, listResponse(entries, emulator.endpoint));
  return Promise.resolve();
}

interface PageOptions {
  prefix: string;
  delimiter: string;
  startOffset: string;
  endOffset: string;
  token: PageToken | undefined;
  limit: number;
}

/** Up to `limit` entries after the token, plus whether there are more. */
function pageEntries(
  records: ObjectRecord[],
  options: PageOptions,
): { page: Entry[]; more: boolean } {
  const { prefix, delimiter, token, limit } = options;
  const sorted = records
    .filter((record) => record.name.startsWith(prefix))
    .map((record) => ({ record, key: Buffer.from(record.name) }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  const start = bytes(options.startOffset);
  const end = bytes(options.endOffset);
  const after = token === undefined ? undefined : bytes(token.after);
  const page: Entry[] = [];
  let lastPrefix: string | undefined;
  for (const { record, key } of sorted) {
    if (options.startOffset !== '' && Buffer.compare(key, start) < 0) continue;
    if (options.endOffset !== '' && Buffer.compare(key, end) >= 0) continue;
    if (after !== undefined && Buffer.compare(key, after) <= 0) continue;
    if (token?.prefix === true && record.name.startsWith(token.after)) continue;
    const rolledUp = delimiter === '' ? -1 : record.name.indexOf(delimiter, prefix.length);
    if (rolledUp < 0) {
      page.push({ item: record });
    } else {
      const directory = record.name.slice(0, rolledUp + delimiter.length);
      // Names under one prefix are neighbours in sorted order: one entry for all of them.
      if (directory === lastPrefix) continue;
      lastPrefix = directory;
      page.push({ prefix: directory });
    }
    if (page.length > limit) return { page: page.slice(0, limit), more: true };
  }
  return { page, more: false };
}

function listResponse({ page, more }: { page: Entry[]; more: boolean }, endpoint: string): object {
  const items = page.flatMap((entry) =>
    'item' in entry ? [objectResource(entry.item, endpoint)] : [],
  );
  const prefixes = page.flatMap((entry) => ('prefix' in entry ? [entry.prefix] : []));
  const response: Record<string, unknown> = { kind: 'storage#objects' };
  // GCS leaves out empty lists, and the token on the last page.
  if (prefixes.length > 0) response.prefixes = prefixes;
  if (items.length > 0) response.items = items;
  const last = page.at(-1);
  if (more && last !== undefined) {
    const token: PageToken =
      'item' in last
        ? { after: last.item.name, prefix: false }
        : { after: last.prefix, prefix: true };
    response.nextPageToken = Buffer.from(JSON.stringify(token)).toString('base64url');
  }
  return response;
}

function readPageToken(text: string | null): PageToken | undefined {
  if (text === null || text === '') return undefined;
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (typeof token.after === 'string' && typeof token.prefix === 'boolean') {
      return { after: token.after, prefix: token.prefix };
    }
  } catch {
    // Reported below.
  }
  throw badRequest('Invalid page token.');
}

function pageSize(text: string | null): number {
  if (text === null) return maxPage;
  if (!/^\d+$/.test(text) || Number(text) === 0)
    throw badRequest(`Invalid value for maxResults: ${text}`);
  return Math.min(Number(text), maxPage);
}

function bytes(text: string): Buffer {
  return Buffer.from(text);
}
