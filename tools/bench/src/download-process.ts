import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { DownloadResult } from './download-client.js';
import type { Payload } from './payload.js';

const script = fileURLToPath(new URL('./download-client.ts', import.meta.url));

/** The download client (download-client.ts) running in its own process, for one payload. */
export class DownloadProcess {
  readonly #lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    lines: Interface,
  ) {
    this.#lines = lines[Symbol.asyncIterator]();
  }

  static start(content: Payload): DownloadProcess {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, content.seed, String(content.size)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    return new DownloadProcess(child, createInterface({ input: child.stdout }));
  }

  /** GETs `url` and compares it with the payload; rejects if the process fails. */
  async download(url: string): Promise<DownloadResult> {
    this.child.stdin.write(`${url}\n`);
    const line = await this.#lines.next();
    if (line.done === true) {
      throw new Error(`the download client ended (exit code ${String(this.child.exitCode)})`);
    }
    return JSON.parse(line.value) as DownloadResult;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin.end();
    await exited;
  }
}
