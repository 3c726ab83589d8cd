import {
  MediaType,
  annotationsOf,
  artifactTypeOf,
  isOciError,
  manifestReferences,
  parseDigest,
  parseManifest,
  type Descriptor,
  type ImageIndex,
  type ParsedManifest,
} from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import { mapLimit } from './concurrency.js';
import type { EngineContext } from './engine-context.js';
import { isEngineError } from './errors.js';
import { readLink, writeLink } from './links.js';
import { referrerLinkPath, referrersPath, revisionsPath } from './paths.js';
import { RepositoryManifests } from './repository-manifests.js';

export interface ReferrersOptions {
  /** Only referrers of this artifact type. */
  readonly artifactType?: string;
}

export interface ReferrersResult {
  /** An OCI image index whose `manifests` are the referrers. */
  readonly index: ImageIndex;
  /** The filters that were applied, for `OCI-Filters-Applied`. */
  readonly filtersApplied: readonly string[];
}

/**
 * The OCI 1.1 referrers of subjects in one repository. Manifests with a
 * `subject` are indexed under `_referrers` when pushed, whether or not the
 * subject exists; manifests listed in the client-side fallback tag
 * (`sha256-<hex>`) are included too, so pushes made before the registry
 * supported referrers are not lost.
 */
export class RepositoryReferrers {
  readonly #manifests: RepositoryManifests;

  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
  ) {
    this.#manifests = new RepositoryManifests(engine, repository);
  }

  async list(subject: string, options: ReferrersOptions = {}): Promise<ReferrersResult> {
    const { algorithm, encoded } = parseDigest(subject);
    const digests = new Set([
      ...(await this.indexed(subject)),
      ...(await this.fromFallbackTag(`${algorithm}-${encoded}`)),
    ]);
    const descriptors = await mapLimit(
      [...digests].sort(),
      this.engine.settings.concurrency,
      (digest) => this.describe(digest, subject),
    );
    const { artifactType } = options;
    const manifests = descriptors.filter(
      (descriptor): descriptor is Descriptor =>
        descriptor !== undefined &&
        (artifactType === undefined || descriptor.artifactType === artifactType),
    );
    return {
      index: { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests },
      filtersApplied: artifactType === undefined ? [] : ['artifactType'],
    };
  }

  /**
   * Indexes every manifest of the repository that has a subject: for a tree
   * written by another registry, which kept no such index. Returns how many
   * referrers it found.
   */
  async reindex(): Promise<number> {
    let found = 0;
    const revisions: string[] = [];
    try {
      await this.engine.driver.walk(revisionsPath(this.repository), (info) => {
        if (!info.isDir && info.path.endsWith('/link')) revisions.push(info.path);
        return undefined;
      });
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND')) return 0;
      throw error;
    }
    for (const path of revisions) {
      const digest = await readLink(this.engine.driver, path);
      const subject = digest === undefined ? undefined : await this.subjectOf(digest);
      if (digest === undefined || subject === undefined) continue;
      await writeLink(
        this.engine.driver,
        referrerLinkPath(this.repository, subject, digest),
        digest,
      );
      found += 1;
    }
    return found;
  }

  private async indexed(subject: string): Promise<string[]> {
    const links: string[] = [];
    try {
      await this.engine.driver.walk(referrersPath(this.repository, subject), (info) => {
        if (!info.isDir && info.path.endsWith('/link')) links.push(info.path);
        return undefined;
      });
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND')) return [];
      throw error;
    }
    const digests = await mapLimit(links, this.engine.settings.concurrency, (path) =>
      readLink(this.engine.driver, path),
    );
    return digests.filter((digest): digest is string => digest !== undefined);
  }

  private async fromFallbackTag(tag: string): Promise<string[]> {
    try {
      const { content } = await this.#manifests.load(tag);
      const parsed = parseManifest(content);
      return parsed.kind === 'index'
        ? parsed.manifest.manifests.map((manifest) => manifest.digest)
        : [];
    } catch (error) {
      if (isEngineError(error, 'MANIFEST_UNKNOWN') || isOciError(error)) return [];
      throw error;
    }
  }

  /** The referrer's descriptor, if it is still in the repository and refers to `subject`. */
  private async describe(digest: string, subject: string): Promise<Descriptor | undefined> {
    let parsed: ParsedManifest;
    let size: number;
    try {
      const manifest = await this.#manifests.load(digest);
      size = manifest.size;
      parsed = parseManifest(manifest.content);
    } catch (error) {
      if (isEngineError(error, 'MANIFEST_UNKNOWN') || isOciError(error)) return undefined;
      throw error;
    }
    if (manifestReferences(parsed).subject?.digest !== subject) return undefined;
    const artifactType = artifactTypeOf(parsed);
    const annotations = annotationsOf(parsed);
    return {
      mediaType: parsed.mediaType,
      digest,
      size,
      ...(artifactType === undefined ? {} : { artifactType }),
      ...(annotations === undefined ? {} : { annotations }),
    };
  }

  private async subjectOf(digest: string): Promise<string | undefined> {
    try {
      const { content } = await this.#manifests.load(digest);
      return manifestReferences(parseManifest(content)).subject?.digest;
    } catch (error) {
      if (isEngineError(error, 'MANIFEST_UNKNOWN') || isOciError(error)) return undefined;
      throw error;
    }
  }
}
