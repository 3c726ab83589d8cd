import { createHmac } from 'node:crypto';
import type { RedirectMethod } from '@lading/storage-driver';
import type { SwiftClient } from './swift-client.js';
import type { TempUrlMethod } from './swift-options.js';
import { objectPath, type SwiftStore } from './swift-store.js';

export interface TempUrlSettings {
  readonly key: string;
  readonly methods: readonly TempUrlMethod[];
  readonly expirySeconds: number;
  /** HP Cloud's form of the signature: `tenantid:accesskey:signature`. */
  readonly accessKey?: string;
}

/**
 * Signs TempURLs (Swift's tempurl middleware): an HMAC of method, expiry and object path
 * with the account's or container's Temp-URL key, so a client fetches the object straight
 * from Swift. SHA-256: current Swift deprecates SHA-1.
 */
export class TempUrlSigner {
  constructor(
    private readonly store: SwiftStore,
    private readonly client: SwiftClient,
    private readonly settings: TempUrlSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A URL for `method`, or undefined when the cluster's TempURLs do not allow it. */
  async url(method: RedirectMethod, name: string): Promise<string | undefined> {
    // Swift lets a URL signed for GET answer HEAD too; distribution signs HEAD as GET.
    const signed: TempUrlMethod = method === 'HEAD' ? 'GET' : method;
    if (!this.settings.methods.includes(signed)) return undefined;
    const session = await this.client.session();
    const url = new URL(`${session.storageUrl}${objectPath(this.store, name)}`);
    const expires = Math.floor(this.now() / 1000) + this.settings.expirySeconds;
    const signature = createHmac('sha256', this.settings.key)
      .update(`${signed}\n${String(expires)}\n${url.pathname}`)
      .digest('hex');
    const accessKey = this.settings.accessKey;
    url.searchParams.set(
      'temp_url_sig',
      accessKey === undefined ? signature : `${session.tenantId ?? ''}:${accessKey}:${signature}`,
    );
    url.searchParams.set('temp_url_expires', String(expires));
    return url.toString();
  }
}
