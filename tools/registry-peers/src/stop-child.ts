import type { ChildProcess } from 'node:child_process';

/** Resolves once `child` has exited and its output pipes are drained; create it at spawn time. */
export function closedPromise(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.once('close', () => {
      resolve();
    }),
  );
}

/**
 * SIGTERM (or `signal`: postgres shuts down fast on SIGINT, but on SIGTERM waits for every
 * client to leave), then SIGKILL if `child` is still running after `killAfterMs`; resolves once
 * `closed` (from closedPromise) has, so the caller has all the output and the port is free again.
 */
export async function stopChild(
  child: ChildProcess,
  closed: Promise<void>,
  killAfterMs = 5_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
