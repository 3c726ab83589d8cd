import { payload } from './payload.js';
import { sha256 } from './registry-client.js';

export const ociManifestType = 'application/vnd.oci.image.manifest.v1+json';
const ociConfigType = 'application/vnd.oci.image.config.v1+json';
const ociLayerType = 'application/vnd.oci.image.layer.v1.tar';

export interface Blob {
  digest: string;
  bytes: Buffer;
}

/** An OCI image in memory: its blobs (layers, then the config) and its manifest. */
export interface Image {
  layers: Blob[];
  config: Blob;
  /** Every blob the manifest refers to: layers, then the config. */
  blobs: Blob[];
  manifest: Buffer;
  manifestDigest: string;
}

function blob(bytes: Buffer): Blob {
  return { digest: sha256(bytes), bytes };
}

/**
 * An image of `layerCount` layers of `layerSize` pseudo-random bytes each, distinct for every
 * seed: layers, config and manifest all differ from any other seed's.
 */
export function buildImage(seed: string, layerCount: number, layerSize: number): Image {
  const layers = Array.from({ length: layerCount }, (_, index) =>
    blob(payload(`${seed}/layer-${index}`, layerSize).bytes()),
  );
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Labels: { 'lading.bench.seed': seed } },
        // The layers are stored as uncompressed tars, so their digests are their diff IDs.
        rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
      }),
    ),
  );
  const descriptor = (mediaType: string, { digest, bytes }: Blob) => ({
    mediaType,
    digest,
    size: bytes.length,
  });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifestType,
      config: descriptor(ociConfigType, config),
      layers: layers.map((layer) => descriptor(ociLayerType, layer)),
    }),
  );
  return { layers, config, blobs: [...layers, config], manifest, manifestDigest: sha256(manifest) };
}
