import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from './object-store.js';
import type { UploadSessions } from './resumable-upload.js';

/** What every handler shares: the store, the upload sessions, the signing keys. */
export interface Emulator {
  readonly store: ObjectStore;
  readonly sessions: UploadSessions;
  /** `http://127.0.0.1:PORT`, for session URIs and self links. */
  readonly endpoint: string;
  /** Service account e-mail → public key, to verify V4 signed URLs. */
  readonly serviceAccounts: ReadonlyMap<string, KeyObject>;
}

/** One request, routed: the path's parameters are already decoded. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly emulator: Emulator;
}

export function requireParam(context: RequestContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route without :${name}`);
  return value;
}
