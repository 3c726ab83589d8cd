import {
  ManifestInvalidError,
  MediaType,
  manifestReferences,
  validateRepositoryName,
  validateTag,
  type BlobReference,
  type ParsedManifest,
} from '@lading/oci';
import { mapLimit } from './concurrency.js';
import type { EngineContext, ForeignLayerPolicy } from './engine-context.js';
import { ManifestBlobUnknownError, ManifestRefusedError } from './errors.js';

/** What the engine asks of a repository when checking a manifest. */
export interface ManifestDependencies {
  hasBlob(digest: string): Promise<boolean>;
  hasManifest(digest: string): Promise<boolean>;
}

/**
 * Refuses what policy forbids, then checks that every blob and manifest the
 * manifest refers to is in the repository — except foreign layers, which
 * clients fetch from their URLs, and the `subject`, which may come later.
 */
export async function checkManifest(
  engine: EngineContext,
  repository: string,
  parsed: ParsedManifest,
  dependencies: ManifestDependencies,
): Promise<void> {
  if (parsed.kind === 'schema1') checkSchema1(engine, parsed);
  const references = manifestReferences(parsed);
  const foreign = references.blobs.filter((blob) => (blob.urls ?? []).length > 0);
  foreign.forEach((blob) => {
    checkForeignUrls(blob, engine.settings.foreignLayers);
  });
  const local = references.blobs.filter((blob) => !foreign.includes(blob));
  const { concurrency } = engine.settings;
  const blobsPresent = await mapLimit(local, concurrency, (blob) =>
    dependencies.hasBlob(blob.digest),
  );
  const manifestsPresent = await mapLimit(references.manifests, concurrency, (manifest) =>
    dependencies.hasManifest(manifest.digest),
  );
  const missing = [
    ...local.filter((_, index) => blobsPresent[index] !== true),
    ...references.manifests.filter((_, index) => manifestsPresent[index] !== true),
  ].map((reference) => reference.digest);
  if (missing.length > 0) throw new ManifestBlobUnknownError(repository, [...new Set(missing)]);
}

function checkSchema1(engine: EngineContext, parsed: ParsedManifest & { kind: 'schema1' }): void {
  if (!engine.settings.schema1Enabled) {
    throw new ManifestRefusedError(
      'Docker schema 1 manifests are not accepted by this registry (compatibility.schema1.enabled is off); push with a current client',
    );
  }
  if (parsed.mediaType !== MediaType.dockerSchema1Signed) {
    throw new ManifestInvalidError('a schema 1 manifest must be signed', 'signatures');
  }
  // distribution checks the embedded name and tag, not that they match the URL.
  validateRepositoryName(parsed.manifest.name);
  validateTag(parsed.manifest.tag);
}

function checkForeignUrls(blob: BlobReference, policy: ForeignLayerPolicy): void {
  for (const url of blob.urls ?? []) {
    const problem = foreignUrlProblem(url, policy);
    if (problem !== undefined) {
      throw new ManifestRefusedError(
        `layer ${blob.digest} has URL ${JSON.stringify(url)}: ${problem}`,
      );
    }
  }
}

function foreignUrlProblem(url: string, policy: ForeignLayerPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'only http and https are allowed';
  if (parsed.hash !== '' || url.includes('#')) return 'a fragment is not allowed';
  if (
    policy.allow !== undefined &&
    policy.allow.length > 0 &&
    !policy.allow.some((rule) => rule.test(url))
  ) {
    return 'it matches no allowed pattern';
  }
  if (policy.deny?.some((rule) => rule.test(url)) === true) return 'it matches a denied pattern';
  return undefined;
}
