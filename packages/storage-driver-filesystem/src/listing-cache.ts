import { LRUCache } from 'lru-cache';
import type { FileSystem } from './file-system.js';

export interface ListingCacheOptions {
  /** Directories with fewer entries are read every time: a listing costs what a stat does. */
  readonly minEntries?: number;
  /** Large directories remembered at most. */
  readonly maxDirectories?: number;
  /**
   * A listing is kept only if read this long after the directory last changed.
   * Default 50 ms where mtimes have sub-second parts (ext4, xfs: the kernel's
   * tick, 1–10 ms, is their real resolution), 2 s where they have none
   * (filesystems that keep whole seconds, or FAT's two).
   */
  readonly racyMarginMs?: number;
  /** The clock, in ms since the epoch (tests). */
  readonly now?: () => number;
}

interface Entry {
  /** The directory's mtime when `names` were read; undefined: large, not read that way yet. */
  readonly mtimeNs?: bigint;
  readonly names?: readonly string[];
}

/**
 * Listings of large directories (a repository's 2,000 tags, a catalog's
 * 2,000 repositories), reused while the directory's mtime stays the same:
 * one stat instead of reading every entry again (1.3 ms for 2,000 names).
 * Adding or removing an entry changes a directory's mtime; as timestamps are
 * coarse (the kernel's tick, or whole seconds), a listing read within a margin of the
 * last change is not kept ("racy" in git's sense), so a later change can
 * never share its mtime. The stat comes before the read, so a change during
 * the read leaves a newer mtime behind and the next listing reads again.
 */
export class ListingCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #minEntries: number;
  readonly #racyMarginMs: number | undefined;
  readonly #now: () => number;

  constructor(
    private readonly fs: Pick<FileSystem, 'readdir' | 'stat'>,
    private readonly io: <T>(operation: () => Promise<T>) => Promise<T>,
    options: ListingCacheOptions = {},
  ) {
    this.#entries = new LRUCache({ max: options.maxDirectories ?? 1000 });
    this.#minEntries = options.minEntries ?? 256;
    this.#racyMarginMs = options.racyMarginMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The names in `directory` (a local path), through `prepare` (which may
   * filter, map and sort them): what is kept is its result, so a reused
   * listing costs no preparing either. Callers must not change the array.
   */
  async readdir(
    directory: string,
    prepare: (names: string[]) => string[] = (names) => names,
  ): Promise<readonly string[]> {
    const entry = this.#entries.get(directory);
    if (entry === undefined) {
      const names = await this.io(() => this.fs.readdir(directory));
      if (names.length >= this.#minEntries) this.#entries.set(directory, {});
      return prepare(names);
    }
    const statStartedNs = BigInt(this.#now()) * 1_000_000n;
    const { mtimeNs } = await this.io(() => this.fs.stat(directory, { bigint: true }));
    if (entry.names !== undefined && entry.mtimeNs === mtimeNs) return entry.names;
    const read = await this.io(() => this.fs.readdir(directory));
    const names = prepare(read);
    if (read.length < this.#minEntries) this.#entries.delete(directory);
    else if (statStartedNs - mtimeNs >= this.racyMarginNs(mtimeNs)) {
      this.#entries.set(directory, { mtimeNs, names });
    } else this.#entries.set(directory, {});
    return names;
  }

  private racyMarginNs(mtimeNs: bigint): bigint {
    const wholeSeconds = mtimeNs % 1_000_000_000n === 0n;
    return BigInt(this.#racyMarginMs ?? (wholeSeconds ? 2000 : 50)) * 1_000_000n;
  }

  /** Forgets `directory` (it is gone, or about to be). */
  forget(directory: string): void {
    this.#entries.delete(directory);
  }
}
