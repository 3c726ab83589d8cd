import type { Bucket } from '@google-cloud/storage';
import type { RedirectMethod } from '@lading/storage-driver';

/** After a failure to sign, how long redirects stay off before signing is tried again. */
const retrySigningAfterMs = 60_000;

/**
 * V4 signed URLs for redirects. A URL signed for GET also answers HEAD in GCS, so both get
 * the same kind of URL. With a service-account key the SDK signs locally; with Application
 * Default Credentials it asks IAM's signBlob, which needs
 * `iam.serviceAccounts.signBlob`. When signing fails, the registry serves the bytes itself
 * (no URL) for a minute rather than failing every download.
 */
export class SignedUrls {
  #failedAt: number | undefined;
  #lastFailure: unknown;

  constructor(
    private readonly bucket: Bucket,
    private readonly expirySeconds: number,
    private readonly now: () => number = Date.now,
    /** Told of each failure (at most once a minute), so an operator can see why. */
    private readonly onFailure: (error: unknown) => void = warnSigningFailed,
  ) {}

  async url(_method: RedirectMethod, name: string): Promise<string | undefined> {
    const now = this.now();
    if (this.#failedAt !== undefined && now - this.#failedAt < retrySigningAfterMs) {
      return undefined;
    }
    try {
      const [url] = await this.bucket.file(name).getSignedUrl({
        version: 'v4',
        action: 'read',
        expires: now + this.expirySeconds * 1000,
      });
      this.#failedAt = undefined;
      return url;
    } catch (error) {
      this.#failedAt = now;
      this.#lastFailure = error;
      this.onFailure(error);
      return undefined;
    }
  }

  /** Why the last signing failed, for diagnostics. */
  get lastFailure(): unknown {
    return this.#lastFailure;
  }
}

function warnSigningFailed(error: unknown): void {
  process.emitWarning(
    `gcs: cannot sign a redirect URL, so blobs are served through the registry for a minute: ${String(error)}`,
    { code: 'LADING_GCS_SIGNING' },
  );
}
