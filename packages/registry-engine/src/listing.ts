import { isStorageError, type StorageDriver } from '@lading/storage-driver';

/** The names of a directory's entries; none when it is missing (or deleted meanwhile). */
export async function listNames(driver: StorageDriver, path: string): Promise<string[]> {
  try {
    return (await driver.list(path)).map((child) => child.slice(child.lastIndexOf('/') + 1));
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND')) return [];
    throw error;
  }
}
