import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const pollEveryMs = 50;

/**
 * Polls `url` until it answers `readyStatus` (200; a server with auth answers 401), failing
 * early if `child` exits, or after `timeoutMs`.
 */
export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  readyStatus = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)})`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === readyStatus) return;
      lastProblem = `GET ${url} answered ${response.status}`;
    } catch (error) {
      lastProblem = `GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    await sleep(pollEveryMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms (${lastProblem})`);
}
