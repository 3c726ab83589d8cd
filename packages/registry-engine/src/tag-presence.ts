/**
 * Tags this process knows to have their `current/link`: it wrote the link, or
 * saw it within the last `ttlMs`. A tags listing reads the tags directory and
 * stats only the tags it does not know, instead of one stat per tag: 2,000
 * tags list in about 1 ms instead of 28 (docs/performance.md). A tag this
 * process removes is forgotten at once. One removed by another process on
 * the same storage goes with its directory, which the listing reads afresh;
 * only a directory left without its link (a crash mid-removal elsewhere)
 * can be listed, for `ttlMs` at most (ADR 0014).
 *
 * Kept per repository, so a listing's checks need no key building; past
 * `maxEntries`, the repositories known longest are dropped whole.
 */
export class TagPresence {
  /** repository → tag → when the knowledge expires (ms since the epoch). */
  readonly #repositories = new Map<string, Map<string, number>>();
  #entries = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A checker for one repository's tags, for a whole listing (one clock reading). */
  checker(repository: string): (tag: string) => boolean {
    const tags = this.#repositories.get(repository);
    if (tags === undefined) return () => false;
    const now = this.now();
    return (tag) => (tags.get(tag) ?? 0) > now;
  }

  has(repository: string, tag: string): boolean {
    return this.checker(repository)(tag);
  }

  confirm(repository: string, tag: string): void {
    let tags = this.#repositories.get(repository);
    if (tags === undefined) {
      tags = new Map();
      this.#repositories.set(repository, tags);
    }
    if (!tags.has(tag)) this.#entries += 1;
    tags.set(tag, this.now() + this.ttlMs);
    this.evict();
  }

  forget(repository: string, tag: string): void {
    if (this.#repositories.get(repository)?.delete(tag) === true) this.#entries -= 1;
  }

  private evict(): void {
    for (const [repository, tags] of this.#repositories) {
      if (this.#entries <= this.maxEntries) return;
      this.#repositories.delete(repository);
      this.#entries -= tags.size;
    }
  }
}
