import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DownloadProcess } from './download-process.js';
import { keepAliveAgent, send } from './http-client.js';
import { MiB, payload } from './payload.js';
import { clockTicksPerSecond, machineBusyTicks } from './process-stats.js';
import { megabytesPerSecond } from './stats.js';

/** What this machine can do at best, for the "share of the limit" figures. */
export interface MachineLimits {
  /** node:crypto SHA-256 on one core, MB/s. */
  sha256MBps: number;
  /** Sequential 1 MiB writes to a file in the bench's temp dir, then fsync, MB/s. */
  diskWriteFsyncMBps: number;
  /** The same without the fsync, MB/s. */
  diskWriteMBps: number;
  /** A node:http server on 127.0.0.1 that discards the body, with the workloads' client, MB/s. */
  loopbackUploadMBps: number;
  /** A node:http server on 127.0.0.1 that sends a body from memory, to the download process, MB/s. */
  loopbackDownloadMBps: number;
  /**
   * Busy CPU of the whole machine (server, download process, kernel) per 100 MB of that
   * download from memory, the least of the attempts: the least any server's download can cost
   * this machine with this client, ms.
   */
  loopbackDownloadMachineCpuPer100MB: number;
  /**
   * A node:http server on 127.0.0.1 that does what every registry upload must and no more:
   * SHA-256 of the body. With the workloads' client, no Node registry uploads faster here, MB/s.
   */
  hashedUploadMBps: number;
  /**
   * The same, also writing the body to a file, not fsynced: less than any registry that keeps
   * uploads on this disk does, so the targets take it as the ceiling for uploads, MB/s.
   */
  bareUploadMBps: number;
}

export interface LimitSizes {
  sha256Bytes: number;
  diskBytes: number;
  loopbackBytes: number;
}

export const fullLimitSizes: LimitSizes = {
  sha256Bytes: 512 * MiB,
  diskBytes: 256 * MiB,
  loopbackBytes: 256 * MiB,
};

export const smokeLimitSizes: LimitSizes = {
  sha256Bytes: 64 * MiB,
  diskBytes: 32 * MiB,
  loopbackBytes: 32 * MiB,
};

const timed = (work: () => void) => {
  const started = performance.now();
  work();
  return performance.now() - started;
};

/** Hashes `bytes` in 64 MiB buffers (the same buffer again and again). */
export function measureSha256(bytes: number): number {
  const block = payload('bench/limits', Math.min(bytes, 64 * MiB)).bytes();
  const hash = createHash('sha256');
  const elapsed = timed(() => {
    for (let done = 0; done < bytes; done += block.length) hash.update(block);
    hash.digest();
  });
  return megabytesPerSecond(bytes, elapsed);
}

/** Writes `bytes` in 1 MiB writes to a new file in `directory`, with or without a final fsync. */
export async function measureDiskWrite(
  directory: string,
  bytes: number,
  fsync: boolean,
): Promise<number> {
  const block = payload('bench/limits', MiB).bytes();
  const path = join(directory, `disk-limit-${fsync ? 'fsync' : 'plain'}`);
  const file = await open(path, 'w');
  try {
    const started = performance.now();
    for (let done = 0; done < bytes; done += block.length) await file.write(block);
    if (fsync) await file.sync();
    return megabytesPerSecond(bytes, performance.now() - started);
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
}

/**
 * Both loopback directions against a node:http server in its own process, each the best of
 * `attempts` over one keep-alive connection (the first pays for TCP's slow start).
 */
export async function measureLoopback(
  bytes: number,
  directory: string,
  attempts = 3,
): Promise<{
  uploadMBps: number;
  downloadMBps: number;
  downloadMachineCpu: number;
  hashedUploadMBps: number;
  bareUploadMBps: number;
}> {
  const script = fileURLToPath(new URL('./loopback-server.ts', import.meta.url));
  const content = payload('bench/limits-loopback', bytes);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, content.seed, String(bytes), directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const agent = keepAliveAgent(1);
  const downloader = DownloadProcess.start(content);
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const url = `http://127.0.0.1:${line.trim()}/`;
    const body = content.bytes();
    let uploadMBps = 0;
    let downloadMBps = 0;
    let downloadMachineCpu = Number.POSITIVE_INFINITY;
    let hashedUploadMBps = 0;
    let bareUploadMBps = 0;
    const floor = async (path: string): Promise<number> => {
      const started = performance.now();
      const answer = await send({ method: 'PUT', url: `${url}${path}`, agent, body });
      if (answer.status !== 201 || answer.headers['x-digest'] !== content.digest()) {
        throw new Error(
          `the loopback server's /${path} answered ${String(answer.status)} with digest ` +
            `${String(answer.headers['x-digest'])} ${String(answer.headers['x-error'] ?? '')}`,
        );
      }
      return megabytesPerSecond(bytes, performance.now() - started);
    };
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const started = performance.now();
      const put = await send({ method: 'PUT', url, agent, body });
      uploadMBps = Math.max(uploadMBps, megabytesPerSecond(bytes, performance.now() - started));
      if (put.status !== 201 || put.headers['x-received'] !== String(bytes)) {
        throw new Error(`the loopback server took ${String(put.headers['x-received'])} bytes`);
      }
      // By workload 3's download process, so the limit includes the client's cost.
      const busyBefore = await machineBusyTicks();
      const got = await downloader.download(url);
      const busyMs = ((await machineBusyTicks()) - busyBefore) * (1000 / clockTicksPerSecond);
      downloadMachineCpu = Math.min(downloadMachineCpu, busyMs / (bytes / 1e8));
      if (got.status !== 200 || got.difference !== null || got.error !== null) {
        const why = got.error ?? got.difference ?? `status ${got.status}`;
        throw new Error(`the loopback download failed: ${why}`);
      }
      downloadMBps = Math.max(downloadMBps, megabytesPerSecond(bytes, got.elapsedMs));
      hashedUploadMBps = Math.max(hashedUploadMBps, await floor('hash'));
      bareUploadMBps = Math.max(bareUploadMBps, await floor('store'));
    }
    return {
      uploadMBps,
      downloadMBps,
      downloadMachineCpu,
      hashedUploadMBps,
      bareUploadMBps,
    };
  } finally {
    agent.destroy();
    child.kill();
    await downloader.close();
  }
}

export async function measureLimits(directory: string, sizes: LimitSizes): Promise<MachineLimits> {
  const sha256MBps = measureSha256(sizes.sha256Bytes);
  // Limits are bests: the disk and the page cache vary from one write to the next.
  let diskWriteMBps = 0;
  let diskWriteFsyncMBps = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    diskWriteMBps = Math.max(
      diskWriteMBps,
      await measureDiskWrite(directory, sizes.diskBytes, false),
    );
    diskWriteFsyncMBps = Math.max(
      diskWriteFsyncMBps,
      await measureDiskWrite(directory, sizes.diskBytes, true),
    );
  }
  const loopback = await measureLoopback(sizes.loopbackBytes, directory);
  return {
    sha256MBps,
    diskWriteFsyncMBps,
    diskWriteMBps,
    loopbackUploadMBps: loopback.uploadMBps,
    loopbackDownloadMBps: loopback.downloadMBps,
    loopbackDownloadMachineCpuPer100MB: loopback.downloadMachineCpu,
    hashedUploadMBps: loopback.hashedUploadMBps,
    bareUploadMBps: loopback.bareUploadMBps,
  };
}
