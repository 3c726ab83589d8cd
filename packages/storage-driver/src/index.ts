export type {
  FileInfo,
  FileWriter,
  RedirectMethod,
  StorageDriver,
  WalkDecision,
  WalkVisitor,
} from './storage-driver.js';
export type { StorageBackend } from './storage-backend.js';
export {
  FileWriterStateError,
  InvalidDriverParameterError,
  InvalidOffsetError,
  InvalidPathError,
  PathNotFoundError,
  StorageDriverError,
  UnknownStorageDriverError,
  UnsupportedMethodError,
  isStorageError,
} from './errors.js';
export type { StorageErrorCode, StorageErrorOptions } from './errors.js';
export {
  assertValidPath,
  baseName,
  isValidPath,
  isValidPathComponent,
  isWithin,
  joinPath,
  parentPath,
  pathProblem,
} from './paths.js';
export { BaseStorageDriver } from './base-driver.js';
export type { BaseDriverOptions, StorageOperation } from './base-driver.js';
export { walkByListing, walkFallback } from './walk.js';
export { StorageDriverRegistry, createStorageDriver, registerStorageDriver } from './registry.js';
export type { DriverParametersInput, StorageDriverFactory } from './registry.js';
export { DriverParameters } from './parameters.js';
export { fileWriterStream } from './streams.js';
export { PartUploader } from './part-uploader.js';
export type { PartSender } from './part-uploader.js';
export { ObjectKeys, isBookkeepingKey } from './object-keys.js';
export { ObjectTree } from './object-tree.js';
export type { ObjectTreeSource } from './object-tree.js';
export { partRanges } from './part-ranges.js';
export type { ByteRange, PartSizeLimits } from './part-ranges.js';
export { mapConcurrently, settleAll } from './concurrency.js';
export type { MultipartStore, PartialState, UploadedPart } from './multipart-store.js';
export { MultipartWriter } from './multipart-writer.js';
export type { MultipartWriterStart } from './multipart-writer.js';
export { openMultipartWriter } from './multipart-writer-open.js';
export { copyServerSide } from './multipart-copy.js';
export { isRecyclingReadable, pipeRecycling, recycleChunk } from './recycling.js';
export type { RecyclingReadable } from './recycling.js';
