import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run). */
export const clockTicksPerSecond = 100;

const samplingIntervalMs = 20;

/** What a server process used during a measured stretch. */
export interface ProcessUsage {
  /** User plus system CPU time, in ms. */
  cpuMs: number;
  /**
   * Busy CPU time of the whole machine over the same stretch, in ms: the server, the client,
   * the kernel's own threads. On a machine the workload saturates, this is what bounds it.
   */
  machineCpuMs: number;
  /**
   * Journal commits of every journaled filesystem (ext4, ext3) over the same stretch: each one
   * an fsync, or several that arrived together, had to wait for. Undefined where the machine
   * has no such journal.
   */
  journalCommits?: number;
  /** The largest resident set seen, in bytes. */
  peakRssBytes: number;
  /** VmHWM after resetting it through clear_refs, or VmRSS sampled every 20 ms. */
  peakMethod: 'hwm' | 'sampled';
}

/** utime + stime of `pid`, in clock ticks, from /proc/<pid>/stat. */
export async function cpuTicks(pid: number): Promise<number> {
  return parseCpuTicks(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime (fields 14 and 15) from the text of /proc/<pid>/stat. */
export function parseCpuTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`cannot read CPU times from ${JSON.stringify(stat.slice(0, 200))}`);
  }
  return utime + stime;
}

/** Busy clock ticks of all CPUs since boot: user, nice, system, irq, softirq, steal. */
export async function machineBusyTicks(): Promise<number> {
  return parseMachineBusyTicks(await readFile('/proc/stat', 'utf8'));
}

/** The busy ticks from the `cpu` line of the text of /proc/stat (idle and iowait left out). */
export function parseMachineBusyTicks(stat: string): number {
  const line = /^cpu +(.*)$/m.exec(stat)?.[1];
  const [user, nice, system, , , irq, softirq, steal] = (line ?? '').split(/ +/).map(Number);
  const busy = [user, nice, system, irq, softirq, steal];
  if (line === undefined || busy.some((ticks) => ticks === undefined || !Number.isFinite(ticks))) {
    throw new Error(`cannot read CPU times from /proc/stat: ${JSON.stringify(stat.slice(0, 200))}`);
  }
  return busy.reduce<number>((sum, ticks) => sum + (ticks ?? 0), 0);
}

/**
 * Commits of every jbd2 journal since it was mounted, summed over /proc/fs/jbd2/<device>/info;
 * undefined when there is no journal (an ext4 without one, xfs, btrfs, tmpfs).
 */
export async function journalCommits(directory = '/proc/fs/jbd2'): Promise<number | undefined> {
  let devices: string[];
  try {
    devices = await readdir(directory);
  } catch {
    return undefined;
  }
  if (devices.length === 0) return undefined;
  let total = 0;
  for (const device of devices) {
    total += parseJournalTransactions(await readFile(join(directory, device, 'info'), 'utf8'));
  }
  return total;
}

/** The count from the first line of a jbd2 info file: `1234 transactions (1234 requested), …`. */
export function parseJournalTransactions(info: string): number {
  const match = /^(\d+) transactions/.exec(info);
  if (match?.[1] === undefined) {
    throw new Error(
      `cannot read a jbd2 transaction count from ${JSON.stringify(info.slice(0, 100))}`,
    );
  }
  return Number(match[1]);
}

/** A `VmXXX:  1234 kB` line of /proc/<pid>/status, in bytes. */
export function parseStatusBytes(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/<pid>/status`);
  return Number(match[1]) * 1024;
}

async function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  return parseStatusBytes(await readFile(`/proc/${pid}/status`, 'utf8'), field);
}

/**
 * Measures a server process over a stretch of work: CPU from /proc/<pid>/stat, peak RSS from
 * VmHWM after resetting it (writing 5 to /proc/<pid>/clear_refs), or, where that is not
 * allowed, from VmRSS sampled every 20 ms.
 */
export class ProcessMeter {
  #sampler: NodeJS.Timeout | undefined;
  #sampledPeak = 0;
  #sampling: Promise<void> = Promise.resolve();

  private constructor(
    readonly pid: number,
    private readonly startTicks: number,
    private readonly startMachineTicks: number,
    private readonly startJournalCommits: number | undefined,
    private readonly method: 'hwm' | 'sampled',
  ) {}

  static async start(pid: number): Promise<ProcessMeter> {
    let method: 'hwm' | 'sampled' = 'hwm';
    try {
      await writeFile(`/proc/${pid}/clear_refs`, '5');
    } catch {
      method = 'sampled';
    }
    const meter = new ProcessMeter(
      pid,
      await cpuTicks(pid),
      await machineBusyTicks(),
      await journalCommits(),
      method,
    );
    if (method === 'sampled') meter.#startSampling();
    return meter;
  }

  #startSampling(): void {
    const sample = () => {
      this.#sampling = statusBytes(this.pid, 'VmRSS').then(
        (rss) => {
          this.#sampledPeak = Math.max(this.#sampledPeak, rss);
        },
        () => undefined,
      );
    };
    sample();
    this.#sampler = setInterval(sample, samplingIntervalMs);
  }

  async stop(): Promise<ProcessUsage> {
    const endTicks = await cpuTicks(this.pid);
    const endMachineTicks = await machineBusyTicks();
    const endJournalCommits = await journalCommits();
    let peakRssBytes: number;
    if (this.method === 'hwm') {
      peakRssBytes = await statusBytes(this.pid, 'VmHWM');
    } else {
      clearInterval(this.#sampler);
      await this.#sampling;
      peakRssBytes = Math.max(this.#sampledPeak, await statusBytes(this.pid, 'VmRSS'));
    }
    return {
      cpuMs: ((endTicks - this.startTicks) * 1000) / clockTicksPerSecond,
      machineCpuMs: ((endMachineTicks - this.startMachineTicks) * 1000) / clockTicksPerSecond,
      ...(this.startJournalCommits === undefined || endJournalCommits === undefined
        ? {}
        : { journalCommits: endJournalCommits - this.startJournalCommits }),
      peakRssBytes,
      peakMethod: this.method,
    };
  }
}

/** Measures `pid` while `work` runs. */
export async function measure<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; usage: ProcessUsage; elapsedMs: number }> {
  const meter = await ProcessMeter.start(pid);
  const started = performance.now();
  try {
    const result = await work();
    const elapsedMs = performance.now() - started;
    return { result, usage: await meter.stop(), elapsedMs };
  } catch (error) {
    await meter.stop().catch(() => undefined);
    throw error;
  }
}
