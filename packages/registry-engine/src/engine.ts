import type { StorageDriver } from '@lading/storage-driver';
import {
  createInMemoryBlobDescriptorCache,
  type BlobDescriptorCache,
} from './blob-descriptor-cache.js';
import { BlobStore } from './blob-store.js';
import { listRepositories, listRepositoriesUnder, type CatalogPage } from './catalog.js';
import { deleteRepository } from './delete-repository.js';
import type { EngineContext, ForeignLayerPolicy } from './engine-context.js';
import { EventBus, type RegistryEventListener, type RegistryEventRecorder } from './events.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { PageRequest } from './pagination.js';
import { purgeUploads, type PurgeOptions, type PurgedUpload } from './purge-uploads.js';
import { Repository } from './repository.js';
import { TagPresence } from './tag-presence.js';
import { UploadHashes } from './upload-hashes.js';

/** distribution's limit, and the minimum OCI asks registries to accept. */
export const defaultMaxManifestSize = 4 * 1024 * 1024;

export interface RegistryEngineOptions {
  /** Where everything is stored. */
  readonly driver: StorageDriver;
  /** Allow deleting blobs, manifests and tags (`storage.delete.enabled`). Default false. */
  readonly deleteEnabled?: boolean;
  /** Accept signed Docker schema 1 manifests (`compatibility.schema1.enabled`). Default false. */
  readonly schema1Enabled?: boolean;
  /** Largest manifest accepted, in bytes. Default 4 MiB. */
  readonly maxManifestSize?: number;
  /** Which URLs foreign layers may have (`validation.manifests.urls`). Default: any http(s) URL. */
  readonly foreignLayers?: ForeignLayerPolicy;
  /** Descriptors of stored blobs. Default: an in-memory LRU of 10,000. */
  readonly blobDescriptorCache?: BlobDescriptorCache;
  /** Storage reads one operation may run at once. Default 16. */
  readonly concurrency?: number;
}

/**
 * A registry without HTTP: content-addressable blobs and manifests in CNCF
 * distribution's storage layout, on any storage driver. Embed it in any Node
 * service; `@lading/registry-api` puts it on the wire.
 */
export class RegistryEngine {
  readonly #context: EngineContext;

  constructor(options: RegistryEngineOptions) {
    const cache = options.blobDescriptorCache ?? createInMemoryBlobDescriptorCache();
    this.#context = {
      driver: options.driver,
      blobStore: new BlobStore(options.driver, cache),
      events: new EventBus(),
      uploadLocks: new KeyedMutex(),
      uploadHashes: new UploadHashes(),
      tagPresence: new TagPresence(),
      settings: {
        deleteEnabled: options.deleteEnabled ?? false,
        schema1Enabled: options.schema1Enabled ?? false,
        maxManifestSize: options.maxManifestSize ?? defaultMaxManifestSize,
        foreignLayers: options.foreignLayers ?? {},
        concurrency: options.concurrency ?? 16,
      },
    };
  }

  /** The repository `name`; `NameInvalidError` if the name breaks the grammar. Nothing is created. */
  repository(name: string): Repository {
    return new Repository(this.#context, name);
  }

  /** Repositories in catalog order (`a`, `a/b`, `a-b`), `n` at a time after `last`. */
  catalog(request: PageRequest = {}): Promise<CatalogPage> {
    return listRepositories(this.#context.driver, request);
  }

  /**
   * The repository `prefix` and every repository below it (`prefix/…`; not
   * `prefix-x`), in catalog order, reading only the directories under
   * `repositories/<prefix>`; `[]` when there is none. `NameInvalidError` when
   * `prefix` breaks the repository-name grammar.
   */
  repositoriesUnder(prefix: string): Promise<string[]> {
    return listRepositoriesUnder(this.#context.driver, prefix);
  }

  /**
   * Removes the repository `name` — manifests, tags, blob links, uploads —
   * leaving blob data for garbage collection and repositories nested below it
   * untouched. `DeletesDisabledError` unless deletes are enabled,
   * `NameUnknownError` when there is no such repository. Emits no event
   * (the event model has no repository target).
   */
  deleteRepository(name: string): Promise<void> {
    return deleteRepository(this.#context, name);
  }

  /** Removes uploads that started before `olderThan`, returning what it removed. */
  purgeUploads(options: PurgeOptions): Promise<PurgedUpload[]> {
    return purgeUploads(this.#context.driver, options);
  }

  /**
   * Calls `listener` after every push, pull, mount and delete, outside the
   * operation that caused it. Returns a function that unsubscribes.
   */
  onEvent(listener: RegistryEventListener): () => void {
    return this.#context.events.subscribe(listener);
  }

  /**
   * Awaits `recorder` with every event before the operation that caused it
   * returns — a pushed blob is recorded before its PUT is answered — so a
   * durable notification queue loses nothing to a crash. Its failures are
   * logged, never failing the operation. Returns a function that unsubscribes.
   */
  onEventRecorded(recorder: RegistryEventRecorder): () => void {
    return this.#context.events.record(recorder);
  }
}

export function createRegistryEngine(options: RegistryEngineOptions): RegistryEngine {
  return new RegistryEngine(options);
}
