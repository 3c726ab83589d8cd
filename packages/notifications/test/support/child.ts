import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const fixture = fileURLToPath(new URL('../fixtures/spool-writer.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// Compile the child exactly as mocha compiles the tests (see apps/registry's lading-process.ts).
const environment = {
  ...process.env,
  TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
};

/**
 * Runs the writer fixture until it has reported `atLeast` durable appends, then kills it
 * with SIGKILL and returns every number it reported.
 */
export async function writeThenKill(args: readonly string[], atLeast: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', tsx, fixture, ...args], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const reported: number[] = [];
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      reported.push(Number(line));
      if (reported.length === atLeast) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then(() => {
      reject(new Error(`writer exited early: ${stderr}`));
    });
  });
  const [, signal] = await exited;
  if (signal !== 'SIGKILL') throw new Error(`writer ended by ${String(signal)}: ${stderr}`);
  return reported;
}
