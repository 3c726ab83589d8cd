import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { findCommand } from './find-command.js';
import { killOnExit } from './child-reaper.js';

export interface OrphanProofSpawnOptions {
  /** The server's working directory; this process's by default. */
  cwd?: string;
  /**
   * Run the server as this user and group instead (this process must be root), with no
   * supplementary groups. setpriv switches before it sets the parent-death signal, which a
   * switch of user would clear, and execs in the same pid: no runuser/su in between that the
   * signal would stop at.
   */
  user?: SwitchToUser;
}

/** A user and group by number, as setpriv takes them. */
export interface SwitchToUser {
  uid: number;
  gid: number;
}

/** setpriv's options that switch to `user`, with no supplementary groups. */
export function setprivUserArgs(user: SwitchToUser): string[] {
  return ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups'];
}

/**
 * Spawns a long-running server that dies with this process. util-linux's `setpriv` (Essential
 * in Debian) sets the parent-death signal and then execs the server in the same pid, so the
 * kernel kills it even if this process is SIGKILLed; the exit hook covers machines without it.
 */
export async function spawnOrphanProof(
  command: string,
  args: readonly string[],
  options: OrphanProofSpawnOptions = {},
): Promise<ChildProcessWithoutNullStreams> {
  const setpriv = await findCommand('setpriv');
  const spawnOptions = { stdio: 'pipe', cwd: options.cwd } as const;
  const { user } = options;
  if (user !== undefined && setpriv === undefined) {
    throw new Error(`cannot run ${command} as uid ${user.uid}: setpriv (util-linux) is missing`);
  }
  const switchUser = user === undefined ? [] : setprivUserArgs(user);
  const child =
    setpriv === undefined
      ? spawn(command, args, spawnOptions)
      : spawn(
          setpriv,
          [...switchUser, '--pdeathsig', 'KILL', '--', command, ...args],
          spawnOptions,
        );
  // Rejects with the spawn error (e.g. ENOENT) instead of leaving it unhandled.
  await once(child, 'spawn');
  killOnExit(child);
  return child;
}
