import { findCommand } from './find-command.js';
import { runCommand, type CommandOutput } from './run-command.js';

/** How ensureDebianPackages reaches the machine; tests replace parts of it. */
export interface DebianPackageOptions {
  /** Whether this process may run apt-get itself. */
  isRoot?: () => boolean;
  /** Whether `command` is on PATH. */
  commandExists?: (command: string) => Promise<boolean>;
  /** Runs apt-get; must reject when it fails. */
  run?: (command: string, args: string[], env: Record<string, string>) => Promise<unknown>;
  /** Where progress lines go. */
  log?: (line: string) => void;
}

/** Thrown when commands are missing and this process cannot install them. */
export class MissingDebianPackagesError extends Error {
  constructor(
    readonly missing: Record<string, string>,
    readonly installCommand: string,
  ) {
    const commands = Object.entries(missing)
      .map(([command, debianPackage]) => `${command} (Debian package ${debianPackage})`)
      .join(', ');
    super(
      `Not on PATH: ${commands}. Only root can install them; run as root:\n  ${installCommand}`,
    );
    this.name = 'MissingDebianPackagesError';
  }
}

/** The shell command that installs `packages`, as root, without questions. */
export function aptInstallCommand(packages: readonly string[]): string {
  return `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
}

// Calls in this process queue here, so a later one sees what an earlier one installed.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes each command (key) available by installing its Debian package (value) when the command
 * is not on PATH: one `apt-get update` and one `apt-get install -y` for all missing packages,
 * nothing at all when none is missing. Calls within this process run one after another, so a
 * later call sees what an earlier one installed.
 */
export function ensureDebianPackages(
  commands: Record<string, string>,
  options: DebianPackageOptions = {},
): Promise<void> {
  const result = queue.then(() => installMissing(commands, options));
  queue = result.catch(() => undefined);
  return result;
}

async function installMissing(
  commands: Record<string, string>,
  options: DebianPackageOptions,
): Promise<void> {
  const commandExists =
    options.commandExists ?? (async (command) => (await findCommand(command)) !== undefined);
  const missing = await missingCommands(commands, commandExists);
  if (Object.keys(missing).length === 0) return;

  const packages = [...new Set(Object.values(missing))].sort();
  const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);
  if (!isRoot()) {
    throw new MissingDebianPackagesError(missing, `sudo sh -c '${aptInstallCommand(packages)}'`);
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const run = options.run ?? runAptGet;
  log(`[registry-peers] installing Debian packages: ${packages.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], env);
  await run('apt-get', ['install', '-y', ...packages], env);

  const stillMissing = await missingCommands(missing, commandExists);
  if (Object.keys(stillMissing).length > 0) {
    throw new Error(
      `apt-get install -y ${packages.join(' ')} succeeded, but these are still not on PATH: ` +
        Object.keys(stillMissing).join(', '),
    );
  }
  log(`[registry-peers] installed: ${packages.join(' ')}`);
}

async function missingCommands(
  commands: Record<string, string>,
  commandExists: (command: string) => Promise<boolean>,
): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  for (const [command, debianPackage] of Object.entries(commands)) {
    if (!(await commandExists(command))) missing[command] = debianPackage;
  }
  return missing;
}

/** Test processes that run at once (Nx runs two) take turns at apt-get through this lock. */
const aptLockFile = '/tmp/lading-apt-get.lock';

function runAptGet(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<CommandOutput> {
  // flock (util-linux) serializes our own processes; the dpkg lock timeout waits for anyone else's.
  const locked = ['-w', '900', aptLockFile, command, '-o', 'DPkg::Lock::Timeout=600', ...args];
  // apt's progress goes to stderr so a test reporter on stdout stays readable.
  return runCommand('flock', locked, { env, echo: true });
}
