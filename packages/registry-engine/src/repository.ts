import { validateRepositoryName } from '@lading/oci';
import type { EngineContext } from './engine-context.js';
import { RepositoryBlobs } from './repository-blobs.js';
import { RepositoryManifests } from './repository-manifests.js';
import { RepositoryReferrers } from './repository-referrers.js';
import { RepositoryTags } from './repository-tags.js';
import { RepositoryUploads } from './repository-uploads.js';

/** One repository's blobs, uploads, manifests, tags and referrers. */
export class Repository {
  readonly blobs: RepositoryBlobs;
  readonly uploads: RepositoryUploads;
  readonly manifests: RepositoryManifests;
  readonly tags: RepositoryTags;
  readonly referrers: RepositoryReferrers;

  /** `NameInvalidError` unless `name` is a valid repository name. */
  constructor(
    engine: EngineContext,
    readonly name: string,
  ) {
    validateRepositoryName(name);
    this.blobs = new RepositoryBlobs(engine, name);
    this.uploads = new RepositoryUploads(engine, name);
    this.manifests = new RepositoryManifests(engine, name);
    this.tags = new RepositoryTags(engine, name);
    this.referrers = new RepositoryReferrers(engine, name);
  }
}
