import { rmSync } from 'node:fs';

// Directories to delete when this process exits, however the test run ends (short of SIGKILL).
const pending = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
}

/**
 * Deletes `path` on `process.exit` or a normal end, unless `forget` was called first because
 * the caller removed it itself. For small files that must outlive start-up, such as the
 * htpasswd file distribution re-reads on every request.
 */
export function removeOnExit(path: string): { forget: () => void } {
  if (!hooked) {
    process.once('exit', removeAll);
    hooked = true;
  }
  pending.add(path);
  return { forget: () => pending.delete(path) };
}
