import { badRequest, notImplemented } from './errors.js';
import { isRecord } from './http-io.js';

/** The metadata a client may set on an object when it writes it. */
export interface WritableMetadata {
  contentType?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** Custom metadata: `x-goog-meta-*` on the XML API. */
  metadata?: Record<string, string>;
}

/** One live object, as kept on disk beside its data file. */
export interface ObjectRecord extends WritableMetadata {
  bucket: string;
  name: string;
  /** Microseconds since the epoch, as GCS does: a decimal string, larger for newer writes. */
  generation: string;
  metageneration: string;
  size: number;
  /** Absent for composed objects, as in GCS. */
  md5Hash?: string;
  crc32c: string;
  /** Only for composed objects (and their copies): the number of components. */
  componentCount?: number;
  timeCreated: string;
  updated: string;
  /** The data file's name in the store's data directory. */
  dataFile: string;
}

const stringFields = ['contentType', 'contentDisposition', 'contentLanguage', 'cacheControl'];
// Fields whose meaning this emulator does not implement: accepting them silently would let a
// driver believe that, say, a hold or an ACL was set.
const unsupportedFields = [
  'acl',
  'kmsKeyName',
  'customerEncryption',
  'retention',
  'temporaryHold',
  'eventBasedHold',
];

/** The writable metadata of a JSON object resource from a request body; 400/501 if unusable. */
export function writableMetadata(resource: Record<string, unknown>): WritableMetadata {
  for (const field of unsupportedFields) {
    if (resource[field] !== undefined) notImplementedField(field);
  }
  // Stored bytes are served as they are: no decompressive transcoding here.
  const encoding = resource.contentEncoding;
  if (encoding !== undefined && encoding !== null && encoding !== '' && encoding !== 'identity') {
    notImplementedField(`contentEncoding ${JSON.stringify(encoding)}`);
  }
  const result: WritableMetadata = {};
  for (const field of stringFields) {
    const value = resource[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badRequest(`Invalid value for ${field}.`);
    (result as Record<string, string>)[field] = value;
  }
  const custom = resource.metadata;
  if (custom !== undefined && custom !== null) {
    if (!isRecord(custom)) throw badRequest('Invalid value for metadata.');
    const entries = Object.entries(custom)
      // A null value removes a key; on a new object there is nothing to remove.
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
    result.metadata = Object.fromEntries(entries) as Record<string, string>;
  }
  return result;
}

function notImplementedField(field: string): never {
  throw notImplemented(`the object field ${field}`);
}

/** Whether a resource carries any writable metadata (a rewrite then replaces the source's). */
export function hasWritableMetadata(metadata: WritableMetadata): boolean {
  return Object.keys(metadata).length > 0;
}

export function pickWritableMetadata(record: ObjectRecord): WritableMetadata {
  const { contentType, contentDisposition, contentLanguage, cacheControl, metadata } = record;
  return omitUndefined({
    contentType,
    contentDisposition,
    contentLanguage,
    cacheControl,
    metadata,
  });
}

/**
 * The JSON API's object resource. `endpoint` makes the links absolute, as GCS's are.
 * The etag stands for generation and metageneration together, like GCS's (whose exact encoding
 * is opaque to clients).
 */
export function objectResource(record: ObjectRecord, endpoint: string): Record<string, unknown> {
  const bucket = encodeURIComponent(record.bucket);
  const name = encodeURIComponent(record.name);
  return omitUndefined({
    kind: 'storage#object',
    id: `${record.bucket}/${record.name}/${record.generation}`,
    selfLink: `${endpoint}/storage/v1/b/${bucket}/o/${name}`,
    mediaLink: `${endpoint}/download/storage/v1/b/${bucket}/o/${name}?generation=${record.generation}&alt=media`,
    name: record.name,
    bucket: record.bucket,
    generation: record.generation,
    metageneration: record.metageneration,
    contentType: record.contentType,
    contentDisposition: record.contentDisposition,
    contentLanguage: record.contentLanguage,
    cacheControl: record.cacheControl,
    storageClass: 'STANDARD',
    size: String(record.size),
    md5Hash: record.md5Hash,
    crc32c: record.crc32c,
    componentCount: record.componentCount,
    etag: objectEtag(record),
    timeCreated: record.timeCreated,
    updated: record.updated,
    timeStorageClassUpdated: record.timeCreated,
    metadata: record.metadata,
  });
}

export function objectEtag(record: ObjectRecord): string {
  return Buffer.from(`${record.generation}/${record.metageneration}`).toString('base64');
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Object names as GCS takes them: 1–1024 bytes of UTF-8, no carriage return or line feed,
 * not `.` or `..`.
 */
export function checkObjectName(name: string): void {
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > 1024 || /[\r\n]/.test(name) || name === '.' || name === '..') {
    throw badRequest(`Invalid object name: ${JSON.stringify(name)}`);
  }
}
