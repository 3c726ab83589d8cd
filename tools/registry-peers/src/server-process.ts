import type { ChildProcess } from 'node:child_process';
import { spawnOrphanProof, type OrphanProofSpawnOptions } from './orphan-proof-spawn.js';
import { closedPromise, stopChild } from './stop-child.js';

/** A long-running server child whose output is kept for failure messages. */
export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** What it printed on stdout and stderr, interleaved; the last `maxOutput` characters. */
  output(): string;
  /** SIGTERM, SIGKILL after `killAfterMs`; resolves once it is gone. Safe to call again. */
  stop(): Promise<void>;
}

// A proxy logs one access line (about 250 characters) per request, so a long conformance run
// would grow without bound; the end is what a failure message needs.
const maxOutput = 1024 * 1024;
const killAfterMs = 5_000;

/** Starts `command` through spawnOrphanProof, so it dies with this process, and keeps its output. */
export async function startServerProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: OrphanProofSpawnOptions = {},
): Promise<ServerProcess> {
  const child = await spawnOrphanProof(command, args, options);
  const closed = closedPromise(child);
  const { pid } = child;
  if (pid === undefined) throw new Error(`${name} started without a pid`);
  let output = '';
  let dropped = false;
  const capture = (text: string) => {
    output += text;
    if (output.length > 2 * maxOutput) {
      output = output.slice(-maxOutput);
      dropped = true;
    }
  };
  child.stdout.setEncoding('utf8').on('data', capture);
  child.stderr.setEncoding('utf8').on('data', capture);
  let stopping: Promise<void> | undefined;
  return {
    name,
    child,
    pid,
    output: () => (dropped ? `[earlier output dropped]\n${output.slice(-maxOutput)}` : output),
    stop: () => (stopping ??= stopChild(child, closed, killAfterMs)),
  };
}
