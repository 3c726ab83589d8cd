import { parseArgs } from 'node:util';
import { startOssEmulator, type AccessKey } from './server.js';

// lading-oss-emulator --directory DIR [--host 127.0.0.1] [--port 0] [--region cn-hangzhou]
//                     --access-key ID:SECRET [--access-key ID:SECRET]…
//
// Prints one JSON line, {"endpoint":"http://127.0.0.1:PORT"}, once it listens; stops on
// SIGTERM or SIGINT after the requests in flight.
const usage =
  'usage: cli.ts --directory DIR [--host 127.0.0.1] [--port 0] [--region cn-hangzhou] --access-key ID:SECRET...';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      directory: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      region: { type: 'string', default: 'cn-hangzhou' },
      'access-key': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const { directory, host, port, region } = values;
  const accessKeys = values['access-key'].map(parseAccessKey);
  if (directory === undefined || !/^\d+$/.test(port) || accessKeys.length === 0) {
    throw new Error(usage);
  }
  const emulator = await startOssEmulator({
    directory,
    host,
    port: Number(port),
    region,
    accessKeys,
  });
  process.stdout.write(`${JSON.stringify({ endpoint: emulator.endpoint })}\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** `ID:SECRET`: the id has no colon, the secret may. */
function parseAccessKey(text: string): AccessKey {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new Error(`--access-key takes ID:SECRET\n${usage}`);
  }
  return { accessKeyId: text.slice(0, colon), accessKeySecret: text.slice(colon + 1) };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
