import { createHmac, timingSafeEqual } from 'node:crypto';
import { RegistryHttpError } from './http-errors.js';

/** What an upload URL's `_state` carries, as distribution encodes it. */
export interface UploadState {
  readonly Name: string;
  readonly UUID: string;
  readonly Offset: number;
  readonly StartedAt: string;
}

/**
 * Signs and checks the `_state` of upload URLs (distribution's `hmac.go`):
 * base64url(HMAC-SHA256(secret, json) ‖ json). Any replica with the same
 * `http.secret` can continue an upload; nobody without it can forge or
 * redirect one to another repository.
 */
export class UploadStateCodec {
  constructor(private readonly secret: string) {}

  pack(state: UploadState): string {
    const json = Buffer.from(JSON.stringify(state));
    return Buffer.concat([this.mac(json), json]).toString('base64url');
  }

  /** The state, if it is well-formed, signed with our secret, and for this repository and upload. */
  unpack(token: string | undefined, name: string, uuid: string): UploadState {
    const raw = Buffer.from(token ?? '', 'base64url');
    const json = raw.subarray(32);
    const signature = raw.subarray(0, 32);
    if (raw.length <= 32 || !timingSafeEqual(signature, this.mac(json))) {
      throw invalid("the upload URL's state is missing or was not issued by this registry");
    }
    let state: unknown;
    try {
      state = JSON.parse(json.toString('utf8'));
    } catch {
      throw invalid("the upload URL's state is unreadable");
    }
    if (!isUploadState(state)) throw invalid("the upload URL's state is incomplete");
    if (state.Name !== name || state.UUID !== uuid) {
      throw invalid('the upload URL belongs to another repository or upload');
    }
    return state;
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }
}

function isUploadState(value: unknown): value is UploadState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state.Name === 'string' &&
    typeof state.UUID === 'string' &&
    typeof state.Offset === 'number' &&
    typeof state.StartedAt === 'string'
  );
}

function invalid(message: string): RegistryHttpError {
  return new RegistryHttpError('BLOB_UPLOAD_INVALID', message);
}
