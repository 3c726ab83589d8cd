import type { Descriptor, ParsedManifest } from './manifest-types.js';
import { isManifestMediaType } from './media-types.js';

/** A blob a manifest needs: its digest, and where it lives if not in the registry. */
export interface BlobReference {
  readonly digest: string;
  readonly mediaType?: string;
  /** Set for foreign / non-distributable layers, which clients fetch from these URLs. */
  readonly urls?: readonly string[];
}

/** What a manifest points at, for the checks made before it is stored. */
export interface ManifestReferences {
  readonly blobs: readonly BlobReference[];
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
}

export function manifestReferences(parsed: ParsedManifest): ManifestReferences {
  switch (parsed.kind) {
    case 'image': {
      const { config, layers, subject } = parsed.manifest;
      const descriptors = [config, ...layers];
      return {
        blobs: descriptors.filter((d) => !isManifestMediaType(d.mediaType)),
        manifests: descriptors.filter((d) => isManifestMediaType(d.mediaType)),
        ...(subject === undefined ? {} : { subject }),
      };
    }
    case 'index': {
      const { manifests, subject } = parsed.manifest;
      return { blobs: [], manifests, ...(subject === undefined ? {} : { subject }) };
    }
    case 'schema1': {
      const digests = new Set(parsed.manifest.fsLayers.map((layer) => layer.blobSum));
      return { blobs: [...digests].map((digest) => ({ digest })), manifests: [] };
    }
  }
}

/**
 * The artifact type a referrers listing reports: the manifest's own
 * `artifactType`, else (for image manifests) its config's media type.
 */
export function artifactTypeOf(parsed: ParsedManifest): string | undefined {
  switch (parsed.kind) {
    case 'image':
      return parsed.manifest.artifactType ?? parsed.manifest.config.mediaType;
    case 'index':
      return parsed.manifest.artifactType;
    case 'schema1':
      return undefined;
  }
}

/** The annotations of a manifest, if it can have any. */
export function annotationsOf(
  parsed: ParsedManifest,
): Readonly<Record<string, string>> | undefined {
  return parsed.kind === 'schema1' ? undefined : parsed.manifest.annotations;
}
