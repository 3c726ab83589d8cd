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

/**
 * Something a Debian package installs that a PATH lookup cannot find, such as PostgreSQL's
 * server, which Debian keeps in /usr/lib/postgresql/<major>/bin with a major version that is
 * only known once it is installed.
 */
export interface DebianRequirement {
  /** Names what is missing in messages, e.g. `PostgreSQL server (/usr/lib/postgresql/<major>/bin)`. */
  readonly description: string;
  readonly debianPackage: string;
  /** Whether it is installed; asked before apt-get runs and again after it. */
  readonly isPresent: () => Promise<boolean>;
}

/** Thrown when something is missing and this process cannot install it. */
export class MissingDebianPackagesError extends Error {
  /**
   * @param missing what is missing (a command, or a requirement's description) → its package
   * @param notOnPath which keys of `missing` are commands looked up on PATH; all by default
   */
  constructor(
    readonly missing: Record<string, string>,
    readonly installCommand: string,
    notOnPath: readonly string[] = Object.keys(missing),
  ) {
    const describe = (names: string[]) =>
      names.map((name) => `${name} (Debian package ${String(missing[name])})`).join(', ');
    const { commands, others } = splitByLookup(Object.keys(missing), notOnPath);
    const parts = [
      ...(commands.length > 0 ? [`Not on PATH: ${describe(commands)}.`] : []),
      ...(others.length > 0 ? [`Not installed: ${describe(others)}.`] : []),
    ];
    super(`${parts.join(' ')} Only root can install them; run as root:\n  ${installCommand}`);
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
  const commandExists =
    options.commandExists ?? (async (command) => (await findCommand(command)) !== undefined);
  const requirements = Object.entries(commands).map(([command, debianPackage]): Requirement => ({
    description: command,
    debianPackage,
    isPresent: () => commandExists(command),
    onPath: true,
  }));
  return enqueue(() => installMissing(requirements, options));
}

/**
 * ensureDebianPackages for things that are not commands on PATH: each requirement's own
 * `isPresent` decides whether its package is installed. Shares the same queue, the same single
 * update and install, and the same lock across processes.
 */
export function ensureDebianRequirements(
  requirements: readonly DebianRequirement[],
  options: Omit<DebianPackageOptions, 'commandExists'> = {},
): Promise<void> {
  const checked = requirements.map((requirement) => ({ ...requirement, onPath: false }));
  return enqueue(() => installMissing(checked, options));
}

/** A requirement, and whether it is a command (for the wording of messages). */
interface Requirement extends DebianRequirement {
  readonly onPath: boolean;
}

function enqueue(install: () => Promise<void>): Promise<void> {
  const result = queue.then(install);
  queue = result.catch(() => undefined);
  return result;
}

async function installMissing(
  requirements: readonly Requirement[],
  options: Omit<DebianPackageOptions, 'commandExists'>,
): Promise<void> {
  const missing = await missingRequirements(requirements);
  if (missing.length === 0) return;

  const packages = [...new Set(missing.map((requirement) => requirement.debianPackage))].sort();
  const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);
  if (!isRoot()) {
    throw new MissingDebianPackagesError(
      Object.fromEntries(missing.map((each) => [each.description, each.debianPackage])),
      `sudo sh -c '${aptInstallCommand(packages)}'`,
      missing.filter((each) => each.onPath).map((each) => each.description),
    );
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const run = options.run ?? runAptGet;
  log(`[registry-peers] installing Debian packages: ${packages.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], env);
  await run('apt-get', ['install', '-y', ...packages], env);

  const stillMissing = await missingRequirements(missing);
  if (stillMissing.length > 0) {
    const { commands, others } = splitByLookup(
      stillMissing.map((each) => each.description),
      stillMissing.filter((each) => each.onPath).map((each) => each.description),
    );
    const parts = [
      ...(commands.length > 0 ? [`still not on PATH: ${commands.join(', ')}`] : []),
      ...(others.length > 0 ? [`still not installed: ${others.join(', ')}`] : []),
    ];
    throw new Error(
      `apt-get install -y ${packages.join(' ')} succeeded, but these are ${parts.join('; ')}`,
    );
  }
  log(`[registry-peers] installed: ${packages.join(' ')}`);
}

async function missingRequirements(requirements: readonly Requirement[]): Promise<Requirement[]> {
  const missing: Requirement[] = [];
  for (const requirement of requirements) {
    if (!(await requirement.isPresent())) missing.push(requirement);
  }
  return missing;
}

function splitByLookup(
  names: readonly string[],
  onPath: readonly string[],
): { commands: string[]; others: string[] } {
  return {
    commands: names.filter((name) => onPath.includes(name)),
    others: names.filter((name) => !onPath.includes(name)),
  };
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
