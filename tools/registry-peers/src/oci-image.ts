import { gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { ociMediaTypes, type OciDescriptor } from './oci-media-types.js';
import { ustarArchive } from './ustar.js';

/** One single-platform image: its layers' files, oldest layer first. */
export interface OciImageSpec {
  tag: string;
  layers: { files: Record<string, string | Buffer> }[];
  /** Defaults to amd64. */
  architecture?: string;
  /** Defaults to linux. */
  os?: string;
}

/** The image as written: the exact bytes and digests a registry must hand back unchanged. */
export interface WrittenImage {
  manifestDigest: string;
  /** The manifest's exact bytes; its sha256 is manifestDigest. */
  manifest: Buffer;
  configDigest: string;
  /** The compressed layers' digests, in manifest order. */
  layerDigests: string[];
  /** The config and layer blobs by digest (the manifest is `manifest`, not in here). */
  blobs: Map<string, Buffer>;
}

/**
 * Builds an image's config, gzip-compressed ustar layers and OCI manifest in memory. Nothing
 * varies between runs (sorted tar entries, mtime 0, fixed gzip level), so digests are stable.
 */
export function buildOciImage(spec: OciImageSpec): WrittenImage {
  const blobs = new Map<string, Buffer>();
  const layerDescriptors: OciDescriptor[] = [];
  const diffIds: string[] = [];
  for (const layer of spec.layers) {
    const tar = ustarArchive(layer.files);
    const compressed = gzipSync(tar, { level: 9 });
    const digest = sha256Digest(compressed);
    blobs.set(digest, compressed);
    diffIds.push(sha256Digest(tar));
    layerDescriptors.push({
      mediaType: ociMediaTypes.layerTarGzip,
      digest,
      size: compressed.length,
    });
  }
  const config = jsonBytes({
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const configDigest = sha256Digest(config);
  blobs.set(configDigest, config);
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: ociMediaTypes.imageManifest,
    config: { mediaType: ociMediaTypes.imageConfig, digest: configDigest, size: config.length },
    layers: layerDescriptors,
  });
  return {
    manifestDigest: sha256Digest(manifest),
    manifest,
    configDigest,
    layerDigests: layerDescriptors.map((layer) => layer.digest),
    blobs,
  };
}

/** Compact JSON, the way registries and skopeo hash it: the bytes are the identity. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
