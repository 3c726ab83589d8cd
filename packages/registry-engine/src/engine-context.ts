import type { StorageDriver } from '@lading/storage-driver';
import type { BlobStore } from './blob-store.js';
import type { EventBus } from './events.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { TagPresence } from './tag-presence.js';
import type { UploadHashes } from './upload-hashes.js';

/** What every repository-scoped part of the engine shares. */
export interface EngineContext {
  readonly driver: StorageDriver;
  readonly blobStore: BlobStore;
  readonly events: EventBus;
  readonly uploadLocks: KeyedMutex;
  readonly uploadHashes: UploadHashes;
  readonly tagPresence: TagPresence;
  readonly settings: EngineSettings;
}

export interface ForeignLayerPolicy {
  /** A URL must match one of these, when any are given. */
  readonly allow?: readonly RegExp[];
  /** A URL must match none of these. */
  readonly deny?: readonly RegExp[];
}

export interface EngineSettings {
  readonly deleteEnabled: boolean;
  readonly schema1Enabled: boolean;
  readonly maxManifestSize: number;
  readonly foreignLayers: ForeignLayerPolicy;
  /** How many storage reads the engine runs at once for one operation (tags, referrers). */
  readonly concurrency: number;
}
