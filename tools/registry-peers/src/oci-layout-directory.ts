import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSha256Digest } from './digest.js';
import { ociMediaTypes, refNameAnnotation, type OciDescriptor } from './oci-media-types.js';

/** The path of a blob inside an OCI image layout: blobs/sha256/<hex>. */
export function blobPath(directory: string, digest: string): string {
  const { algorithm, hex } = parseSha256Digest(digest);
  return join(directory, 'blobs', algorithm, hex);
}

/** Creates the layout's skeleton (oci-layout, blobs/sha256) if it is not there yet. */
export async function initOciLayout(directory: string): Promise<void> {
  await mkdir(join(directory, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(directory, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}

export async function writeBlob(directory: string, digest: string, content: Buffer): Promise<void> {
  await writeFile(blobPath(directory, digest), content);
}

/** The layout's index.json, or an empty one. */
export async function readIndexJson(directory: string): Promise<{ manifests: OciDescriptor[] }> {
  let text: string;
  try {
    text = await readFile(join(directory, 'index.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { manifests: [] };
    throw error;
  }
  const index: unknown = JSON.parse(text);
  if (!isIndex(index)) throw new Error(`${join(directory, 'index.json')} has no manifests array`);
  return index;
}

/**
 * Points `tag` at `descriptor` in index.json: earlier entries with the same
 * org.opencontainers.image.ref.name are replaced (as skopeo does), other tags are kept.
 */
export async function tagInIndexJson(
  directory: string,
  tag: string,
  descriptor: OciDescriptor,
): Promise<void> {
  const index = await readIndexJson(directory);
  const others = index.manifests.filter((entry) => entry.annotations?.[refNameAnnotation] !== tag);
  const tagged = { ...descriptor, annotations: { [refNameAnnotation]: tag } };
  const updated = {
    ...index,
    schemaVersion: 2,
    mediaType: ociMediaTypes.imageIndex,
    manifests: [...others, tagged],
  };
  await writeFile(join(directory, 'index.json'), JSON.stringify(updated));
}

function isIndex(value: unknown): value is { manifests: OciDescriptor[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'manifests' in value &&
    Array.isArray(value.manifests)
  );
}
