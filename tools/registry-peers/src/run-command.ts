import { spawn } from 'node:child_process';

/** What a finished command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Thrown when a command cannot start or exits with a failure; the message carries its stderr. */
export class CommandFailedError extends Error {
  constructor(
    readonly commandLine: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stdout: string,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    const outcome =
      signal !== null ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    super(`${commandLine} ${outcome}\n--- stderr ---\n${stderr.trimEnd()}`, options);
    this.name = 'CommandFailedError';
  }
}

export interface RunCommandOptions {
  /** Extra environment variables on top of this process's environment. */
  env?: Record<string, string>;
  /** When false, the command gets exactly `env` and nothing of this process's environment. */
  inheritEnv?: boolean;
  /** Written to the command's stdin, which is then closed; without it stdin is empty. */
  input?: string;
  /** The working directory; this process's by default. */
  cwd?: string;
  /** Also copy the command's output to this process's stderr, for long installs worth watching. */
  echo?: boolean;
}

/** Shell-like rendering of a command line, for error messages a person can copy. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** Runs a command to completion without a shell; rejects with CommandFailedError unless it exits 0. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandOutput> {
  const commandLine = formatCommandLine(command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: 'pipe',
      cwd: options.cwd,
      env: options.inheritEnv === false ? { ...options.env } : { ...process.env, ...options.env },
    });
    // A command that exits without reading its input must not crash this process with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      if (options.echo === true) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      if (options.echo === true) process.stderr.write(chunk);
    });
    child.once('error', (error) => {
      reject(new CommandFailedError(commandLine, null, null, '', error.message, { cause: error }));
    });
    child.once('close', (exitCode, signal) => {
      const output = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (exitCode === 0) resolve(output);
      else
        reject(new CommandFailedError(commandLine, exitCode, signal, output.stdout, output.stderr));
    });
  });
}
