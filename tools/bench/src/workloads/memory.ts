import { measure, type ProcessUsage } from '../process-stats.js';
import { payload, type Payload } from '../payload.js';
import { checkBlobGet, pushBlobChunked, type RegistryClient } from '../registry-client.js';
import { formatBytes } from '../sizes.js';
import { megabytesPerSecond } from '../stats.js';
import { per100MB, type Usage, type Workload } from './workload.js';

const repository = 'bench/memory';

interface RoundTrip {
  upload: { usage: ProcessUsage; elapsedMs: number };
  download: { usage: ProcessUsage; elapsedMs: number };
  /** The larger of the two peaks: the peak over upload and download together. */
  peakRssBytes: number;
}

/** A chunked upload, then a full download compared byte for byte, each measured. */
async function roundTrip(
  pid: number,
  client: RegistryClient,
  content: Payload,
  chunkSize: number,
): Promise<RoundTrip> {
  content.digest();
  const upload = await measure(pid, () => pushBlobChunked(client, repository, content, chunkSize));
  const download = await measure(pid, () => checkBlobGet(client, repository, content));
  return {
    upload,
    download,
    peakRssBytes: Math.max(upload.usage.peakRssBytes, download.usage.peakRssBytes),
  };
}

function combined(trip: RoundTrip, bytes: number): Usage {
  return {
    peakRssBytes: trip.peakRssBytes,
    cpuMs: trip.upload.usage.cpuMs + trip.download.usage.cpuMs,
    units: (2 * bytes) / 1e8,
    unitLabel: 'ms/100 MB',
  };
}

/**
 * 9: the server's memory when a large blob goes in by PATCHes and comes out again, against a
 * small one in the same run: a streaming server's peak should not grow with the blob.
 */
export const memory: Workload = {
  number: 9,
  title: (sizes) =>
    `memory: ${formatBytes(sizes.memoryBlob)} in ${formatBytes(sizes.memoryChunk)} PATCHes, then GET`,
  metrics: [
    { key: 'uploadMBps', label: 'upload MB/s', better: 'higher' },
    { key: 'downloadMBps', label: 'download MB/s', better: 'higher' },
    { key: 'peakLargeMiB', label: 'peak RSS MiB (large)', better: 'lower' },
    { key: 'peakSmallMiB', label: 'peak RSS MiB (20 MiB)', better: 'lower' },
  ],
  async run({ server, client, sizes }) {
    const small = payload('bench/memory-small', sizes.memoryBaseline);
    const large = payload('bench/memory-large', sizes.memoryBlob);
    const smallTrip = await roundTrip(
      server.pid,
      client,
      small,
      Math.min(sizes.memoryChunk, small.size),
    );
    const largeTrip = await roundTrip(server.pid, client, large, sizes.memoryChunk);
    return [
      {
        key: 'uploadMBps',
        value: megabytesPerSecond(large.size, largeTrip.upload.elapsedMs),
        usage: per100MB(largeTrip.upload.usage, large.size),
      },
      {
        key: 'downloadMBps',
        value: megabytesPerSecond(large.size, largeTrip.download.elapsedMs),
        usage: per100MB(largeTrip.download.usage, large.size),
      },
      {
        key: 'peakLargeMiB',
        value: largeTrip.peakRssBytes / (1024 * 1024),
        usage: combined(largeTrip, large.size),
      },
      {
        key: 'peakSmallMiB',
        value: smallTrip.peakRssBytes / (1024 * 1024),
        usage: combined(smallTrip, small.size),
      },
    ];
  },
};
