import { isStorageError } from './errors.js';
import type { FileInfo, WalkVisitor } from './storage-driver.js';

interface Listable {
  list(path: string): Promise<string[]>;
  stat(path: string): Promise<FileInfo>;
}

/**
 * The generic walk, built from `list` and `stat` (distribution's
 * `WalkFallback`): depth-first, directories before their contents, siblings
 * sorted. Entries that vanish while the walk runs are passed over, so a walk
 * over a live registry does not fail because an upload was purged meanwhile.
 */
export async function walkFallback(
  driver: Listable,
  path: string,
  visitor: WalkVisitor,
): Promise<void> {
  await walkDirectory(driver, path, visitor, false);
}

/** Returns true when the visitor asked to stop. */
async function walkDirectory(
  driver: Listable,
  directory: string,
  visitor: WalkVisitor,
  vanishedIsFine: boolean,
): Promise<boolean> {
  const children = await listOrNothing(driver, directory, vanishedIsFine);
  for (const child of children.sort()) {
    const info = await statOrNothing(driver, child);
    if (info === undefined) continue;
    const decision = await visitor(info);
    if (decision === 'stop') return true;
    if (info.isDir && decision !== 'skip') {
      if (await walkDirectory(driver, child, visitor, true)) return true;
    }
  }
  return false;
}

async function listOrNothing(
  driver: Listable,
  directory: string,
  vanishedIsFine: boolean,
): Promise<string[]> {
  try {
    return await driver.list(directory);
  } catch (error) {
    if (vanishedIsFine && isStorageError(error, 'PATH_NOT_FOUND')) return [];
    throw error;
  }
}

async function statOrNothing(driver: Listable, path: string): Promise<FileInfo | undefined> {
  try {
    return await driver.stat(path);
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND')) return undefined;
    throw error;
  }
}

/**
 * The walk for backends whose listing of a directory already gives each
 * entry's size and time (object stores: one request a directory, none a
 * file). `entries(directory)` returns the direct children, sorted; a
 * directory that vanished meanwhile lists as empty.
 */
export async function walkByListing(
  path: string,
  entries: (directory: string) => Promise<readonly FileInfo[]>,
  visitor: WalkVisitor,
): Promise<void> {
  await walkListedDirectory(path, entries, visitor);
}

/** Returns true when the visitor asked to stop. */
async function walkListedDirectory(
  directory: string,
  entries: (directory: string) => Promise<readonly FileInfo[]>,
  visitor: WalkVisitor,
): Promise<boolean> {
  for (const entry of await entries(directory)) {
    const decision = await visitor(entry);
    if (decision === 'stop') return true;
    if (entry.isDir && decision !== 'skip') {
      if (await walkListedDirectory(entry.path, entries, visitor)) return true;
    }
  }
  return false;
}
