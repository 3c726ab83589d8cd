import type { Readable } from 'node:stream';
import { parseDigest, validateRepositoryName } from '@lading/oci';
import { isStorageError, type RedirectMethod } from '@lading/storage-driver';
import type { BlobDescriptor } from './blob-descriptor-cache.js';
import type { EngineContext } from './engine-context.js';
import { BlobRangeNotSatisfiableError, BlobUnknownError, DeletesDisabledError } from './errors.js';
import type { RequestContext } from './events.js';
import { readLink, writeLink } from './links.js';
import { layerLinkPath } from './paths.js';

export interface BlobReadOptions {
  /** First byte to read. Default 0. */
  readonly offset?: number;
  /** At most this many bytes. Default: to the end. */
  readonly length?: number;
  readonly context?: RequestContext;
}

export interface OpenedBlob {
  readonly descriptor: BlobDescriptor;
  readonly stream: Readable;
}

/** The blobs of one repository: those linked into it under `_layers`. */
export class RepositoryBlobs {
  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
  ) {}

  /** The blob's descriptor; `BlobUnknownError` unless it is linked here and stored. */
  async stat(digest: string): Promise<BlobDescriptor> {
    const canonical = await this.canonicalDigest(digest);
    const stored =
      canonical === undefined ? undefined : await this.engine.blobStore.stat(canonical);
    if (stored === undefined) throw new BlobUnknownError(this.repository, digest);
    return { ...stored, digest };
  }

  /** True when the blob is linked here and stored. */
  async exists(digest: string): Promise<boolean> {
    try {
      await this.stat(digest);
      return true;
    } catch (error) {
      if (error instanceof BlobUnknownError) return false;
      throw error;
    }
  }

  /** A stream of the blob (or a range of it), and its descriptor. Emits a pull event. */
  async open(digest: string, options: BlobReadOptions = {}): Promise<OpenedBlob> {
    const descriptor = await this.stat(digest);
    const offset = options.offset ?? 0;
    if (offset > descriptor.size)
      throw new BlobRangeNotSatisfiableError(digest, offset, descriptor.size);
    const canonical = (await this.canonicalDigest(digest)) ?? digest;
    let stream: Readable;
    try {
      stream = await this.engine.blobStore.open(canonical, offset, options.length);
    } catch (error) {
      // The data went away after the stat (a garbage collection): the blob is gone.
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new BlobUnknownError(this.repository, digest);
      throw error;
    }
    await this.emit('pull', descriptor, options.context);
    return { descriptor, stream };
  }

  /** A URL the client may fetch the blob from directly, if the storage offers one. */
  async redirectURL(digest: string, method: RedirectMethod = 'GET'): Promise<string | undefined> {
    await this.stat(digest);
    const canonical = (await this.canonicalDigest(digest)) ?? digest;
    return this.engine.blobStore.redirectURL(canonical, method);
  }

  /**
   * Links a blob stored for another repository into this one, without copying
   * it. `BlobUnknownError` when the source repository does not have it.
   */
  async mount(
    digest: string,
    fromRepository: string,
    context?: RequestContext,
  ): Promise<BlobDescriptor> {
    validateRepositoryName(fromRepository);
    const source = new RepositoryBlobs(this.engine, fromRepository);
    const descriptor = await source.stat(digest);
    const canonical = (await source.canonicalDigest(digest)) ?? digest;
    await this.link(digest, canonical);
    await this.emit('mount', descriptor, context, fromRepository);
    return descriptor;
  }

  /** Removes the blob from this repository (its data stays for other repositories). */
  async delete(digest: string, context?: RequestContext): Promise<void> {
    if (!this.engine.settings.deleteEnabled)
      throw new DeletesDisabledError(`delete blob ${digest}`);
    const descriptor = await this.stat(digest);
    try {
      await this.engine.driver.delete(layerLinkPath(this.repository, digest));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new BlobUnknownError(this.repository, digest);
      throw error;
    }
    await this.emit('delete', descriptor, context);
  }

  /** Links `digest` (and, for an alias algorithm, its canonical digest) into this repository. */
  async link(digest: string, canonical: string): Promise<void> {
    await writeLink(this.engine.driver, layerLinkPath(this.repository, canonical), canonical);
    if (digest !== canonical) {
      await writeLink(this.engine.driver, layerLinkPath(this.repository, digest), canonical);
    }
  }

  /** The canonical digest a link here points at, or `undefined` if the blob is not linked. */
  async canonicalDigest(digest: string): Promise<string | undefined> {
    parseDigest(digest);
    return readLink(this.engine.driver, layerLinkPath(this.repository, digest));
  }

  private emit(
    action: 'pull' | 'mount' | 'delete',
    descriptor: BlobDescriptor,
    context: RequestContext | undefined,
    fromRepository?: string,
  ): Promise<void> {
    return this.engine.events.emit(
      action,
      {
        kind: 'blob',
        repository: this.repository,
        digest: descriptor.digest,
        mediaType: descriptor.mediaType,
        size: descriptor.size,
        ...(fromRepository === undefined ? {} : { fromRepository }),
      },
      context,
    );
  }
}
