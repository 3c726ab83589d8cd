import { MediaType } from '@lading/oci';
import { createRegistryEngine } from '@lading/registry-engine';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';

/** Publishes `content` as a one-layer artifact, tagged `tag`, and returns its manifest digest. */
export async function publish(
  rootDirectory: string,
  tag: string,
  content: Buffer,
): Promise<string> {
  const engine = createRegistryEngine({ driver: createFilesystemDriver({ rootDirectory }) });
  const repository = engine.repository('reports/nightly');
  const config = await repository.uploads.upload(Buffer.from('{}'));
  const layer = await repository.uploads.upload(content);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/vnd.example.report',
    config: { ...config, mediaType: MediaType.ociEmpty },
    layers: [{ ...layer, mediaType: 'text/plain' }],
  });
  return (await repository.manifests.put(tag, Buffer.from(manifest))).digest;
}
