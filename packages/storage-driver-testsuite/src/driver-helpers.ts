import type { StorageDriver } from '@lading/storage-driver';
import { patternBytes } from './content.js';

const MiB = 1024 * 1024;

/** Writes `size` bytes of the `seed` pattern to `path` through a fresh writer, a MiB at a time, and commits. */
export async function writePatternFile(
  driver: StorageDriver,
  path: string,
  seed: string,
  size: number,
): Promise<void> {
  const writer = await driver.writer(path);
  for (let offset = 0; offset < size; offset += MiB) {
    await writer.write(patternBytes(seed, offset, Math.min(MiB, size - offset)));
  }
  await writer.commit();
}

/** Polls `condition` every 20 ms until it holds; rejects after `timeoutMs`. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met after ${String(timeoutMs)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
