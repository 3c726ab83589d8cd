import {
  fileWriterStream,
  isStorageError,
  type StorageDriver,
  type StorageDriverError,
  type StorageErrorCode,
} from '@lading/storage-driver';
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspect } from 'node:util';
import { collect } from './content.js';

/**
 * Expects `operation` to reject with a storage error of `code` that names the
 * driver (and the path, when given), as every driver error must.
 */
export async function expectStorageError(
  driver: StorageDriver,
  operation: Promise<unknown>,
  code: StorageErrorCode,
  path?: string,
): Promise<void> {
  let outcome: unknown;
  try {
    await operation;
    outcome = undefined;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined)
    expect.fail(`expected a storage error with code ${code}, but the call succeeded`);
  if (!isStorageError(outcome)) {
    expect.fail(`expected a storage error with code ${code}, got ${inspect(outcome)}`);
  }
  expect(outcome.code, outcome.message).to.equal(code);
  expect(outcome.driverName, 'the error names the driver').to.equal(driver.name);
  expect(outcome.message, 'the message names the driver').to.contain(driver.name);
  if (path !== undefined) expect(outcome.path, 'the error names the path').to.equal(path);
}

/**
 * The storage error `operation` rejects with; fails the test if it succeeds or
 * rejects with anything else. For a driver's own tests of its error messages.
 */
export async function storageErrorOf(operation: Promise<unknown>): Promise<StorageDriverError> {
  try {
    await operation;
  } catch (error) {
    if (isStorageError(error)) return error;
    expect.fail(`expected a storage error, got ${inspect(error)}`);
  }
  expect.fail('expected a storage error, but the call succeeded');
}

/** Writes `content` through a writer and commits it. */
export async function writeAndCommit(
  driver: StorageDriver,
  path: string,
  content: Buffer | Readable,
): Promise<number> {
  const writer = await driver.writer(path);
  try {
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    await pipeline(source, fileWriterStream(writer));
    await writer.commit();
    return writer.size;
  } finally {
    await writer.close();
  }
}

/** Reads a (small) file through a reader. */
export async function readBack(
  driver: StorageDriver,
  path: string,
  offset?: number,
  length?: number,
): Promise<Buffer> {
  return collect(await driver.reader(path, offset, length));
}

/** Writes each `[path, content]` with putContent. */
export async function putFiles(
  driver: StorageDriver,
  files: Record<string, string>,
): Promise<void> {
  await Promise.all(
    Object.entries(files).map(([path, content]) => driver.putContent(path, Buffer.from(content))),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Human size for test titles: 0 B, 1 B, 32 KiB, 5 MiB + 1 B. */
export function sizeLabel(size: number): string {
  const MiB = 1024 * 1024;
  if (size >= MiB) {
    const rest = size % MiB;
    return `${String(Math.floor(size / MiB))} MiB${rest === 0 ? '' : ` + ${String(rest)} B`}`;
  }
  if (size >= 1024 && size % 1024 === 0) return `${String(size / 1024)} KiB`;
  return `${String(size)} B`;
}
