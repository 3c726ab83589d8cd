/** Media types of the OCI image spec and Docker's registry formats. */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerPluginConfig: 'application/vnd.docker.plugin.v1+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** Manifests of image kind: a config and layers. */
export const imageManifestMediaTypes: readonly string[] = [
  MediaType.ociManifest,
  MediaType.dockerManifest,
];
/** Manifests of index kind: a list of manifests. */
export const indexMediaTypes: readonly string[] = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
];
export const schema1MediaTypes: readonly string[] = [
  MediaType.dockerSchema1,
  MediaType.dockerSchema1Signed,
];

/** Every media type a manifest may be pushed as. */
export const manifestMediaTypes: readonly string[] = [
  ...imageManifestMediaTypes,
  ...indexMediaTypes,
  ...schema1MediaTypes,
];

export function isManifestMediaType(mediaType: string): boolean {
  return manifestMediaTypes.includes(mediaType);
}

/** `type/subtype; param=x` → `type/subtype`, lower-cased. */
export function essenceOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
