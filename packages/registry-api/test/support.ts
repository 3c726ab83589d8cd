import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { MediaType, digestOf } from '@lading/oci';
import { createRegistryEngine, type RegistryEngineOptions } from '@lading/registry-engine';
import type { StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import express from 'express';
import { createRegistryRouter, type RegistryRouterOptions } from '../src/index.js';

export interface TestRegistry {
  readonly url: string;
  readonly driver: StorageDriver;
  close(): Promise<void>;
}

/** The router in a real Express app on 127.0.0.1, over the in-memory driver. */
export async function startRegistry(
  options: RegistryRouterOptions & {
    prefix?: string;
    engine?: Omit<RegistryEngineOptions, 'driver'>;
    driver?: StorageDriver;
  } = {},
): Promise<TestRegistry> {
  const driver = options.driver ?? createInMemoryDriver();
  const engine = createRegistryEngine({ deleteEnabled: true, ...options.engine, driver });
  const app = express();
  app.use(
    options.prefix ?? '/',
    createRegistryRouter(engine, { secret: 'test-secret', ...options }),
  );
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => {
      resolve(listening);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}${(options.prefix ?? '').replace(/\/$/, '')}`,
    driver,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface ErrorBody {
  errors: { code: string; message: string; detail: unknown }[];
}

/** The first error code of a registry error response. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as ErrorBody;
  return body.errors[0]?.code;
}

/** Uploads a blob monolithically; returns its digest. */
export async function pushBlob(url: string, name: string, content: Buffer): Promise<string> {
  const digest = digestOf(content);
  const response = await fetch(`${url}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    body: content,
  });
  if (response.status !== 201) throw new Error(`blob push answered ${String(response.status)}`);
  return digest;
}

/** Pushes a config, one layer and an OCI manifest for them under `reference`. */
export async function pushImage(
  url: string,
  name: string,
  reference: string,
  extra: Record<string, unknown> = {},
): Promise<{ digest: string; manifest: Buffer; layer: string; config: string }> {
  const config = await pushBlob(url, name, Buffer.from('{"os":"linux","architecture":"amd64"}'));
  const layerContent = Buffer.from(`layer of ${name}:${reference}`);
  const layer = await pushBlob(url, name, layerContent);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: config, size: 37 },
      layers: [{ mediaType: MediaType.ociLayerGzip, digest: layer, size: layerContent.length }],
      ...extra,
    }),
  );
  const response = await fetch(`${url}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': MediaType.ociManifest },
    body: manifest,
  });
  if (response.status !== 201)
    throw new Error(`manifest push answered ${String(response.status)}: ${await response.text()}`);
  return { digest: digestOf(manifest), manifest, layer, config };
}

/** Pushes a Docker manifest list holding one image for `linux/<architecture>`; returns its digest. */
export async function pushManifestList(
  url: string,
  name: string,
  reference: string,
  image: { digest: string; manifest: Buffer },
  architecture: string,
): Promise<string> {
  const list = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.dockerManifestList,
      manifests: [
        {
          mediaType: MediaType.ociManifest,
          digest: image.digest,
          size: image.manifest.length,
          platform: { architecture, os: 'linux' },
        },
      ],
    }),
  );
  const response = await fetch(`${url}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': MediaType.dockerManifestList },
    body: list,
  });
  if (response.status !== 201)
    throw new Error(`list push answered ${String(response.status)}: ${await response.text()}`);
  return digestOf(list);
}
