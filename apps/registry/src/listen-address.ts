import type { ListenOptions } from 'node:net';

/**
 * What Node's `server.listen` needs for distribution's `http.addr` and `http.net`: a unix
 * socket path, `host:port`, `[v6]:port`, or `:port`, which like Go's net.Listen means every
 * interface.
 */
export function listenOptions(addr: string, net: string): ListenOptions {
  if (net === 'unix') return { path: addr };
  const colon = addr.lastIndexOf(':');
  const host = addr.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(addr.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`http.addr "${addr}" is not host:port, :port or a unix socket with net: unix`);
  }
  return host === '' ? { port } : { port, host };
}

/** The URL a client would use for a listening address; all-interfaces becomes localhost. */
export function listeningUrl(address: { address: string; port: number }, scheme: string): string {
  const { address: host, port } = address;
  const shown =
    host === '::' || host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${String(port)}`;
}
