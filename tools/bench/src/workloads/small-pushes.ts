import { runPool } from '../http-client.js';
import { buildImage, ociManifestType, type Image } from '../oci-image.js';
import { measure } from '../process-stats.js';
import {
  checkManifestGet,
  pushBlobMonolithic,
  putManifest,
  type RegistryClient,
} from '../registry-client.js';
import { perUnit, type Workload } from './workload.js';

const repository = 'bench/small';
const layersPerImage = 5;
const layerSize = 64 * 1024;
const imagesInParallel = 8;

const tagOf = (index: number) => `v${String(index).padStart(4, '0')}`;

/** Images pushed untimed first, so the figure is a long-running server's (JIT warmed up). */
const warmUpImages = 16;

/** Distinct images, built once per process (outside any timing). */
function images(count: number, prefix = 'bench/small'): Image[] {
  return Array.from({ length: count }, (_, index) =>
    buildImage(`${prefix}-${index}`, layersPerImage, layerSize),
  );
}

/** Pushes `all` to `name`, `imagesInParallel` at a time, each tagged by its index. */
function pushAll(client: RegistryClient, name: string, all: Image[]): Promise<void> {
  return runPool(all.length, imagesInParallel, async (index) => {
    const image = all[index];
    if (image === undefined) throw new Error(`no image ${index}`);
    for (const blob of image.blobs) {
      await pushBlobMonolithic(client, name, blob.bytes, blob.digest);
    }
    await putManifest(client, name, tagOf(index), image.manifest, ociManifestType);
  });
}

/** 6: many small images, 8 pushed at once, each blob by POST + PUT ?digest=, then the manifest. */
export const smallPushes: Workload = {
  number: 6,
  title: (sizes) =>
    `push ${sizes.smallImages} images of ${layersPerImage} × 64 KiB, ${imagesInParallel} at once`,
  metrics: [{ key: 'imagesPerSecond', label: 'images/s', better: 'higher' }],
  // A push waits on fsyncs more than on anything else: how far could any fsync strategy go?
  fsyncFreeCeiling: true,
  // About 4,000 files and directories a run, 45 MB.
  keepsStorageUntilTheEnd: true,
  async run({ server, client, sizes }) {
    await pushAll(
      client,
      `${repository}-warm-up`,
      images(Math.min(warmUpImages, sizes.smallImages), 'bench/small-warm-up'),
    );
    const all = images(sizes.smallImages);
    const { usage, elapsedMs } = await measure(server.pid, () => pushAll(client, repository, all));
    for (const [index, image] of all.entries()) {
      await checkManifestGet(client, repository, tagOf(index), image.manifest, ociManifestType);
    }
    return [
      {
        key: 'imagesPerSecond',
        value: all.length / (elapsedMs / 1000),
        usage: perUnit(usage, all.length, 'ms/image'),
      },
    ];
  },
};
