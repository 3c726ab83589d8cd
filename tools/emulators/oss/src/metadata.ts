import type { IncomingMessage } from 'node:http';
import { OssError, invalidArgument, notImplemented } from './errors.js';
import { header } from './http-io.js';
import type { Encryption, ObjectMetadata } from './object-record.js';

// The standard headers OSS keeps with an object and returns on every read.
const storedHeaders = [
  'content-type',
  'content-encoding',
  'content-disposition',
  'content-language',
  'cache-control',
  'expires',
];

const algorithms = new Set(['AES256', 'KMS', 'SM4']);

/** The metadata a PutObject, InitiateMultipartUpload or CopyObject (REPLACE) request sets. */
export function metadataFromRequest(req: IncomingMessage): ObjectMetadata {
  const headers: Record<string, string> = {};
  for (const name of storedHeaders) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  const userMeta: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-oss-meta-') && value !== undefined) {
      userMeta[name.slice('x-oss-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  const encryption = encryptionFromRequest(req);
  return encryption === undefined ? { headers, userMeta } : { headers, userMeta, encryption };
}

/**
 * `x-oss-server-side-encryption` (AES256, KMS or SM4) and, with KMS only,
 * `x-oss-server-side-encryption-key-id`. Anything else is refused as OSS refuses it.
 */
export function encryptionFromRequest(req: IncomingMessage): Encryption | undefined {
  const algorithm = header(req, 'x-oss-server-side-encryption');
  const keyId = header(req, 'x-oss-server-side-encryption-key-id');
  if (algorithm === undefined) {
    if (keyId !== undefined) {
      throw invalidArgument(
        'x-oss-server-side-encryption-key-id needs x-oss-server-side-encryption: KMS.',
      );
    }
    return undefined;
  }
  if (!algorithms.has(algorithm)) {
    throw new OssError(
      400,
      'InvalidEncryptionAlgorithmError',
      'The Encryption request you specified is not valid. Supported value: AES256/KMS/SM4',
    );
  }
  if (keyId !== undefined && algorithm !== 'KMS') {
    throw invalidArgument('x-oss-server-side-encryption-key-id is only valid with KMS.');
  }
  return keyId === undefined ? { algorithm } : { algorithm, keyId };
}

// Request headers whose meaning this emulator leaves out: accepting them silently would let a
// driver believe an object got an ACL, tags or a storage class, or that a callback ran.
const unemulatedHeaders: Readonly<Record<string, (value: string) => boolean>> = {
  'x-oss-object-acl': (value) => value !== 'default',
  'x-oss-storage-class': (value) => value !== 'Standard',
  'x-oss-tagging': () => true,
  'x-oss-callback': () => true,
  'x-oss-server-side-data-encryption': () => true,
  'x-oss-security-token': () => true,
  'x-oss-complete-all': () => true,
};

/** 501 for a header in `unemulatedHeaders` that would change what the call does. */
export function rejectUnemulatedHeaders(req: IncomingMessage): void {
  for (const [name, changesMeaning] of Object.entries(unemulatedHeaders)) {
    const value = header(req, name);
    if (value !== undefined && changesMeaning(value)) {
      throw notImplemented(`the header ${name}: ${value}`);
    }
  }
}
