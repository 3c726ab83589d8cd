import { Readable } from 'node:stream';
import { InvalidOffsetError, PathNotFoundError } from './errors.js';
import { isBookkeepingKey } from './object-keys.js';
import type { FileInfo, WalkVisitor } from './storage-driver.js';
import { walkByListing } from './walk.js';

/** What an object store answers about its keys, in storage paths. */
export interface ObjectTreeSource {
  /** The file at `path` (one HEAD), or undefined when there is none. */
  head(path: string): Promise<FileInfo | undefined>;
  /**
   * The entries directly below directory `path`, a page at a time, in any order: objects
   * with their sizes and times, and "subdirectories" (common prefixes) with `isDir`.
   * Bookkeeping entries (a `~` in the path) may be included; they are left out here.
   */
  listLevel(path: string): AsyncIterable<readonly FileInfo[]>;
}

/** Implicit directories have no time of their own. */
const epoch = new Date(0);

/**
 * The directory semantics every object-store driver shares: directories are key prefixes,
 * `~` keys are the driver's own bookkeeping and never shown, a file is one HEAD and a
 * directory one delimiter listing. Backends give `head` and `listLevel`; this gives `stat`,
 * `list`, `walk`, and the empty reader that S3-like stores need at the end of a file.
 */
export class ObjectTree {
  constructor(private readonly source: ObjectTreeSource) {}

  async stat(path: string): Promise<FileInfo> {
    if (path !== '/') {
      const file = await this.source.head(path);
      if (file !== undefined) return file;
    }
    if (await this.isDirectory(path)) return { path, size: 0, modTime: epoch, isDir: true };
    throw new PathNotFoundError(path);
  }

  async list(path: string): Promise<string[]> {
    const entries = await this.entries(path);
    if (entries.length === 0 && path !== '/') throw new PathNotFoundError(path);
    return entries.map((entry) => entry.path);
  }

  /** One listing per directory, no request per file: sizes and times come with the listing. */
  async walk(path: string, visitor: WalkVisitor): Promise<void> {
    if (path !== '/' && !(await this.isDirectory(path))) throw new PathNotFoundError(path);
    await walkByListing(path, (directory) => this.entries(directory), visitor);
  }

  /** The direct children of a directory, bookkeeping left out, sorted by path. */
  async entries(path: string): Promise<FileInfo[]> {
    const entries: FileInfo[] = [];
    for await (const level of this.source.listLevel(path)) {
      entries.push(...level.filter((entry) => !isBookkeepingKey(entry.path)));
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Whether anything but bookkeeping lies below `path`; stops at the first page that says so. */
  async isDirectory(path: string): Promise<boolean> {
    for await (const level of this.source.listLevel(path)) {
      if (level.some((entry) => entry.isDir || !isBookkeepingKey(entry.path))) return true;
    }
    return false;
  }

  /**
   * A reader of nothing at `offset`, for a zero-length read or a range the store refused
   * because it starts at the end: not-found, or `InvalidOffsetError` past the end.
   */
  async emptyReader(path: string, offset: number): Promise<Readable> {
    const file = await this.source.head(path);
    if (file === undefined) throw new PathNotFoundError(path);
    if (offset > file.size) {
      throw new InvalidOffsetError(
        path,
        offset,
        `past the end of the file (${String(file.size)} bytes)`,
      );
    }
    return Readable.from([]);
  }
}
