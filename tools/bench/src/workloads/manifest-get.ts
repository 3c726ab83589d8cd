import { buildImage, ociManifestType } from '../oci-image.js';
import { checkManifestGet, pushBlobMonolithic, putManifest } from '../registry-client.js';
import { requestMetrics, timedRequests } from './concurrent.js';
import type { Workload } from './workload.js';

const repository = 'bench/manifest';

/** 5: GET one image's manifest by tag, many times, concurrently. */
export const manifestGet: Workload = {
  number: 5,
  title: (sizes) =>
    `manifest GET by tag ×${sizes.requests.toLocaleString('en')}, concurrency ${sizes.concurrency}`,
  metrics: requestMetrics,
  async run({ server, client, sizes }) {
    const image = buildImage('bench/manifest', 1, 64 * 1024);
    for (const blob of image.blobs) {
      await pushBlobMonolithic(client, repository, blob.bytes, blob.digest);
    }
    await putManifest(client, repository, 'latest', image.manifest, ociManifestType);
    return timedRequests(server.pid, sizes.requests, sizes.concurrency, () =>
      checkManifestGet(client, repository, 'latest', image.manifest, ociManifestType),
    );
  },
};
