import type { Readable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { isStorageError, type RedirectMethod, type StorageDriver } from '@lading/storage-driver';
import type { BlobDescriptor, BlobDescriptorCache } from './blob-descriptor-cache.js';
import { blobDataPath } from './paths.js';

/** Larger blobs read whole are not kept (distribution's manifest limit is 4 MiB). */
const maxCachedContentBytes = 1024 * 1024;

/** distribution stores every blob as this; the real type lives in the manifests. */
export const blobMediaType = 'application/octet-stream';

/**
 * The registry-wide content store: blob data by canonical digest, shared by
 * every repository. Repositories see a blob only through their links.
 */
export class BlobStore {
  /**
   * Small blobs read whole (manifests, image configs), by digest. Content
   * addressing makes them immutable, so a hit is always right; what a
   * repository holds is still read from its links every time. Spares one of
   * the three file reads of a manifest GET by tag.
   */
  readonly #contents = new LRUCache<string, Buffer>({
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (content) => Math.max(1, content.length),
  });

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

  /** A small blob's bytes, whole. Callers must not change them: they may be shared. */
  async getContent(digest: string): Promise<Buffer> {
    const cached = this.#contents.get(digest);
    if (cached !== undefined) return cached;
    const content = await this.driver.getContent(blobDataPath(digest));
    if (content.length <= maxCachedContentBytes) this.#contents.set(digest, content);
    return content;
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
