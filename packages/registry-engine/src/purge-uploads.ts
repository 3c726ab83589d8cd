import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import { listNames } from './listing.js';
import { ignoringMissing } from './links.js';
import { repositoriesPath } from './paths.js';

export interface PurgedUpload {
  readonly repository: string;
  readonly id: string;
  /** When the upload started; the Unix epoch if that was not recorded. */
  readonly startedAt: Date;
}

export interface PurgeOptions {
  /** Uploads started before this are removed. */
  readonly olderThan: Date;
  /** Only report what would be removed. */
  readonly dryRun?: boolean;
}

/**
 * Removes uploads started before `olderThan` from every repository
 * (distribution's upload purging). An upload without a readable start time
 * is broken and counts as ancient.
 */
export async function purgeUploads(
  driver: StorageDriver,
  options: PurgeOptions,
): Promise<PurgedUpload[]> {
  const purged: PurgedUpload[] = [];
  const visit = async (name: string): Promise<void> => {
    const directory = name === '' ? repositoriesPath : `${repositoriesPath}/${name}`;
    for (const child of await listNames(driver, directory)) {
      if (child === '_uploads') {
        purged.push(...(await purgeRepository(driver, name, options)));
      } else if (!child.startsWith('_')) {
        await visit(name === '' ? child : `${name}/${child}`);
      }
    }
  };
  await visit('');
  return purged;
}

async function purgeRepository(
  driver: StorageDriver,
  repository: string,
  options: PurgeOptions,
): Promise<PurgedUpload[]> {
  const uploads = `${repositoriesPath}/${repository}/_uploads`;
  const purged: PurgedUpload[] = [];
  for (const id of await listNames(driver, uploads)) {
    const startedAt = await readStartedAt(driver, `${uploads}/${id}/startedat`);
    if (startedAt >= options.olderThan) continue;
    if (options.dryRun !== true) await ignoringMissing(driver.delete(`${uploads}/${id}`));
    purged.push({ repository, id, startedAt });
  }
  return purged;
}

async function readStartedAt(driver: StorageDriver, path: string): Promise<Date> {
  try {
    const startedAt = new Date((await driver.getContent(path)).toString('utf8').trim());
    return Number.isNaN(startedAt.getTime()) ? new Date(0) : startedAt;
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND')) return new Date(0);
    throw error;
  }
}
