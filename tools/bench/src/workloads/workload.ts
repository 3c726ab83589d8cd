import type { ProcessUsage } from '../process-stats.js';
import type { RegistryClient } from '../registry-client.js';
import type { BenchServer } from '../servers.js';
import type { Sizes } from '../sizes.js';

/** One number a workload reports, e.g. MB/s or p99 ms. */
export interface Metric {
  key: string;
  /** The table's metric column: `MB/s`, `req/s`, `p99 ms`. */
  label: string;
  better: 'higher' | 'lower';
}

/** What the server used while a metric was measured, and per what unit its CPU is given. */
export interface Usage {
  peakRssBytes: number;
  cpuMs: number;
  /** The whole machine's busy CPU meanwhile (see ProcessUsage). Absent in results saved before. */
  machineCpuMs?: number;
  /** Journal commits meanwhile (see ProcessUsage); absent without a journal. */
  journalCommits?: number;
  /** How many units of work were done, e.g. 2.68 (×100 MB) or 20 (×1,000 requests). */
  units: number;
  /** e.g. `ms/100 MB` */
  unitLabel: string;
}

export interface MetricValue {
  key: string;
  value: number;
  usage?: Usage;
}

export interface RunContext {
  server: BenchServer;
  client: RegistryClient;
  sizes: Sizes;
}

export interface Workload {
  /** Its number in the issue: 1–9. */
  number: number;
  title(sizes: Sizes): string;
  metrics: readonly Metric[];
  /** One run on a fresh server: setup (untimed), the timed part, then verification. */
  run(context: RunContext): Promise<MetricValue[]>;
  /**
   * Also run Lading with fsync made a no-op (Debian's eatmydata) once in every pair: the most
   * any way of making its writes durable could give it here, which the target's verdict and the
   * share-of-limit column compare with.
   */
  fsyncFreeCeiling?: boolean;
  /**
   * Remove the runs' storage at the end of the bench, not after each run. On an ext4 without a
   * journal, each new file or directory scans the inodes deleted in the last minute or more,
   * so deleting one run's thousands of files would slow the file creations of the runs after it.
   */
  keepsStorageUntilTheEnd?: boolean;
}

/** CPU per 100 MB (10^8 bytes) moved. */
export function per100MB(usage: ProcessUsage, bytes: number): Usage {
  return { ...pick(usage), units: bytes / 1e8, unitLabel: 'ms/100 MB' };
}

/** CPU per `label` when `units` of them were done. */
export function perUnit(usage: ProcessUsage, units: number, label: string): Usage {
  return { ...pick(usage), units, unitLabel: label };
}

function pick({ peakRssBytes, cpuMs, machineCpuMs, journalCommits }: ProcessUsage) {
  return {
    peakRssBytes,
    cpuMs,
    machineCpuMs,
    ...(journalCommits === undefined ? {} : { journalCommits }),
  };
}
