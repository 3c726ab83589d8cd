/** OCI image-spec v1 media types and the annotation that names a tag in an image layout. */
export const ociMediaTypes = {
  imageIndex: 'application/vnd.oci.image.index.v1+json',
  imageManifest: 'application/vnd.oci.image.manifest.v1+json',
  imageConfig: 'application/vnd.oci.image.config.v1+json',
  layerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export const refNameAnnotation = 'org.opencontainers.image.ref.name';

/** An OCI content descriptor, as found in manifests, indexes and index.json. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}
