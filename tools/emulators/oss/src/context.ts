import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Address } from './addressing.js';
import type { Authority } from './authenticate.js';
import type { ObjectStore } from './object-store.js';
import type { UploadStore } from './upload-store.js';

/** What every handler shares: the stores and who may call. */
export interface Emulator {
  readonly store: ObjectStore;
  readonly uploads: UploadStore;
  readonly authority: Authority;
}

/** One authenticated request, its bucket and key resolved. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly query: URLSearchParams;
  readonly address: Address;
  readonly emulator: Emulator;
}

/** The request's bucket; every route but the service's has one. */
export function bucketOf(context: RequestContext): string {
  const { bucket } = context.address;
  if (bucket === undefined) throw new Error('route without a bucket');
  return bucket;
}
