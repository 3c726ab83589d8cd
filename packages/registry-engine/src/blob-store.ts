import type { Readable } from 'node:stream';
import { isStorageError, type RedirectMethod, type StorageDriver } from '@lading/storage-driver';
import type { BlobDescriptor, BlobDescriptorCache } from './blob-descriptor-cache.js';
import { blobDataPath } from './paths.js';

/** distribution stores every blob as this; the real type lives in the manifests. */
export const blobMediaType = 'application/octet-stream';

/**
 * The registry-wide content store: blob data by canonical digest, shared by
 * every repository. Repositories see a blob only through their links.
 */
export class BlobStore {
  constructor(
    private readonly driver: StorageDriver,
    private readonly cache: BlobDescriptorCache,
  ) {}

  /** The stored blob's descriptor, or `undefined` if its data is not there. */
  async stat(digest: string): Promise<BlobDescriptor | undefined> {
    const cached = await this.cache.get(digest);
    if (cached !== undefined) return cached;
    try {
      const { size } = await this.driver.stat(blobDataPath(digest));
      const descriptor = { digest, size, mediaType: blobMediaType };
      await this.cache.set(descriptor);
      return descriptor;
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  open(digest: string, offset: number, length?: number): Promise<Readable> {
    return this.driver.reader(blobDataPath(digest), offset, length);
  }

  async getContent(digest: string): Promise<Buffer> {
    return this.driver.getContent(blobDataPath(digest));
  }

  /** Stores small content (a manifest) under its digest unless it is there already. */
  async putIfAbsent(digest: string, content: Buffer): Promise<void> {
    if ((await this.stat(digest)) !== undefined) return;
    await this.driver.putContent(blobDataPath(digest), content);
    await this.cache.set({ digest, size: content.length, mediaType: blobMediaType });
  }

  /** Moves finished upload data into place unless an identical blob is there already. */
  async moveIntoPlace(source: string, digest: string, size: number): Promise<void> {
    if ((await this.stat(digest)) === undefined) {
      await this.driver.move(source, blobDataPath(digest));
    }
    await this.cache.set({ digest, size, mediaType: blobMediaType });
  }

  redirectURL(digest: string, method: RedirectMethod): Promise<string | undefined> {
    return this.driver.redirectURL(method, blobDataPath(digest));
  }
}
