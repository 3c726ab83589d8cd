import type { StorageDriver } from '@lading/storage-driver';
import { patternBytes } from './content.js';

const MiB = 1024 * 1024;

/**
 * The body of a driver's "resume in another process" fixture: reads the driver's options as
 * JSON from argv[2], opens `writer(path, true)` on argv[3], prints `resumed at <size>`, appends
 * argv[4] bytes of the `resume` pattern from there, commits, and prints `committed <size>`.
 * A driver's fixture is then one call: `await resumeWriterFromArguments((o) => createX(o))`.
 */
export async function resumeWriterFromArguments(
  // `never`: any driver's factory fits, whatever its options type; the JSON is that type's.
  createDriver: (options: never) => StorageDriver | Promise<StorageDriver>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  const [options, path, length] = argv;
  if (options === undefined || path === undefined || length === undefined) {
    throw new Error('usage: resume-writer <options-json> <path> <bytes>');
  }
  const driver = await createDriver(JSON.parse(options) as never);
  const writer = await driver.writer(path, true);
  const start = writer.size;
  process.stdout.write(`resumed at ${String(start)}\n`);
  for (let written = 0; written < Number(length); written += MiB) {
    const piece = Math.min(MiB, Number(length) - written);
    await writer.write(patternBytes('resume', start + written, piece));
  }
  await writer.commit();
  process.stdout.write(`committed ${String(writer.size)}\n`);
}
