import { MediaType, digestOf } from '@lading/oci';
import { StorageDriverError, isStorageError, type StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import { createRegistryEngine, type RegistryEngine } from '../src/index.js';
import { pushImage, readAll } from './support.js';

type DriverMethod = Exclude<keyof StorageDriver, 'name'>;
const methods: DriverMethod[] = [
  'getContent',
  'putContent',
  'reader',
  'writer',
  'stat',
  'list',
  'move',
  'delete',
  'walk',
];

/** The in-memory driver, except that `failing` methods report a storage failure. */
function faultyDriver(failing: Set<string>): StorageDriver {
  const inner = createInMemoryDriver();
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (failing.has(String(property))) {
          return Promise.reject(new StorageDriverError('disk on fire', { driverName: 'inmemory' }));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const layer = Buffer.from('layer one');

/** Every engine operation, against a repository holding one tagged image. */
const operations: Record<
  string,
  (engine: RegistryEngine, image: { digest: string }) => Promise<unknown>
> = {
  'blobs.stat': (e) => e.repository('team/app').blobs.stat(digestOf(layer)),
  'blobs.open': async (e) =>
    readAll((await e.repository('team/app').blobs.open(digestOf(layer))).stream),
  'blobs.mount': (e) => e.repository('team/other').blobs.mount(digestOf(layer), 'team/app'),
  'blobs.delete': (e) => e.repository('team/app').blobs.delete(digestOf(layer)),
  'uploads.upload': (e) => e.repository('team/app').uploads.upload(Buffer.from('new blob')),
  'manifests.get': (e) => e.repository('team/app').manifests.get('v1'),
  'manifests.put': (e, image) =>
    e.repository('team/app').manifests.put(
      'copy',
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: [{ mediaType: MediaType.ociManifest, digest: image.digest, size: 1 }],
        }),
      ),
    ),
  'manifests.delete (digest)': (e, image) =>
    e.repository('team/app').manifests.delete(image.digest),
  'manifests.delete (tag)': (e) => e.repository('team/app').manifests.delete('v1'),
  'tags.list': (e) => e.repository('team/app').tags.list(),
  'tags.resolve': (e) => e.repository('team/app').tags.resolve('v1'),
  'tags.details': (e) => e.repository('team/app').tags.details('v1'),
  'tags.listDetails': (e) => e.repository('team/app').tags.listDetails(),
  'referrers.list': (e, image) => e.repository('team/app').referrers.list(image.digest),
  'referrers.reindex': (e) => e.repository('team/app').referrers.reindex(),
  catalog: (e) => e.catalog(),
  repositoriesUnder: (e) => e.repositoriesUnder('team'),
  deleteRepository: (e) => e.deleteRepository('team/app'),
  purgeUploads: (e) => e.purgeUploads({ olderThan: new Date(Date.now() + 60_000) }),
};

describe('storage failures', () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(`${name} reports them as storage errors, never as missing content`, async () => {
      const outcomes: string[] = [];
      for (const method of methods) {
        const failing = new Set<string>();
        const engine = createRegistryEngine({ driver: faultyDriver(failing), deleteEnabled: true });
        const image = await pushImage(engine.repository('team/app'), {
          tag: 'v1',
          layers: ['layer one'],
        });
        await engine.repository('team/app').uploads.start();
        failing.add(method);
        try {
          await operation(engine, image);
          outcomes.push(`${method}: not used`);
        } catch (error) {
          expect(
            isStorageError(error, 'STORAGE_ERROR'),
            `${name} with ${method} failing: ${String(error)}`,
          ).to.equal(true);
          outcomes.push(`${method}: failed`);
        }
      }
      expect(
        outcomes.some((outcome) => outcome.endsWith('failed')),
        'some storage call matters',
      ).to.equal(true);
    });
  }
});
