import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * memcached on 127.0.0.1:`port` for TempAuth's tokens: TCP only (no UDP), 16 MB, 2 threads.
 * As root it must be told whom to run as (it refuses otherwise); root itself, so nothing
 * switches user and the parent-death signal stays in force.
 */
export function startMemcached(port: number, cwd: string): Promise<ServerProcess> {
  const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16', '-t', '2'];
  return startServerProcess('memcached', 'memcached', [...args, ...asRoot], { cwd });
}

/** Until memcached answers `version` on `port`; fails early if it exits, or after `timeoutMs`. */
export async function waitForMemcached(
  memcached: ServerProcess,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exitCode, signalCode } = memcached.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`memcached exited (code ${String(exitCode)}, signal ${String(signalCode)})`);
    }
    if (await answersVersion(port)) return;
    if (Date.now() > deadline) throw new Error(`memcached: no answer on port ${String(port)}`);
    await sleep(20);
  }
}

function answersVersion(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('version\r\n'));
    socket.setEncoding('utf8').on('data', (text: string) => {
      answer += text;
      if (answer.includes('\r\n')) done(answer.startsWith('VERSION '));
    });
  });
}
