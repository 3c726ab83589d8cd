import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** HTTPS with a self-signed certificate in front of a plain-HTTP Swift, on 127.0.0.1. */
export interface TlsFront {
  /** `https://127.0.0.1:PORT`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Terminates TLS with a fresh self-signed certificate (from the `openssl` command) and
 * forwards to `target`. TempAuth builds its storage URL from the scheme it was reached by,
 * which is plain HTTP here, so the front rewrites it to itself.
 */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const directory = await mkdtemp(join(tmpdir(), 'lading-tls-'));
  const keyFile = join(directory, 'key.pem');
  const certFile = join(directory, 'cert.pem');
  // As the README's fresh machine has it: openssl comes with Debian's base system.
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
  await rm(directory, { recursive: true, force: true });
  const upstream = new URL(target);
  let endpoint = '';
  const server = createServer({ key, cert }, (incoming, response) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (reply) => {
        const headers = { ...reply.headers };
        const storageUrl = headers['x-storage-url'];
        if (typeof storageUrl === 'string') {
          headers['x-storage-url'] = `${endpoint}${new URL(storageUrl).pathname}`;
        }
        response.writeHead(reply.statusCode ?? 502, headers);
        reply.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    endpoint,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
