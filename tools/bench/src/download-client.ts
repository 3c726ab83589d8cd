// The bench's download client, in a process of its own: `node --import tsx download-client.ts
// SEED SIZE`. For each URL it reads on stdin it GETs the URL on one keep-alive connection,
// compares every byte with SEED's SIZE bytes as they arrive, and prints one JSON line (a
// `DownloadResult`). It ends when stdin does.
//
// Why a process: the bench's own process holds hundreds of MiB of payloads and results, so
// every collection of the 64 KiB pieces a download allocates is expensive there; measured on
// a 2-core machine, that client capped downloads at about half of what a small process takes.
// A small process with a small heap measures the server, not the bench.
import { createInterface } from 'node:readline';
import { keepAliveAgent, send } from './http-client.js';
import { payload } from './payload.js';

export interface DownloadResult {
  status: number;
  headers: Record<string, string>;
  /** From the request to the last byte. */
  elapsedMs: number;
  /** The first difference from the expected content, or null when every byte matched. */
  difference: string | null;
  /** Why the request failed (a connection cut short), or null. */
  error: string | null;
}

const [seed = '', size = '0'] = process.argv.slice(2);
const content = payload(seed, Number(size));
content.bytes();
const agent = keepAliveAgent(1);

for await (const url of createInterface({ input: process.stdin })) {
  const verifier = content.verifier();
  let difference: string | undefined;
  const started = performance.now();
  let result: DownloadResult;
  try {
    const response = await send({
      method: 'GET',
      url,
      agent,
      onBody: (piece) => {
        difference ??= verifier.update(piece);
      },
    });
    const elapsedMs = performance.now() - started;
    difference ??= verifier.finish();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    const compared = response.status === 200 ? (difference ?? null) : null;
    result = { status: response.status, headers, elapsedMs, difference: compared, error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { status: 0, headers: {}, elapsedMs: 0, difference: null, error: message };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
agent.destroy();
