import { detectManifestMediaType } from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import type { EngineContext } from './engine-context.js';
import { ManifestUnknownError } from './errors.js';
import { readLink } from './links.js';
import { revisionLinkPath } from './paths.js';

export interface ManifestDescriptor {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface ManifestContent extends ManifestDescriptor {
  /** The exact bytes that were pushed. */
  readonly content: Buffer;
}

/**
 * Reads the manifest `digest` of `repository`: its revision link, then its
 * bytes from the blob store. `ManifestUnknownError` (naming `reference`, what
 * the caller asked for) when it is not linked here or its data was collected.
 * Shared by manifest reads and tag details, which must not depend on each other.
 */
export async function loadRevision(
  engine: EngineContext,
  repository: string,
  digest: string,
  reference: string,
): Promise<ManifestContent> {
  const canonical = await readLink(engine.driver, revisionLinkPath(repository, digest));
  if (canonical === undefined) throw new ManifestUnknownError(repository, reference);
  let content: Buffer;
  try {
    content = await engine.blobStore.getContent(canonical);
  } catch (error) {
    if (isStorageError(error, 'PATH_NOT_FOUND'))
      throw new ManifestUnknownError(repository, reference);
    throw error;
  }
  const mediaType = detectManifestMediaType(content) ?? 'application/octet-stream';
  return { digest: canonical, mediaType, size: content.length, content };
}
