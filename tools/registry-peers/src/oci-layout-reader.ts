import { readFile } from 'node:fs/promises';
import { sha256Digest } from './digest.js';
import { blobPath, readIndexJson } from './oci-layout-directory.js';
import { refNameAnnotation } from './oci-media-types.js';

/** The manifest (or image index) a tag of an OCI image layout points at. */
export interface ReadManifest {
  manifestDigest: string;
  /** The exact bytes of the blob; checked against manifestDigest. */
  manifest: Buffer;
  /** The media type from index.json's descriptor. */
  mediaType: string;
}

/**
 * Reads back what `skopeo copy … oci:DIRECTORY:TAG` wrote: finds `tag` by its
 * org.opencontainers.image.ref.name annotation in index.json and loads that blob.
 */
export async function readOciLayout(directory: string, tag: string): Promise<ReadManifest> {
  const index = await readIndexJson(directory);
  const descriptor = index.manifests.find(
    (entry) => entry.annotations?.[refNameAnnotation] === tag,
  );
  if (descriptor === undefined) {
    const tags = index.manifests.map((entry) => entry.annotations?.[refNameAnnotation] ?? '-');
    throw new Error(
      `no tag ${JSON.stringify(tag)} in ${directory}/index.json (tags: ${tags.join(', ')})`,
    );
  }
  const manifest = await readFile(blobPath(directory, descriptor.digest));
  const actualDigest = sha256Digest(manifest);
  if (actualDigest !== descriptor.digest) {
    throw new Error(`blob ${descriptor.digest} in ${directory} has digest ${actualDigest}`);
  }
  return { manifestDigest: descriptor.digest, manifest, mediaType: descriptor.mediaType };
}
