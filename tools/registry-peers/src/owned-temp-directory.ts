import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './remove-tree.js';

// PREFIX<pid of the test process>-XXXXXX: the pid says when the directory is abandoned.
const ownName = (prefix: string) => new RegExp(`^${prefix}(\\d+)-[A-Za-z0-9]{6}$`);

/** A new, empty directory (mode 0700) named for this process: `PREFIX<pid>-XXXXXX` in `base`. */
export function createOwnedTempDirectory(prefix: string, base = tmpdir()): Promise<string> {
  return mkdtemp(join(base, `${prefix}${String(process.pid)}-`));
}

/**
 * Deletes the `PREFIX<pid>-XXXXXX` directories in `base` whose process is gone. A test process
 * killed outright (SIGKILL) runs no exit hook, so its directory stays; the next start, in any
 * process, clears it. Its servers died with it (parent-death signal). Best effort: a directory
 * that cannot be removed is left alone. `prefix` must be plain: letters, digits and `-`.
 */
export async function removeAbandonedTempDirectories(
  prefix: string,
  base = tmpdir(),
): Promise<string[]> {
  if (!/^[A-Za-z0-9-]+$/.test(prefix)) throw new Error(`prefix ${JSON.stringify(prefix)}`);
  const pattern = ownName(prefix);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || processExists(Number(pid))) continue;
    try {
      await removeTree(join(base, name));
      removed.push(join(base, name));
    } catch {
      // Someone else's (e.g. root's, seen by a non-root run), or removed concurrently.
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
