import { randomBytes } from 'node:crypto';

/**
 * Where a storage path lives on disk, and the names of the driver's own
 * bookkeeping files beside it. Those names contain `~`, which no valid storage
 * path can, so they never collide with content and are never listed. They sit
 * next to their target, so a recursive delete of a directory (an upload being
 * purged) takes them with it.
 */
export class LocalPaths {
  constructor(readonly root: string) {}

  /** `/a/b` → `<root>/a/b`; storage paths are validated, so no `..` can escape. */
  local(path: string): string {
    if (path === '/') return this.root;
    return this.root === '/' ? path : `${this.root}${path}`;
  }

  /** Whether the local path `local` is the root or below it. */
  contains(local: string): boolean {
    return this.root === '/' || local === this.root || local.startsWith(`${this.root}/`);
  }
}

/** Uncommitted writer data for `target`, resumable by a later writer. */
export function stagingPath(target: string): string {
  return `${target}~partial`;
}

/** A private name to write a whole file under before renaming it into place. */
export function temporaryPath(target: string): string {
  return `${target}~tmp-${randomBytes(6).toString('hex')}`;
}
