import { MediaType } from '../src/index.js';

export const digestA = `sha256:${'a'.repeat(64)}`;
export const digestB = `sha256:${'b'.repeat(64)}`;
export const digestC = `sha256:${'c'.repeat(64)}`;

export const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export function ociManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: digestA, size: 10 },
    layers: [{ mediaType: MediaType.ociLayerGzip, digest: digestB, size: 20 }],
    ...overrides,
  };
}

export function ociIndex(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      {
        mediaType: MediaType.ociManifest,
        digest: digestA,
        size: 300,
        platform: { architecture: 'amd64', os: 'linux' },
      },
    ],
    ...overrides,
  };
}

export function dockerManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: digestA, size: 10 },
    layers: [{ mediaType: MediaType.dockerLayer, digest: digestB, size: 20 }],
    ...overrides,
  };
}
