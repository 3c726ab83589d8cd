import { httpDate } from './dates.js';

/** Server-side encryption as requested: recorded and echoed, the bytes stay plain on disk. */
export interface Encryption {
  /** AES256, KMS or SM4. */
  algorithm: string;
  /** The KMS key, when one was named. */
  keyId?: string;
}

/** What a writer sets on an object and every read returns. */
export interface ObjectMetadata {
  /** Standard headers, lower-case names: content-type, cache-control, content-disposition… */
  headers: Record<string, string>;
  /** `x-oss-meta-*` without the prefix, lower-case names. */
  userMeta: Record<string, string>;
  encryption?: Encryption;
}

/** One object, as kept on disk beside its data file. */
export interface ObjectRecord {
  bucket: string;
  key: string;
  size: number;
  /** Upper-case hex, unquoted: the MD5 for PutObject, `<hex>-<parts>` for a multipart object. */
  etag: string;
  /** Normal (PutObject, CopyObject) or Multipart (CompleteMultipartUpload). */
  type: 'Normal' | 'Multipart';
  /** base64 MD5 of the bytes, for Normal objects. */
  contentMd5?: string;
  /** Epoch milliseconds, truncated to the second as HTTP dates are. */
  lastModified: number;
  metadata: ObjectMetadata;
  /** The data file's name in the store's data directory. */
  dataFile: string;
}

export const quoted = (etag: string) => `"${etag}"`;

/** The response headers OSS sends for an object on GetObject and HeadObject. */
export function objectHeaders(record: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    ...record.metadata.headers,
    etag: quoted(record.etag),
    'last-modified': httpDate(record.lastModified),
    'accept-ranges': 'bytes',
    'x-oss-object-type': record.type,
    'x-oss-storage-class': 'Standard',
    ...encryptionHeaders(record.metadata.encryption),
  };
  if (record.contentMd5 !== undefined) headers['content-md5'] = record.contentMd5;
  for (const [name, value] of Object.entries(record.metadata.userMeta)) {
    headers[`x-oss-meta-${name}`] = value;
  }
  return headers;
}

export function encryptionHeaders(encryption: Encryption | undefined): Record<string, string> {
  if (encryption === undefined) return {};
  const headers: Record<string, string> = { 'x-oss-server-side-encryption': encryption.algorithm };
  if (encryption.keyId !== undefined)
    headers['x-oss-server-side-encryption-key-id'] = encryption.keyId;
  return headers;
}
