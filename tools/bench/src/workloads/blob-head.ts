import { send } from '../http-client.js';
import { payload } from '../payload.js';
import { pushBlobMonolithic } from '../registry-client.js';
import { requestMetrics, timedRequests } from './concurrent.js';
import type { Workload } from './workload.js';

const repository = 'bench/head';
const blobSizes = [1024, 4096, 16_384, 65_536];

/** 4: HEAD a few small blobs, many times, concurrently. */
export const blobHead: Workload = {
  number: 4,
  title: (sizes) =>
    `blob HEAD ×${sizes.requests.toLocaleString('en')}, concurrency ${sizes.concurrency}`,
  metrics: requestMetrics,
  async run({ server, client, sizes }) {
    const blobs = blobSizes.map((size) => payload(`bench/head-${size}`, size));
    for (const blob of blobs) {
      await pushBlobMonolithic(client, repository, blob.bytes(), blob.digest());
    }
    const targets = blobs.map((blob) => ({
      url: `${client.url}/v2/${repository}/blobs/${blob.digest()}`,
      digest: blob.digest(),
      length: String(blob.size),
    }));
    return timedRequests(server.pid, sizes.requests, sizes.concurrency, async (index) => {
      const target = targets[index % targets.length];
      if (target === undefined) throw new Error('no blob to HEAD');
      const response = await send({ method: 'HEAD', url: target.url, agent: client.agent });
      const what = `HEAD /v2/${repository}/blobs/${target.digest}`;
      client.check.status(response, 200, what);
      client.check.headerEquals(response, 'Content-Length', target.length, what);
      client.check.headerEquals(response, 'Docker-Content-Digest', target.digest, what);
    });
  },
};
