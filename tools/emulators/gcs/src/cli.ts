import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startGcsEmulator, type ServiceAccountKey } from './server.js';

// lading-gcs-emulator --directory DIR [--host 127.0.0.1] [--port 0] [--service-account-file F]…
//
// Prints one JSON line, {"endpoint":"http://127.0.0.1:PORT"}, once it listens; stops on
// SIGTERM or SIGINT after the requests in flight.
const usage =
  'usage: cli.ts --directory DIR [--host 127.0.0.1] [--port 0] [--service-account-file FILE]...';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      directory: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'service-account-file': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const { directory, host, port } = values;
  if (directory === undefined || !/^\d+$/.test(port)) throw new Error(usage);
  const serviceAccounts = await Promise.all(
    values['service-account-file'].map((file) => readServiceAccount(file)),
  );
  const emulator = await startGcsEmulator({ directory, host, port: Number(port), serviceAccounts });
  process.stdout.write(`${JSON.stringify({ endpoint: emulator.endpoint })}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * A service account key file: Google's JSON key format (`client_email`, `private_key`), whose
 * public half is derived here, or the same with `public_key` in place of the private one.
 */
async function readServiceAccount(file: string): Promise<ServiceAccountKey> {
  const key = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const { client_email: clientEmail, public_key: publicKey, private_key: privateKey } = key;
  const pem = typeof publicKey === 'string' ? publicKey : privateKey;
  if (typeof clientEmail !== 'string' || typeof pem !== 'string') {
    throw new Error(`${file}: needs client_email and private_key (or public_key)`);
  }
  const publicKeyPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
  return { clientEmail, publicKeyPem };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
