import { randomUUID } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** Writes JSON to a temp file and renames it over `path`: readers see the old or the new. */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(value));
  await rename(temporary, path);
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Removes a file or a directory tree, if it is there. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true });
}

/**
 * Removes the file a write stream was writing, once the stream has closed. After a failed
 * pipeline the stream may still be opening the file, and would create it after an immediate
 * removal.
 */
export async function removeWhenClosed(stream: WriteStream, path: string): Promise<void> {
  // Not events.once: it rejects on the 'error' the failed pipeline destroyed the stream with.
  if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', resolve));
  await removeQuietly(path);
}
