import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { findCommand } from './find-command.js';
import { killOnExit } from './child-reaper.js';

/**
 * Spawns a long-running server that dies with this process. util-linux's `setpriv` (Essential
 * in Debian) sets the parent-death signal and then execs the server in the same pid, so the
 * kernel kills it even if this process is SIGKILLed; the exit hook covers machines without it.
 */
export async function spawnOrphanProof(
  command: string,
  args: readonly string[],
): Promise<ChildProcessWithoutNullStreams> {
  const setpriv = await findCommand('setpriv');
  const child =
    setpriv === undefined
      ? spawn(command, args, { stdio: 'pipe' })
      : spawn(setpriv, ['--pdeathsig', 'KILL', '--', command, ...args], { stdio: 'pipe' });
  // Rejects with the spawn error (e.g. ENOENT) instead of leaving it unhandled.
  await once(child, 'spawn');
  killOnExit(child);
  return child;
}
