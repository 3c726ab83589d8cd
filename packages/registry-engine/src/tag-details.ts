import { isOciError, parseManifest, type Descriptor, type ParsedManifest } from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import { mapLimit } from './concurrency.js';
import type { EngineContext } from './engine-context.js';
import { ManifestUnknownError } from './errors.js';
import { loadRevision, type ManifestContent } from './manifest-revisions.js';
import { tagCurrentLinkPath } from './paths.js';
import { RepositoryBlobs } from './repository-blobs.js';
import { parseRfc3339 } from './rfc3339.js';

/**
 * The largest image config read for its `created` time. A config is JSON of a
 * few kilobytes; this bound (that of manifests) keeps a hostile or mislabelled
 * one from being read into memory. A larger config counts as having no time.
 */
export const maxConfigSize = 4 * 1024 * 1024;

export interface TagDetails {
  /** The tag. */
  readonly name: string;
  /** The digest of the manifest it points at. */
  readonly digest: string;
  readonly mediaType: string;
  /**
   * Bytes of the manifest and of everything it refers to, as the manifests
   * declare them: for an image, its config and layers (foreign layers too);
   * for an index, each child manifest and, in turn, what it refers to. Every
   * distinct digest counts once, so a layer that two platforms of an index
   * share, or the same child listed twice, is not counted twice: the bytes
   * the tag keeps alive, not the sum of what each platform downloads.
   * Children no longer in the repository count nothing. A schema 1 manifest
   * declares no sizes, so its layers count as stored.
   */
  readonly size: number;
  /**
   * When the image was built: the `created` of its config (for an index, the
   * newest among its images; for schema 1, that of its top layer) when it is
   * an RFC 3339 time; else when the tag was last set (its `current/link`'s
   * modification time). Absent when neither is known (a driver reporting the
   * Unix epoch for the link).
   */
  readonly createdAt?: Date;
}

export interface TagDetailsPage {
  readonly tags: TagDetails[];
  /** More tags follow the last one returned. */
  readonly truncated: boolean;
}

/** What a manifest weighs and when its newest image was built. */
interface Measure {
  readonly size: number;
  readonly builtAt?: Date;
}

interface ManifestSummary extends Measure {
  readonly digest: string;
  readonly mediaType: string;
}

/**
 * Works out tag details for one operation. `limit` bounds the storage reads it
 * runs at once for the children of an index (1 when the caller already runs
 * tags in parallel); what a manifest weighs is worked out once per operation,
 * since tags often share a manifest (`latest` and `v1.2`).
 */
export class TagDescriber {
  readonly #blobs: RepositoryBlobs;
  readonly #summaries = new Map<string, Promise<ManifestSummary>>();

  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
    private readonly limit: number,
  ) {
    this.#blobs = new RepositoryBlobs(engine, repository);
  }

  /** Details of `tag`, which points at `digest`; `ManifestUnknownError` if either is gone. */
  async describe(tag: string, digest: string): Promise<TagDetails> {
    let summary: ManifestSummary;
    try {
      summary = await this.summary(digest);
    } catch (error) {
      if (error instanceof ManifestUnknownError)
        throw new ManifestUnknownError(this.repository, tag);
      throw error;
    }
    const createdAt = summary.builtAt ?? (await this.taggedAt(tag));
    return {
      name: tag,
      digest: summary.digest,
      mediaType: summary.mediaType,
      size: summary.size,
      ...(createdAt === undefined ? {} : { createdAt }),
    };
  }

  private summary(digest: string): Promise<ManifestSummary> {
    let summary = this.#summaries.get(digest);
    if (summary === undefined) {
      summary = (async () => {
        const manifest = await loadRevision(this.engine, this.repository, digest, digest);
        const measure = await this.measure(manifest, new Set([manifest.digest]), this.limit);
        return { ...measure, digest: manifest.digest, mediaType: manifest.mediaType };
      })();
      this.#summaries.set(digest, summary);
    }
    return summary;
  }

  /** The manifest's size and build time; `seen` holds the digests already counted. */
  private async measure(
    manifest: ManifestContent,
    seen: Set<string>,
    limit: number,
  ): Promise<Measure> {
    let parsed: ParsedManifest;
    try {
      parsed = parseManifest(manifest.content);
    } catch (error) {
      // Stored by another registry with other rules: its bytes are all that is known.
      if (isOciError(error)) return { size: manifest.size };
      throw error;
    }
    switch (parsed.kind) {
      case 'image': {
        const { config, layers } = parsed.manifest;
        const blobs = unseen([config, ...layers], seen);
        return {
          size: manifest.size + sum(blobs.map((blob) => blob.size)),
          builtAt: await this.configCreated(config),
        };
      }
      case 'index': {
        const children = await mapLimit(unseen(parsed.manifest.manifests, seen), limit, (child) =>
          this.measureChild(child.digest, seen),
        );
        return {
          size: manifest.size + sum(children.map((child) => child.size)),
          builtAt: newest(children.map((child) => child.builtAt)),
        };
      }
      case 'schema1': {
        const blobs = unseen(
          parsed.manifest.fsLayers.map((layer) => ({ digest: layer.blobSum })),
          seen,
        );
        const sizes = await mapLimit(blobs, limit, (blob) => this.storedSize(blob.digest));
        const top = parsed.manifest.history[0]?.v1Compatibility;
        return {
          size: manifest.size + sum(sizes),
          builtAt: top === undefined ? undefined : createdIn(top),
        };
      }
    }
  }

  /** A child of an index, measured one read at a time: the caller bounds the parallelism. */
  private async measureChild(digest: string, seen: Set<string>): Promise<Measure> {
    let child: ManifestContent;
    try {
      child = await loadRevision(this.engine, this.repository, digest, digest);
    } catch (error) {
      if (error instanceof ManifestUnknownError) return { size: 0 };
      throw error;
    }
    return this.measure(child, seen, 1);
  }

  /** The config's `created`, read through the blob store if it is small enough to be a config. */
  private async configCreated(config: Descriptor): Promise<Date | undefined> {
    if (config.size > maxConfigSize) return undefined;
    const canonical = (await this.#blobs.canonicalDigest(config.digest)) ?? config.digest;
    // The declared size may lie; the stored one cannot.
    const stored = await this.engine.blobStore.stat(canonical);
    if (stored === undefined || stored.size > maxConfigSize) return undefined;
    try {
      return createdIn((await this.engine.blobStore.getContent(canonical)).toString('utf8'));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  private async storedSize(digest: string): Promise<number> {
    const canonical = (await this.#blobs.canonicalDigest(digest)) ?? digest;
    return (await this.engine.blobStore.stat(canonical))?.size ?? 0;
  }

  /** When the tag was last set; `ManifestUnknownError` if it was removed meanwhile. */
  private async taggedAt(tag: string): Promise<Date | undefined> {
    let modTime: Date;
    try {
      ({ modTime } = await this.engine.driver.stat(tagCurrentLinkPath(this.repository, tag)));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new ManifestUnknownError(this.repository, tag);
      throw error;
    }
    // The contract lets a driver that cannot tell report the epoch.
    const time = modTime.getTime();
    return Number.isNaN(time) || time === 0 ? undefined : modTime;
  }
}

/** The descriptors whose digests are not in `seen` yet, each once; marks them seen. */
function unseen<T extends { readonly digest: string }>(
  descriptors: readonly T[],
  seen: Set<string>,
): T[] {
  return descriptors.filter((descriptor) => {
    if (seen.has(descriptor.digest)) return false;
    seen.add(descriptor.digest);
    return true;
  });
}

/** The `created` of an image config (or a schema 1 `v1Compatibility`), if it is RFC 3339. */
function createdIn(json: string): Date | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { created } = value as { created?: unknown };
  return typeof created === 'string' ? parseRfc3339(created) : undefined;
}

function newest(times: readonly (Date | undefined)[]): Date | undefined {
  let latest: Date | undefined;
  for (const time of times) {
    if (time !== undefined && (latest === undefined || time > latest)) latest = time;
  }
  return latest;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
