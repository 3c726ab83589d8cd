import { isOciError, parseDigest } from '@lading/oci';
import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import { CorruptStorageError } from './errors.js';

/** The digest a link file holds, or `undefined` when there is no link. */
export async function readLink(driver: StorageDriver, path: string): Promise<string | undefined> {
  let content: Buffer;
  try {
    content = await driver.getContent(path);
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND')) return undefined;
    throw error;
  }
  // distribution writes no newline, but tolerate one written by hand.
  const digest = content.toString('utf8').trim();
  try {
    return parseDigest(digest).digest;
  } catch (error) {
    if (!isOciError(error)) throw error;
    throw new CorruptStorageError(
      `link ${path} holds ${JSON.stringify(digest.slice(0, 80))}, not a digest`,
      {
        cause: error,
      },
    );
  }
}

export async function writeLink(
  driver: StorageDriver,
  path: string,
  digest: string,
): Promise<void> {
  await driver.putContent(path, Buffer.from(digest, 'utf8'));
}

/** Runs `operation`, treating a missing path as done (a delete that raced another). */
export async function ignoringMissing(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!isStorageError(error, 'PATH_NOT_FOUND')) throw error;
  }
}

/** Whether a path exists (a file or a directory). */
export async function exists(driver: StorageDriver, path: string): Promise<boolean> {
  try {
    await driver.stat(path);
    return true;
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND')) return false;
    throw error;
  }
}
