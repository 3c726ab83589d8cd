/** Suffix of a writer's state object; `~` is in no storage path, so it never collides. */
const partialSuffix = '~partial';

/**
 * Storage paths ↔ object keys for drivers on object stores (S3, Azure, GCS,
 * OSS), as distribution maps them:
 * key = trimLeft(trimRight(rootdirectory, "/") + path, "/").
 */
export class ObjectKeys {
  /** `""` or `"some/root/"`: what every key starts with. */
  readonly rootPrefix: string;

  constructor(rootDirectory = '') {
    const root = rootDirectory.replace(/\/+$/, '').replace(/^\/+/, '');
    this.rootPrefix = root === '' ? '' : `${root}/`;
  }

  /** The object key of a file path. */
  key(path: string): string {
    return `${this.rootPrefix}${path.slice(1)}`;
  }

  /** The prefix of everything below a directory path (`/` → the root prefix). */
  directoryPrefix(path: string): string {
    return path === '/' ? this.rootPrefix : `${this.key(path)}/`;
  }

  /** The storage path of a key or common prefix below the root. */
  path(keyOrPrefix: string): string {
    const relative = keyOrPrefix.slice(this.rootPrefix.length).replace(/\/$/, '');
    return `/${relative}`;
  }

  /** Where a closed writer keeps its state and its unsent tail. */
  partialKey(path: string): string {
    return `${this.key(path)}${partialSuffix}`;
  }
}

/** Keys of the driver's own bookkeeping, never shown as files. */
export function isBookkeepingKey(key: string): boolean {
  return key.includes('~');
}
