import { sha256Digest } from './digest.js';
import { buildOciImage, jsonBytes, type OciImageSpec, type WrittenImage } from './oci-image.js';
import { initOciLayout, tagInIndexJson, writeBlob } from './oci-layout-directory.js';
import { ociMediaTypes } from './oci-media-types.js';

/** Several single-platform images under one tag, as an OCI image index. */
export interface OciIndexSpec {
  tag: string;
  /** One per platform; each image's own `tag` is not used. */
  images: OciImageSpec[];
}

export interface WrittenIndex {
  indexDigest: string;
  /** The image index's exact bytes; its sha256 is indexDigest. */
  index: Buffer;
  images: WrittenImage[];
}

/**
 * Writes `image` into the OCI image layout at `directory` (created if needed, other tags kept),
 * tagged `image.tag`, so that `skopeo copy oci:DIRECTORY:TAG …` can read it.
 */
export async function writeOciLayout(
  directory: string,
  image: OciImageSpec,
): Promise<WrittenImage> {
  await initOciLayout(directory);
  const written = await writeImageBlobs(directory, image);
  await tagInIndexJson(directory, image.tag, {
    mediaType: ociMediaTypes.imageManifest,
    digest: written.manifestDigest,
    size: written.manifest.length,
  });
  return written;
}

/** Writes a multi-platform image: every image's blobs, an OCI image index of them, the tag. */
export async function writeOciIndexLayout(
  directory: string,
  spec: OciIndexSpec,
): Promise<WrittenIndex> {
  const platforms = spec.images.map((image) => platformOf(image));
  const keys = platforms.map((platform) => `${platform.os}/${platform.architecture}`);
  if (new Set(keys).size !== keys.length) {
    throw new Error(`each image of an index needs its own platform, got ${keys.join(', ')}`);
  }
  await initOciLayout(directory);
  const images: WrittenImage[] = [];
  for (const image of spec.images) images.push(await writeImageBlobs(directory, image));
  const index = jsonBytes({
    schemaVersion: 2,
    mediaType: ociMediaTypes.imageIndex,
    manifests: images.map((image, position) => ({
      mediaType: ociMediaTypes.imageManifest,
      digest: image.manifestDigest,
      size: image.manifest.length,
      platform: platforms[position],
    })),
  });
  const indexDigest = sha256Digest(index);
  await writeBlob(directory, indexDigest, index);
  await tagInIndexJson(directory, spec.tag, {
    mediaType: ociMediaTypes.imageIndex,
    digest: indexDigest,
    size: index.length,
  });
  return { indexDigest, index, images };
}

async function writeImageBlobs(directory: string, spec: OciImageSpec): Promise<WrittenImage> {
  const image = buildOciImage(spec);
  for (const [digest, content] of image.blobs) await writeBlob(directory, digest, content);
  await writeBlob(directory, image.manifestDigest, image.manifest);
  return image;
}

function platformOf(image: OciImageSpec): { architecture: string; os: string } {
  return { architecture: image.architecture ?? 'amd64', os: image.os ?? 'linux' };
}
