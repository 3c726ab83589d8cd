export { RegistryEngine, createRegistryEngine, defaultMaxManifestSize } from './engine.js';
export type { RegistryEngineOptions } from './engine.js';
export type { ForeignLayerPolicy } from './engine-context.js';
export { Repository } from './repository.js';
export type { RepositoryBlobs, BlobReadOptions, OpenedBlob } from './repository-blobs.js';
// How to send an opened blob's stream so that the storage reader can reuse its buffers.
export { pipeRecycling } from '@lading/storage-driver';
export type {
  CompleteOptions,
  RepositoryUploads,
  UploadSource,
  UploadStatus,
} from './repository-uploads.js';
export type { ManifestContent, ManifestDescriptor } from './manifest-revisions.js';
export type {
  PutManifestOptions,
  PutManifestResult,
  RepositoryManifests,
} from './repository-manifests.js';
export type { RepositoryTags, TagPage } from './repository-tags.js';
export { maxConfigSize } from './tag-details.js';
export type { TagDetails, TagDetailsPage } from './tag-details.js';
export type {
  ReferrersOptions,
  ReferrersResult,
  RepositoryReferrers,
} from './repository-referrers.js';
export type { CatalogPage } from './catalog.js';
export { compareRepositoryNames } from './catalog.js';
export type { PageRequest } from './pagination.js';
export type { PurgeOptions, PurgedUpload } from './purge-uploads.js';
export {
  createInMemoryBlobDescriptorCache,
  noBlobDescriptorCache,
} from './blob-descriptor-cache.js';
export type { BlobDescriptor, BlobDescriptorCache } from './blob-descriptor-cache.js';
export type {
  EventTarget,
  RegistryAction,
  RegistryEvent,
  RegistryEventListener,
  RegistryEventRecorder,
  RequestContext,
} from './events.js';
export {
  BlobRangeNotSatisfiableError,
  BlobUnknownError,
  BlobUploadUnknownError,
  CorruptStorageError,
  DeletesDisabledError,
  DigestMismatchError,
  EngineError,
  ManifestBlobUnknownError,
  ManifestRefusedError,
  ManifestTooLargeError,
  ManifestUnknownError,
  NameUnknownError,
  PaginationNumberInvalidError,
  UploadOffsetMismatchError,
  isEngineError,
} from './errors.js';
export type { EngineErrorCode } from './errors.js';
export * as layout from './paths.js';
