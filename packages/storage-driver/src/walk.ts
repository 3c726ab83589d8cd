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
