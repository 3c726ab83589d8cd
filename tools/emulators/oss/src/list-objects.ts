import { bucketOf, type RequestContext } from './context.js';
import { isoTime } from './dates.js';
import { invalidArgument } from './errors.js';
import { sendXml } from './http-io.js';
import { encodeIfAsked, encodingOf, limitParameter, listPage } from './list-page.js';
import { quoted, type ObjectRecord } from './object-record.js';
import { element, elements, group } from './xml.js';

// Who owns every object: OSS reports the account's id; there is one account here.
const owner = group('Owner', elements({ ID: '1000000000000000', DisplayName: '1000000000000000' }));

/**
 * ListObjects (`GET /`) and ListObjectsV2 (`GET /?list-type=2`): `prefix`, `delimiter`,
 * `max-keys` (1–1000, default 100), `encoding-type=url`. v1 pages with `marker` and answers
 * `NextMarker`; v2 with `start-after` and `continuation-token`, and answers
 * `NextContinuationToken`, `KeyCount` and, with `fetch-owner=true` only, the owner.
 */
export function listObjects(context: RequestContext): void {
  const { query } = context;
  const bucket = bucketOf(context);
  const v2 = query.get('list-type') === '2';
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = limitParameter(query, 'max-keys', 100);
  const encoding = encodingOf(query);
  const encode = (text: string) => encodeIfAsked(text, encoding);
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after');
  const marker = query.get('marker') ?? '';
  const after = v2 ? (token === null ? (startAfter ?? '') : decodeToken(token)) : marker;
  const records = new Map(
    [...context.emulator.store.objectsOf(bucket)].map((record) => [record.key, record]),
  );
  const page = listPage(records.keys(), { prefix, delimiter, after, max: maxKeys });
  const next = page.truncated ? page.entries.at(-1)?.name : undefined;
  const head = elements({
    Name: bucket,
    Prefix: encode(prefix),
    ...(v2
      ? { StartAfter: startAfter === null ? undefined : encode(startAfter) }
      : { Marker: encode(marker) }),
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: encoding,
    IsTruncated: String(page.truncated),
    ...(v2
      ? {
          ContinuationToken: token ?? undefined,
          NextContinuationToken: next === undefined ? undefined : encodeToken(next),
          KeyCount: page.entries.length,
        }
      : { NextMarker: next === undefined ? undefined : encode(next) }),
  });
  const withOwner = !v2 || query.get('fetch-owner') === 'true';
  // As OSS writes them: the objects, then the common prefixes.
  const contents = page.entries.flatMap(({ name, isPrefix }) => {
    const record = records.get(name);
    return isPrefix || record === undefined ? [] : [contentsOf(record, encode, withOwner)];
  });
  const prefixes = page.entries
    .filter((entry) => entry.isPrefix)
    .map((entry) => group('CommonPrefixes', [element('Prefix', encode(entry.name))]));
  sendXml(context.res, 200, group('ListBucketResult', [...head, ...contents, ...prefixes]));
}

function contentsOf(
  record: ObjectRecord,
  encode: (text: string) => string,
  withOwner: boolean,
): string {
  const fields = elements({
    Key: encode(record.key),
    LastModified: isoTime(record.lastModified),
    ETag: quoted(record.etag),
    Type: record.type,
    Size: record.size,
    StorageClass: 'Standard',
  });
  return group('Contents', withOwner ? [...fields, owner] : fields);
}

// The continuation token holds the last name returned, so deletions between pages neither skip
// nor repeat anything; OSS's own tokens are opaque too.
function encodeToken(name: string): string {
  return Buffer.from(name).toString('base64url');
}

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    throw invalidArgument('The continuation token is not valid.', {
      ArgumentName: 'continuation-token',
    });
  }
  return Buffer.from(token, 'base64url').toString('utf8');
}
