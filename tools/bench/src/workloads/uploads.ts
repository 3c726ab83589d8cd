import { megabytesPerSecond } from '../stats.js';
import { measure } from '../process-stats.js';
import { payload } from '../payload.js';
import { DownloadProcess } from '../download-process.js';
import {
  blobUrl,
  checkBlobGet,
  checkBlobHead,
  checkDownload,
  pushBlobChunked,
  pushBlobMonolithic,
  type RegistryClient,
} from '../registry-client.js';
import { formatBytes } from '../sizes.js';
import { per100MB, type Metric, type Workload } from './workload.js';

const repository = 'bench/upload';
const mbps: Metric = { key: 'MBps', label: 'MB/s', better: 'higher' };

/** The seed of workloads 1–3's blob: the same bytes for every server and run. */
export const bigBlobSeed = 'bench/big-blob';

/** After the timing: HEAD (digest and length), then a full GET compared byte for byte. */
async function verifyStored(client: RegistryClient, size: number): Promise<void> {
  const content = payload(bigBlobSeed, size);
  await checkBlobHead(client, repository, content.digest(), content.size);
  await checkBlobGet(client, repository, content);
}

/** 1: POST, then one PUT ?digest= with the whole body. */
export const monolithicUpload: Workload = {
  number: 1,
  title: (sizes) => `monolithic upload ${formatBytes(sizes.bigBlob)}`,
  metrics: [mbps],
  async run({ server, client, sizes }) {
    const content = payload(bigBlobSeed, sizes.bigBlob);
    const bytes = content.bytes();
    const digest = content.digest();
    const { usage, elapsedMs } = await measure(server.pid, () =>
      pushBlobMonolithic(client, repository, bytes, digest),
    );
    await verifyStored(client, sizes.bigBlob);
    return [
      {
        key: mbps.key,
        value: megabytesPerSecond(content.size, elapsedMs),
        usage: per100MB(usage, content.size),
      },
    ];
  },
};

/** 2: POST, PATCHes of sizes.chunk bytes, then PUT ?digest= with no body. */
export const chunkedUpload: Workload = {
  number: 2,
  title: (sizes) =>
    `chunked upload ${formatBytes(sizes.bigBlob)} in ${formatBytes(sizes.chunk)} PATCHes`,
  metrics: [mbps],
  async run({ server, client, sizes }) {
    const content = payload(bigBlobSeed, sizes.bigBlob);
    content.bytes();
    content.digest();
    const { usage, elapsedMs } = await measure(server.pid, () =>
      pushBlobChunked(client, repository, content, sizes.chunk),
    );
    await verifyStored(client, sizes.bigBlob);
    return [
      {
        key: mbps.key,
        value: megabytesPerSecond(content.size, elapsedMs),
        usage: per100MB(usage, content.size),
      },
    ];
  },
};

/**
 * 3: GET a blob pushed beforehand, by the download process (download-client.ts), which compares
 * every byte as it arrives. Its first GET is a warm-up, untimed but checked: the figure is a
 * long-running server's and client's, as for workloads 7 and 8.
 */
export const download: Workload = {
  number: 3,
  title: (sizes) => `download ${formatBytes(sizes.bigBlob)}`,
  metrics: [mbps],
  async run({ server, client, sizes }) {
    const content = payload(bigBlobSeed, sizes.bigBlob);
    await pushBlobMonolithic(client, repository, content.bytes(), content.digest());
    const url = blobUrl(client, repository, content.digest());
    const downloader = DownloadProcess.start(content);
    try {
      checkDownload(client, repository, content, await downloader.download(url));
      let elapsedMs = 0;
      const { usage } = await measure(server.pid, async () => {
        const result = await downloader.download(url);
        checkDownload(client, repository, content, result);
        elapsedMs = result.elapsedMs;
      });
      return [
        {
          key: mbps.key,
          value: megabytesPerSecond(content.size, elapsedMs),
          usage: per100MB(usage, content.size),
        },
      ];
    } finally {
      await downloader.close();
    }
  },
};
