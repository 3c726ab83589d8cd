export { describeStorageDriver } from './describe-storage-driver.js';
export { expectStorageError, storageErrorOf } from './assertions.js';
export type { StorageDriverSuiteFactory, StorageDriverSuiteOptions } from './options.js';
export { patternBytes, patternDigest, patternStream, summarize } from './content.js';
export type { StreamSummary } from './content.js';
export { resumeWriterFromArguments } from './resume-in-another-process.js';
export { waitUntil, writePatternFile } from './driver-helpers.js';
