import { readFile } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  BaseStorageDriver,
  DriverParameters,
  type BaseDriverOptions,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import pLimit from 'p-limit';
import type { FileSystem } from './file-system.js';
import { FilesystemBackend } from './filesystem-backend.js';

export const defaultRootDirectory = '/var/lib/registry';
export const defaultMaxThreads = 100;
/** distribution's floor: fewer threads than this starve a busy registry. */
export const minimumMaxThreads = 25;

export interface FilesystemDriverOptions extends BaseDriverOptions {
  /** Where the tree lives; created on first write. Default `/var/lib/registry`. */
  rootDirectory?: string;
  /** At most this many file operations at once. Default 100, at least 25. */
  maxThreads?: number;
  /** The file-system API to use; tests inject wrappers. Default `node:fs/promises`. */
  fileSystem?: FileSystem;
}

/**
 * `node:fs/promises`, but whole small files (links, manifests: read on every
 * HEAD and GET) are read through the callback API, which skips the promise
 * API's FileHandle for each file: blob HEADs went from 4,100 to 5,100 a
 * second in one side-by-side probe (docs/performance.md). Memory was not
 * affected.
 */
const nodeFileSystem: FileSystem = {
  ...fsPromises,
  readFile: promisify(readFile) as FileSystem['readFile'],
};

/** A driver storing under `rootDirectory` on the local filesystem. */
export function createFilesystemDriver(options: FilesystemDriverOptions = {}): StorageDriver {
  const root = resolve(options.rootDirectory ?? defaultRootDirectory);
  const limit = pLimit(options.maxThreads ?? defaultMaxThreads);
  const backend = new FilesystemBackend(root, options.fileSystem ?? nodeFileSystem, limit);
  return new BaseStorageDriver(backend, options);
}

/** config.yml `storage: filesystem:` parameters (`rootdirectory`, `maxthreads`) → options. */
export function fromParameters(parameters: DriverParametersInput): FilesystemDriverOptions {
  const reader = new DriverParameters(parameters);
  const options: FilesystemDriverOptions = {
    rootDirectory: reader.string('rootdirectory', defaultRootDirectory) || defaultRootDirectory,
    maxThreads: reader.integer('maxthreads', defaultMaxThreads, { min: minimumMaxThreads }),
  };
  reader.rejectUnknownKeys();
  return options;
}

/** Factory for `StorageDriverRegistry`: `storage: filesystem: {...}` in config.yml. */
export function filesystemDriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createFilesystemDriver(fromParameters(parameters));
}
