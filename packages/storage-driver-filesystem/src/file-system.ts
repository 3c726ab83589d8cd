import type * as fsPromises from 'node:fs/promises';

/**
 * The part of `node:fs/promises` the driver uses. Tests inject a wrapper to
 * observe or fail operations; everyone else gets the real module.
 */
export type FileSystem = Pick<
  typeof fsPromises,
  'copyFile' | 'lstat' | 'mkdir' | 'open' | 'readFile' | 'readdir' | 'rename' | 'rm' | 'stat'
>;

export type FileHandle = fsPromises.FileHandle;

/** Error codes that mean "nothing (usable) is at this path". */
const missingCodes = new Set(['ENOENT', 'ENOTDIR']);

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function isMissing(error: unknown, alsoCodes: readonly string[] = []): boolean {
  const code = errorCode(error);
  return code !== undefined && (missingCodes.has(code) || alsoCodes.includes(code));
}
