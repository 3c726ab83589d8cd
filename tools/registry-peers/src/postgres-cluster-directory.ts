import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './remove-tree.js';

// lading-postgres-<pid of the test process>-XXXXXX: the pid says when it is abandoned.
const prefix = 'lading-postgres-';
const ownName = /^lading-postgres-(\d+)-[A-Za-z0-9]{6}$/;

// The unix socket, DIRECTORY/.s.PGSQL.65535, must fit sun_path (107 bytes on Linux), and
// postgres adds a .lock file beside it.
const maxDirectoryLength = 107 - '/.s.PGSQL.65535.lock'.length;

function baseDirectory(): string {
  // mkdtemp appends six characters.
  const fits = (base: string) =>
    join(base, `${prefix}${process.pid}-`).length + 6 <= maxDirectoryLength;
  return fits(tmpdir()) ? tmpdir() : '/tmp';
}

/**
 * A new, empty directory for one cluster: its data directory and its unix socket. Short
 * enough for the socket path, under TMPDIR if that allows it, else /tmp.
 */
export function createClusterDirectory(): Promise<string> {
  return mkdtemp(join(baseDirectory(), `${prefix}${process.pid}-`));
}

/**
 * Deletes cluster directories whose test process is gone. A process killed outright (SIGKILL,
 * or SIGINT with no handler) runs no exit hook, so its directory (about 40 MB) stays; the
 * next start, in any process, clears it. Its server died with it (parent-death signal), and a
 * postgres that somehow did not shuts itself down within a minute of losing its lock file.
 * Best effort: a directory that cannot be removed is left alone.
 */
export async function removeAbandonedClusters(base = baseDirectory()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = ownName.exec(name)?.[1];
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
