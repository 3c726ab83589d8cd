import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NotificationEnvelope, NotificationEvent } from '../../src/index.js';

/** How the listener answers its n-th request (0-based): a status, after an optional delay. */
export type Behaviour = (attempt: number) => { status: number; delayMs?: number };

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

export interface Listener {
  readonly url: string;
  readonly port: number;
  /** Every request, answered or not. */
  readonly requests: ReceivedRequest[];
  /** The events of requests answered (or being answered, slowly) 2xx, in arrival order. */
  readonly delivered: NotificationEvent[];
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 (port 0 unless given) with injectable faults. */
export async function startListener(
  behaviour: Behaviour = () => ({ status: 200 }),
  port = 0,
): Promise<Listener> {
  let current = behaviour;
  const requests: ReceivedRequest[] = [];
  const delivered: NotificationEvent[] = [];
  const server: Server = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { status, delayMs = 0 } = current(requests.length);
      requests.push({ headers: request.headers, body, status });
      // Taken in before answering, as a listener that is merely slow to reply would.
      if (status >= 200 && status < 300) {
        delivered.push(...(JSON.parse(body) as NotificationEnvelope).events);
      }
      void sleep(delayMs).then(() => {
        if (response.destroyed) return;
        response.statusCode = status;
        response.end();
      });
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/events`,
    port: address.port,
    requests,
    delivered,
    behave: (next) => (current = next),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A loopback port with nothing listening on it (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `condition` every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
