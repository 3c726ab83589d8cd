import type { Bucket } from '@google-cloud/storage';
import type { ObjectKeys } from '@lading/storage-driver';
import type { Regulator } from './regulator.js';

/** What the backend and its writers share. */
export interface GcsStore {
  readonly bucket: Bucket;
  readonly keys: ObjectKeys;
  /** Resumable-upload chunk size, a multiple of 256 KiB. */
  readonly chunkSize: number;
  /** `maxconcurrency`: operations in flight at once. */
  readonly regulator: Regulator;
}

/** distribution stores every object as octet-stream; clients never see it. */
export const contentType = 'application/octet-stream';

/** Where a writer keeps segments: below the file's name, hidden as bookkeeping (`~`). */
export function segmentsPrefix(store: GcsStore, path: string): string {
  return `${store.keys.key(path)}~segments/`;
}
