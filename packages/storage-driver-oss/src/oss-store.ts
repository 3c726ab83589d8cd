import type OSS from 'ali-oss';
import type { ObjectKeys } from '@lading/storage-driver';

/** What the backend, its writers and its copier share. */
export interface OssStore {
  readonly client: OSS;
  readonly bucket: string;
  readonly keys: ObjectKeys;
  /** Headers every new object gets: its type and server-side encryption. */
  readonly newObjectHeaders: Readonly<Record<string, string>>;
  /** Part size of writers. */
  readonly chunkSize: number;
  readonly copyChunkSize: number;
  readonly copyThresholdSize: number;
  readonly copyConcurrency: number;
  /** Runs one request with the driver's retries. */
  call<T>(request: (client: OSS) => Promise<T>): Promise<T>;
}

/** distribution stores every object as octet-stream; clients never see it. */
export const contentType = 'application/octet-stream';

export function newObjectHeaders(options: {
  encrypt?: boolean;
  encryptionKeyId?: string;
}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (options.encrypt === true) {
    headers['x-oss-server-side-encryption'] =
      options.encryptionKeyId === undefined ? 'AES256' : 'KMS';
    if (options.encryptionKeyId !== undefined) {
      headers['x-oss-server-side-encryption-key-id'] = options.encryptionKeyId;
    }
  }
  return headers;
}
