import { createOwnedTempDirectory } from './owned-temp-directory.js';
import { removeOnExit } from './remove-on-exit.js';
import { removeTree } from './remove-tree.js';

/** A server could not bind the port it was given: another process took it after the probe. */
export class PortTakenError extends Error {}

const portAttempts = 3;

/**
 * Runs `start` in a fresh owned temp dir (`PREFIX<pid>-XXXXXX`), removed when the process
 * exits unless `start` takes it over by calling `keep` (its server's stop() removes it).
 * On failure the dir is removed; a `PortTakenError` is tried again, up to three times in all.
 */
export async function startInOwnedDirectory<T>(
  prefix: string,
  start: (directory: string, keep: () => void) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const directory = await createOwnedTempDirectory(prefix);
    const exitCleanup = removeOnExit(directory);
    try {
      return await start(directory, () => {
        exitCleanup.forget();
      });
    } catch (error) {
      await removeTree(directory);
      exitCleanup.forget();
      if (!(error instanceof PortTakenError) || attempt === portAttempts) throw error;
    }
  }
}
