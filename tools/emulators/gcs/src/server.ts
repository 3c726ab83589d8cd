import { createPublicKey } from 'node:crypto';
import { loopbackHost, serveOnLoopback } from '@lading/emulator-kit';
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
  const host = loopbackHost('GCS emulator', options.host);
  const store = await ObjectStore.open(options.directory);
  const serviceAccounts = new Map(
    (options.serviceAccounts ?? []).map((account) => [
      account.clientEmail,
      createPublicKey(account.publicKeyPem),
    ]),
  );
  const server = await serveOnLoopback('GCS emulator', { host, port: options.port }, (endpoint) => {
    const emulator: Emulator = {
      store,
      sessions: new UploadSessions(store),
      endpoint,
      serviceAccounts,
    };
    return (req, res) => handleRequest(emulator, req, res);
  });
  return {
    endpoint: server.endpoint,
    createBucket: async (name) => {
      checkBucketName(name);
      await store.createBucket(name);
    },
    close: () => server.close(),
  };
}
