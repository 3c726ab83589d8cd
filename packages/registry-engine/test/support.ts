import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaType, digestOf } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import {
  createRegistryEngine,
  type RegistryEngine,
  type RegistryEngineOptions,
  type Repository,
} from '../src/index.js';

export interface Harness {
  readonly driver: StorageDriver;
  readonly engine: RegistryEngine;
  /** Another engine on the same storage, as another process would be. */
  sibling(options?: Partial<RegistryEngineOptions>): RegistryEngine;
  repository(name?: string): Repository;
}

type EngineSettings = Omit<RegistryEngineOptions, 'driver'>;

/**
 * Declares the tests in `define` once per reference driver, each test with a
 * fresh store and an engine with deletes enabled unless `settings` say otherwise.
 */
export function describeOnDrivers(
  title: string,
  define: (harness: () => Harness) => void,
  settings: EngineSettings = { deleteEnabled: true },
): void {
  for (const kind of ['inmemory', 'filesystem'] as const) {
    describe(`${title} (${kind})`, () => {
      let harness: Harness | undefined;
      let root: string | undefined;
      beforeEach(async () => {
        root = kind === 'filesystem' ? await mkdtemp(join(tmpdir(), 'lading-engine-')) : undefined;
        const driver =
          root === undefined
            ? createInMemoryDriver()
            : createFilesystemDriver({ rootDirectory: root });
        const engine = createRegistryEngine({ ...settings, driver });
        harness = {
          driver,
          engine,
          sibling: (options = {}) => createRegistryEngine({ ...settings, ...options, driver }),
          repository: (name = 'library/app') => engine.repository(name),
        };
      });
      afterEach(async () => {
        if (root !== undefined) await rm(root, { recursive: true, force: true });
      });
      define(() => {
        if (harness === undefined) throw new Error('no harness yet');
        return harness;
      });
    });
  }
}

export interface PushedImage {
  readonly manifest: Buffer;
  readonly digest: string;
  readonly config: string;
  readonly layers: string[];
}

/**
 * Pushes blobs and an OCI image manifest for them, tagged `tag` if given. The
 * config is `config` when given, else JSON without a `created` time.
 */
export async function pushImage(
  repository: Repository,
  options: {
    tag?: string;
    layers?: string[];
    config?: Buffer;
    extra?: Record<string, unknown>;
  } = {},
): Promise<PushedImage> {
  const layerContents = (options.layers ?? ['layer one', 'layer two']).map((text) =>
    Buffer.from(text),
  );
  const config =
    options.config ??
    Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', layers: layerContents.length }),
    );
  for (const blob of [config, ...layerContents]) await repository.uploads.upload(blob);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: digestOf(config), size: config.length },
      layers: layerContents.map((layer) => ({
        mediaType: MediaType.ociLayerGzip,
        digest: digestOf(layer),
        size: layer.length,
      })),
      ...options.extra,
    }),
  );
  const digest = digestOf(manifest);
  await repository.manifests.put(options.tag ?? digest, manifest, {
    mediaType: MediaType.ociManifest,
  });
  return {
    manifest,
    digest,
    config: digestOf(config),
    layers: layerContents.map((layer) => digestOf(layer)),
  };
}

/** Collects what a promise rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
