import { createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import { checkBucketName } from './buckets.js';
import type { Emulator } from './context.js';
import { ObjectStore } from './object-store.js';
import { UploadSessions } from './resumable-upload.js';
import { handleRequest } from './router.js';

/** A service account whose V4 signed URLs the emulator accepts. */
export interface ServiceAccountKey {
  clientEmail: string;
  /** Its public key, PEM (SPKI). */
  publicKeyPem: string;
}

export interface GcsEmulatorOptions {
  /** Where buckets, objects and upload sessions live; reopening it finds them again. */
  directory: string;
  /** 0 (the default) for any free port. */
  port?: number;
  /** A loopback address only: 127.0.0.1 (the default) or ::1. */
  host?: string;
  serviceAccounts?: readonly ServiceAccountKey[];
}

export interface RunningGcsEmulator {
  /** `http://127.0.0.1:PORT`: the SDK's `apiEndpoint`. */
  readonly endpoint: string;
  /** Creates a bucket (3–63 of a–z, 0–9, `-`, `_`); rejects if it exists. */
  createBucket(name: string): Promise<void>;
  /** Stops listening, cuts open connections and waits for requests in flight. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on a loopback port with its data in `directory`. API calls need no
 * credentials (the SDK sends none to a custom apiEndpoint); signed URLs are verified.
 */
export async function startGcsEmulator(options: GcsEmulatorOptions): Promise<RunningGcsEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host))
    throw new Error(`the GCS emulator binds loopback addresses only, not ${host}`);
  const store = await ObjectStore.open(options.directory);
  const serviceAccounts = new Map(
    (options.serviceAccounts ?? []).map((account) => [
      account.clientEmail,
      createPublicKey(account.publicKeyPem),
    ]),
  );
  // No 5-minute cap on a request (Node's default): a streamed upload lasts as long as the
  // client takes to produce it, as on GCS.
  const server = createServer({ requestTimeout: 0 });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const endpoint = `http://${isIP(host) === 6 ? `[${host}]` : host}:${String(address.port)}`;
  const emulator: Emulator = {
    store,
    sessions: new UploadSessions(store),
    endpoint,
    serviceAccounts,
  };

  const inFlight = new Set<Promise<void>>();
  server.on('request', (req, res) => {
    const handled = handleRequest(emulator, req, res);
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    createBucket: async (name) => {
      checkBucketName(name);
      await store.createBucket(name);
    },
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

function isLoopback(host: string): boolean {
  return host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
