import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOwnedTempDirectory,
  removeAbandonedTempDirectories,
} from './owned-temp-directory.js';

// lading-postgres-<pid of the test process>-XXXXXX: the pid says when it is abandoned.
const prefix = 'lading-postgres-';

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
  return createOwnedTempDirectory(prefix, baseDirectory());
}

/**
 * Deletes cluster directories whose test process is gone. A process killed outright (SIGKILL,
 * or SIGINT with no handler) runs no exit hook, so its directory (about 40 MB) stays; the
 * next start, in any process, clears it. Its server died with it (parent-death signal), and a
 * postgres that somehow did not shuts itself down within a minute of losing its lock file.
 * Best effort: a directory that cannot be removed is left alone.
 */
export function removeAbandonedClusters(base = baseDirectory()): Promise<string[]> {
  return removeAbandonedTempDirectories(prefix, base);
}
