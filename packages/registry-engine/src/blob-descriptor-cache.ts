import { LRUCache } from 'lru-cache';

/** What the registry knows of a stored blob. Blob data is content-addressed, so it never changes. */
export interface BlobDescriptor {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
}

/**
 * Remembers the descriptors of stored blobs, to spare a storage round trip on
 * every HEAD. Only the global blob store consults it; repository membership
 * (links) is always read from storage, so replicas sharing storage agree on
 * what a repository holds. Implement it over Redis to share it between them.
 */
export interface BlobDescriptorCache {
  get(digest: string): Promise<BlobDescriptor | undefined>;
  set(descriptor: BlobDescriptor): Promise<void>;
  delete(digest: string): Promise<void>;
}

/** An in-process LRU of at most `maxEntries` descriptors (default 10,000, about 2 MB). */
export function createInMemoryBlobDescriptorCache(maxEntries = 10_000): BlobDescriptorCache {
  const entries = new LRUCache<string, BlobDescriptor>({ max: maxEntries });
  return {
    get: (digest) => Promise.resolve(entries.get(digest)),
    set: (descriptor) => {
      entries.set(descriptor.digest, descriptor);
      return Promise.resolve();
    },
    delete: (digest) => {
      entries.delete(digest);
      return Promise.resolve();
    },
  };
}

/** A cache that remembers nothing. */
export const noBlobDescriptorCache: BlobDescriptorCache = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};
