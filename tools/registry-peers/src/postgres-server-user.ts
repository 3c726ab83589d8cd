import { setprivUserArgs, type SwitchToUser } from './orphan-proof-spawn.js';
import { runCommand } from './run-command.js';

/** The system user Debian's postgresql-common creates, owner of its clusters. */
const debianServerUser = 'postgres';

/**
 * Who runs initdb and postgres: both refuse to run as root, so as root it is the `postgres`
 * system user, and otherwise this process's own user (undefined: no switch).
 */
export async function serverUser(
  isRoot = process.getuid?.() === 0,
  name = debianServerUser,
): Promise<SwitchToUser | undefined> {
  if (!isRoot) return undefined;
  try {
    const uid = Number((await runCommand('id', ['-u', name])).stdout.trim());
    const gid = Number((await runCommand('id', ['-g', name])).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`id ${name}: no numbers`);
    return { uid, gid };
  } catch (error) {
    throw new Error(
      `initdb and postgres refuse to run as root, and there is no "${name}" user to run them ` +
        `as (Debian's postgresql package creates it)`,
      { cause: error },
    );
  }
}

/** `command args` as `user`, through setpriv (util-linux), or unchanged for no user. */
export function commandAs(
  user: SwitchToUser | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  if (user === undefined) return [command, [...args]];
  return ['setpriv', [...setprivUserArgs(user), '--', command, ...args]];
}
