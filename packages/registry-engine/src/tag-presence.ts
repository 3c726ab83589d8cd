import { LRUCache } from 'lru-cache';

/**
 * Tags this process knows to have their `current/link`: it wrote the link, or
 * saw it within the last `ttlMs`. A tags listing reads the tags directory and
 * stats only the tags it does not know, instead of one stat per tag: 2,000
 * tags list in about 2 ms instead of 28 (docs/performance.md). A tag this
 * process removes is forgotten at once. One removed by another process on
 * the same storage goes with its directory, which the listing reads afresh;
 * only a directory left without its link (a crash mid-removal elsewhere)
 * can be listed, for `ttlMs` at most.
 */
export class TagPresence {
  readonly #known: LRUCache<string, true>;

  constructor(maxEntries = 100_000, ttlMs = 60_000) {
    this.#known = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }

  has(repository: string, tag: string): boolean {
    return this.#known.has(key(repository, tag));
  }

  confirm(repository: string, tag: string): void {
    this.#known.set(key(repository, tag), true);
  }

  forget(repository: string, tag: string): void {
    this.#known.delete(key(repository, tag));
  }
}

function key(repository: string, tag: string): string {
  // Neither a repository name nor a tag can hold a space.
  return `${repository} ${tag}`;
}
