import { rmSync } from 'node:fs';

// What has to go when the bench ends early: running servers, temp directories.
const pending = new Set<() => Promise<unknown>>();
const directories = new Set<string>();
let hooked = false;
let interrupted = false;

/** Whether a signal is ending the bench: failures from now on are its doing, not a server's. */
export function isInterrupted(): boolean {
  return interrupted;
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  // Servers die with this process anyway (registry-peers' parent-death signal and exit hook);
  // directories are removed here, synchronously, however the process exits short of SIGKILL.
  process.once('exit', () => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });
}

/** Registers `cleanup` to run on interruption; call the returned function once it has run. */
export function onInterrupt(cleanup: () => Promise<unknown>): () => void {
  hook();
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Removes `directory` when the process exits, unless forgotten first. */
export function removeAtExit(directory: string): () => void {
  hook();
  directories.add(directory);
  return () => directories.delete(directory);
}

/** Runs every pending cleanup (newest first), each even if an earlier one failed. */
export async function runPendingCleanups(): Promise<void> {
  for (const cleanup of [...pending].reverse()) {
    pending.delete(cleanup);
    await cleanup().catch(() => undefined);
  }
}

/** On SIGINT and SIGTERM: stop the servers, remove the directories, exit 130 (or 143). */
export function exitCleanlyOnSignals(log: (line: string) => void): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping the servers and removing temp directories`);
      void runPendingCleanups().finally(() => process.exit(code));
    });
  }
}
