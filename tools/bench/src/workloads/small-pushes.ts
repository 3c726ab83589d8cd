import { runPool } from '../http-client.js';
import { buildImage, ociManifestType, type Image } from '../oci-image.js';
import { measure } from '../process-stats.js';
import { checkManifestGet, pushBlobMonolithic, putManifest } from '../registry-client.js';
import { perUnit, type Workload } from './workload.js';

const repository = 'bench/small';
const layersPerImage = 5;
const layerSize = 64 * 1024;
const imagesInParallel = 8;

const tagOf = (index: number) => `v${String(index).padStart(4, '0')}`;

/** Distinct images, built once per process (outside any timing). */
function images(count: number): Image[] {
  return Array.from({ length: count }, (_, index) =>
    buildImage(`bench/small-${index}`, layersPerImage, layerSize),
  );
}

/** 6: many small images, 8 pushed at once, each blob by POST + PUT ?digest=, then the manifest. */
export const smallPushes: Workload = {
  number: 6,
  title: (sizes) =>
    `push ${sizes.smallImages} images of ${layersPerImage} × 64 KiB, ${imagesInParallel} at once`,
  metrics: [{ key: 'imagesPerSecond', label: 'images/s', better: 'higher' }],
  async run({ server, client, sizes }) {
    const all = images(sizes.smallImages);
    const { usage, elapsedMs } = await measure(server.pid, () =>
      runPool(all.length, imagesInParallel, async (index) => {
        const image = all[index];
        if (image === undefined) throw new Error(`no image ${index}`);
        for (const blob of image.blobs) {
          await pushBlobMonolithic(client, repository, blob.bytes, blob.digest);
        }
        await putManifest(client, repository, tagOf(index), image.manifest, ociManifestType);
      }),
    );
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
