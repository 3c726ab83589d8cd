import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
// The child may run in any directory, so name the TypeScript loader by its full path.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// tsx reads tsconfig.json from the working directory; name ours so the child compiles the
// sources exactly as mocha does, or c8 merges coverage of two different compilations.
const childEnvironment = {
  ...process.env,
  TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
};

export interface LadingProcess {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string;
  readonly debugUrl: string | undefined;
  readonly directory: string;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** What it wrote to stderr. */
  stderr(): string;
  /** Resolves once stderr holds `text`; rejects, quoting stderr, after `timeoutMs`. */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>;
  /**
   * Resolves with the first log line `matches` accepts, waiting for it to arrive (a line is
   * logged after the response that caused it may have been sent); rejects, quoting the
   * logs, after `timeoutMs`.
   */
  waitForLog(
    matches: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface LadingOptions {
  /** config.yml content; `{dir}` is replaced with the test's own directory. Omit for the embedded default. */
  readonly config?: string;
  readonly env?: Record<string, string>;
  /** Working directory; default the test's own directory. */
  readonly cwd?: string;
  /** Files to write into the test's directory first (htpasswd, certificates). */
  readonly files?: Readonly<Record<string, string | Buffer>>;
}

/** Runs `lading serve` as a real process and waits until it listens. */
export async function startLading(options: LadingOptions = {}): Promise<LadingProcess> {
  const directory = await mkdtemp(join(tmpdir(), 'lading-app-'));
  for (const [name, content] of Object.entries(options.files ?? {})) {
    await writeFile(join(directory, name), content);
  }
  const args = ['--import', tsx, cli, 'serve'];
  if (options.config !== undefined) {
    const path = join(directory, 'config.yml');
    await writeFile(path, options.config.replaceAll('{dir}', directory));
    args.push(path);
  }
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? directory,
    env: { ...childEnvironment, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': it comes after stdout and stderr are read to the end, so `logs`
  // holds every line the process wrote before it ended.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const listening = new Promise<Record<string, unknown>[]>((resolve, reject) => {
    const found: Record<string, unknown>[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'listening' || entry.msg === 'debug server listening') found.push(entry);
      if (entry.msg === 'listening' && options.config?.includes('debug:') !== true) resolve(found);
      if (entry.msg === 'debug server listening') resolve(found);
    });
    void exited.then((code) => {
      reject(new Error(`lading exited with ${String(code)} before listening:\n${stderr}`));
    });
  });
  const announced = await listening.catch(async (error: unknown) => {
    // It never started: nothing will stop it, so its directory goes now.
    await rm(directory, { recursive: true, force: true });
    throw error;
  });
  const url = String(announced.find((entry) => entry.msg === 'listening')?.address);
  const debug: unknown = announced.find((entry) => entry.msg === 'debug server listening')?.address;
  return {
    url,
    host: url.replace(/^https?:\/\//, ''),
    debugUrl: typeof debug === 'string' ? debug : undefined,
    directory,
    child,
    logs,
    stderr: () => stderr,
    waitForStderr: async (text, timeoutMs = 10_000) => {
      for (let waited = 0; !stderr.includes(text); waited += 50) {
        if (waited >= timeoutMs) throw new Error(`no "${text}" on stderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    waitForLog: async (matches, timeoutMs = 10_000) => {
      for (let waited = 0; ; waited += 50) {
        const entry = logs.find(matches);
        if (entry !== undefined) return entry;
        if (waited >= timeoutMs) throw new Error(`no such log line in:\n${JSON.stringify(logs)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      await rm(directory, { recursive: true, force: true });
      return code;
    },
  };
}

/** Runs `lading ARGS…` to completion, in `cwd`, with `input` on its standard input. */
export function runLading(
  args: string[],
  env: Record<string, string> = {},
  options: { readonly cwd?: string; readonly input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args], {
    env: { ...childEnvironment, ...env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}
