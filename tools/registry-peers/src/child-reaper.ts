import type { ChildProcess } from 'node:child_process';

// Servers still running; killed when this process exits, however the test run ends.
const running = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Makes sure `child` does not outlive this process: it is SIGKILLed on `process.exit` or a
 * normal end. (A SIGKILL of this process runs no handler; spawnOrphanProof covers that.)
 */
export function killOnExit(child: ChildProcess): void {
  if (!hooked) {
    process.once('exit', killAll);
    hooked = true;
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}
