import {
  digestOf,
  manifestReferences,
  parseDigest,
  parseManifest,
  parseReference,
  type Reference,
} from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import type { EngineContext } from './engine-context.js';
import {
  DeletesDisabledError,
  DigestMismatchError,
  ManifestTooLargeError,
  ManifestUnknownError,
} from './errors.js';
import type { RequestContext } from './events.js';
import { ignoringMissing, readLink, writeLink } from './links.js';
import { checkManifest } from './manifest-checks.js';
import {
  loadRevision,
  type ManifestContent,
  type ManifestDescriptor,
} from './manifest-revisions.js';
import { referrerLinkPath, revisionLinkPath } from './paths.js';
import { RepositoryBlobs } from './repository-blobs.js';
import { RepositoryTags } from './repository-tags.js';

export interface PutManifestResult extends ManifestDescriptor {
  /** The digest of the manifest's `subject`, for the `OCI-Subject` header. */
  readonly subject?: string;
}

export interface PutManifestOptions {
  /** The `Content-Type` of the push; the body's own `mediaType` must agree with it. */
  readonly mediaType?: string;
  readonly context?: RequestContext;
}

/**
 * The manifests of one repository: validated on the way in, stored byte for
 * byte as blobs, linked as revisions, and reachable by tag.
 */
export class RepositoryManifests {
  readonly #blobs: RepositoryBlobs;
  readonly #tags: RepositoryTags;

  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
  ) {
    this.#blobs = new RepositoryBlobs(engine, repository);
    this.#tags = new RepositoryTags(engine, repository);
  }

  /**
   * Stores a manifest under a tag or its digest. The digest is that of the
   * exact bytes; a digest reference must match it. Everything the manifest
   * refers to must be in the repository first.
   */
  async put(
    reference: string,
    content: Buffer,
    options: PutManifestOptions = {},
  ): Promise<PutManifestResult> {
    const { maxManifestSize } = this.engine.settings;
    if (content.length > maxManifestSize)
      throw new ManifestTooLargeError(content.length, maxManifestSize);
    const target = parseReference(reference);
    const parsed = parseManifest(content, options.mediaType);
    const digest = digestOf(content);
    if (target.kind === 'digest') this.checkDigestReference(target.digest, content);
    await checkManifest(this.engine, this.repository, parsed, {
      hasBlob: (blob) => this.#blobs.exists(blob),
      hasManifest: (manifest) => this.exists(manifest),
    });
    const references = manifestReferences(parsed);
    // Content first, then the links that make it visible: a crash in between leaves garbage, never a dangling link.
    await this.engine.blobStore.putIfAbsent(digest, content);
    await writeLink(this.engine.driver, revisionLinkPath(this.repository, digest), digest);
    if (target.kind === 'digest' && target.digest !== digest) {
      await writeLink(this.engine.driver, revisionLinkPath(this.repository, target.digest), digest);
    }
    if (references.subject !== undefined) {
      await writeLink(
        this.engine.driver,
        referrerLinkPath(this.repository, references.subject.digest, digest),
        digest,
      );
    }
    if (target.kind === 'tag') await this.#tags.set(target.tag, digest);
    const descriptor = { digest, mediaType: parsed.mediaType, size: content.length };
    await this.engine.events.emit(
      'push',
      {
        kind: 'manifest',
        repository: this.repository,
        ...descriptor,
        ...(target.kind === 'tag' ? { tag: target.tag } : {}),
        references: [...references.blobs, ...references.manifests].map((item) => item.digest),
      },
      options.context,
    );
    return {
      ...descriptor,
      ...(references.subject === undefined ? {} : { subject: references.subject.digest }),
    };
  }

  /** The manifest's exact bytes and media type. Emits a pull event. */
  async get(reference: string, context?: RequestContext): Promise<ManifestContent> {
    const manifest = await this.read(parseReference(reference), reference);
    await this.engine.events.emit(
      'pull',
      {
        kind: 'manifest',
        repository: this.repository,
        digest: manifest.digest,
        mediaType: manifest.mediaType,
        size: manifest.size,
        ...(reference.includes(':') ? {} : { tag: reference }),
      },
      context,
    );
    return manifest;
  }

  /** The manifest's digest, media type and size (a HEAD). */
  async stat(reference: string): Promise<ManifestDescriptor> {
    const { digest, mediaType, size } = await this.load(reference);
    return { digest, mediaType, size };
  }

  /** The manifest, read for the engine's own use: no pull event. */
  load(reference: string): Promise<ManifestContent> {
    return this.read(parseReference(reference), reference);
  }

  /** True when the manifest is in this repository: linked as a revision and stored. */
  async exists(digest: string): Promise<boolean> {
    const canonical = await readLink(this.engine.driver, revisionLinkPath(this.repository, digest));
    return canonical !== undefined && (await this.engine.blobStore.stat(canonical)) !== undefined;
  }

  /**
   * By tag: removes the tag. By digest: removes the manifest from the
   * repository and every tag that points at it. Blob data stays (garbage
   * collection reclaims it).
   */
  async delete(reference: string, context?: RequestContext): Promise<void> {
    if (!this.engine.settings.deleteEnabled)
      throw new DeletesDisabledError(`delete manifest ${reference}`);
    const target = parseReference(reference);
    if (target.kind === 'tag') {
      const digest = await this.#tags.resolve(target.tag);
      await this.#tags.remove(target.tag);
      await this.engine.events.emit(
        'delete',
        { kind: 'tag', repository: this.repository, tag: target.tag, digest },
        context,
      );
      return;
    }
    const manifest = await this.read(target, reference);
    // Found before the revision goes: with it may go the repository's last trace.
    const tags = await this.#tags.pointingAt(manifest.digest);
    await this.forgetSubject(manifest);
    try {
      await this.engine.driver.delete(revisionLinkPath(this.repository, target.digest));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new ManifestUnknownError(this.repository, reference);
      throw error;
    }
    for (const tag of tags) await ignoringMissing(this.#tags.remove(tag));
    await this.engine.events.emit(
      'delete',
      {
        kind: 'manifest',
        repository: this.repository,
        digest: manifest.digest,
        mediaType: manifest.mediaType,
        size: manifest.size,
      },
      context,
    );
  }

  private async read(target: Reference, reference: string): Promise<ManifestContent> {
    const requested = target.kind === 'tag' ? await this.#tags.resolve(target.tag) : target.digest;
    return loadRevision(this.engine, this.repository, requested, reference);
  }

  private checkDigestReference(reference: string, content: Buffer): void {
    const { algorithm } = parseDigest(reference);
    const actual = digestOf(content, algorithm);
    if (actual !== reference) throw new DigestMismatchError(reference, actual);
  }

  /** Drops the manifest from its subject's referrers. */
  private async forgetSubject(manifest: ManifestContent): Promise<void> {
    let subject: string | undefined;
    try {
      subject = manifestReferences(parseManifest(manifest.content)).subject?.digest;
    } catch {
      return; // a manifest the engine cannot parse has no referrers entry either
    }
    if (subject !== undefined) {
      await ignoringMissing(
        this.engine.driver.delete(referrerLinkPath(this.repository, subject, manifest.digest)),
      );
    }
  }
}
