import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A fresh directory under the system temp dir, and its removal for after(). */
export async function temporaryDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'lading-registry-peers-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every regular file under `directory`, by relative path, with its content. */
export async function readTree(directory: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(directory, path), await readFile(path));
  }
  return files;
}

/** Whether `pid` has ended; a zombie (ended, not yet reaped by an init that never reaps) counts. */
export async function processIsGone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesized command name.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/**
 * Cleanups registered as resources come to life, run newest first by `run()`, each one even
 * when an earlier one failed. An after() hook calling run() then also works when before()
 * failed halfway; a server left running there would keep mocha from ever exiting.
 */
export function cleanupStack(): {
  add: (cleanup: () => Promise<unknown>) => void;
  run: () => Promise<void>;
} {
  const cleanups: (() => Promise<unknown>)[] = [];
  return {
    add: (cleanup) => cleanups.push(cleanup),
    run: async () => {
      const failures: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
    },
  };
}
