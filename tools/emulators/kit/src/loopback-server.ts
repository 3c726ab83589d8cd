import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`). */
  readonly endpoint: string;
  /** Stops listening, cuts open connections and waits for the requests in flight. */
  close(): Promise<void>;
}

/** Answers one request; it must not reject (it answers errors itself). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves on a loopback address only (`host`: 127.0.0.1 by default, or ::1; `port` 0 for any
 * free one), with no cap on how long a request may take: a streamed upload lasts as long as
 * its client takes, as on a real store. The handler is made once the endpoint is known (an
 * emulator writes it into its answers). `name` goes into the refusal of another host.
 */
export async function serveOnLoopback(
  name: string,
  address: { host?: string; port?: number },
  handlerFor: (endpoint: string) => RequestHandler,
): Promise<LoopbackServer> {
  const host = loopbackHost(name, address.host);
  const server = createServer({ requestTimeout: 0 });
  server.listen(address.port ?? 0, host);
  await once(server, 'listening');
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('no TCP address');
  const endpoint = `http://${isIP(host) === 6 ? `[${host}]` : host}:${String(bound.port)}`;
  const handle = handlerFor(endpoint);
  const inFlight = new Set<Promise<void>>();
  server.on('request', (req, res) => {
    const handled = handle(req, res);
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    close: () =>
      (closing ??= (async () => {
        const closed = once(server, 'close');
        server.close();
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...inFlight]);
      })()),
  };
}

/**
 * `host`, or 127.0.0.1 when it is not given; throws, naming `name`, for anything but a
 * loopback address. An emulator checks before it touches its directory.
 */
export function loopbackHost(name: string, host = '127.0.0.1'): string {
  const loopback = host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new Error(`the ${name} binds loopback addresses only, not ${host}`);
  return host;
}
