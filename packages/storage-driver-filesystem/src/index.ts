export {
  createFilesystemDriver,
  defaultMaxThreads,
  defaultRootDirectory,
  filesystemDriverFactory,
  fromParameters,
  minimumMaxThreads,
} from './filesystem-driver.js';
export type { FilesystemDriverOptions } from './filesystem-driver.js';
export type { FileSystem } from './file-system.js';
