import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `rm -rf path`, also when image content made parts of it unremovable for its owner: a layer
 * may unpack directories with mode 0555 or 0000, and a non-root owner cannot delete entries in
 * those. On EACCES/EPERM this gives every directory its owner's rwx and tries once more. (root
 * needs none of this; files owned by someone else still fail, with the path in the message.)
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
    return;
  } catch (error) {
    if (!isPermissionError(error)) throw error;
  }
  await makeDirectoriesWritable(path);
  try {
    await rm(path, { recursive: true, force: true });
  } catch (error) {
    throw new Error(`cannot remove ${path}, even after making its directories writable`, {
      cause: error,
    });
  }
}

function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

async function makeDirectoriesWritable(directory: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(directory);
  } catch {
    return; // gone already, or not ours to look at
  }
  if (!stats.isDirectory()) return;
  // Before readdir: a directory with mode 0000 cannot even be listed by its owner.
  await chmod(directory, (stats.mode & 0o7777) | 0o700).catch(() => undefined);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  for (const name of names) await makeDirectoriesWritable(join(directory, name));
}
