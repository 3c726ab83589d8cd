import type { MachineLimits } from './limits.js';
import { advantage, type SummaryRow } from './summary.js';

/** The performance targets of the issue, in one place. */
export type TargetRule =
  /** Lading at least `min` times better than distribution on this metric. */
  | { kind: 'ratio'; workload: number; key: string; min: number }
  /** Lading's MB/s at least `min` (a fraction) of single-core SHA-256. */
  | { kind: 'share-of-sha256'; workload: number; key: string; min: number }
  /** Lading's value below distribution's (a latency). */
  | { kind: 'lading-lower'; workload: number; key: string }
  /** Lading's peak RSS below `maxMiB` in every workload. */
  | { kind: 'lading-rss-below'; maxMiB: number }
  /** Lading's `key` peak within `relative` (or `absoluteMiB`, the larger) of its `baseline`. */
  | {
      kind: 'flat-memory';
      workload: number;
      key: string;
      baseline: string;
      relative: number;
      absoluteMiB: number;
    };

export const targetRules: readonly TargetRule[] = [
  { kind: 'ratio', workload: 1, key: 'MBps', min: 2 },
  { kind: 'share-of-sha256', workload: 1, key: 'MBps', min: 0.5 },
  { kind: 'ratio', workload: 2, key: 'MBps', min: 2 },
  { kind: 'share-of-sha256', workload: 2, key: 'MBps', min: 0.5 },
  { kind: 'ratio', workload: 3, key: 'MBps', min: 1.3 },
  { kind: 'ratio', workload: 4, key: 'rps', min: 2 },
  { kind: 'lading-lower', workload: 4, key: 'p99' },
  { kind: 'ratio', workload: 5, key: 'rps', min: 2 },
  { kind: 'lading-lower', workload: 5, key: 'p99' },
  { kind: 'ratio', workload: 6, key: 'imagesPerSecond', min: 1.5 },
  { kind: 'ratio', workload: 7, key: 'fullMs', min: 2 },
  // Only the whole list: distribution 2.8 ignores `n` on tags/list and answers every tag in one
  // page, so its "walk" is one request and the walk's ratio compares different work.
  { kind: 'ratio', workload: 8, key: 'walkMs', min: 10 },
  { kind: 'lading-rss-below', maxMiB: 150 },
  {
    kind: 'flat-memory',
    workload: 9,
    key: 'peakLargeMiB',
    baseline: 'peakSmallMiB',
    relative: 0.2,
    absoluteMiB: 16,
  },
];

/** One target's verdict; `met` is undefined when a number it needs is missing. */
export interface TargetOutcome {
  workload: number;
  /** The row it belongs to, when it belongs to one. */
  key: string | undefined;
  text: string;
  met: boolean | undefined;
  observed: string;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);

/** What the table's target column says for a row. */
export function targetText(rule: TargetRule): string {
  switch (rule.kind) {
    case 'ratio':
      return `≥ ${rule.min}×`;
    case 'share-of-sha256':
      return `≥ ${rule.min * 100}% SHA-256`;
    case 'lading-lower':
      return 'L < d';
    case 'lading-rss-below':
      return `L peak RSS < ${rule.maxMiB} MiB`;
    case 'flat-memory':
      return `≤ max(+${rule.relative * 100}%, +${rule.absoluteMiB} MiB) of 20 MiB peak`;
  }
}

/**
 * The most MB/s a Node server reaches in a transfer workload on this machine, with the
 * workloads' client, doing less than a registry must: hashing the body and writing it to a
 * file without fsync (uploads), or sending from memory (the download).
 */
function ceilingMBps(workload: number, limits: MachineLimits | undefined): number | undefined {
  if (limits === undefined) return undefined;
  if (workload === 1 || workload === 2) return limits.bareUploadMBps;
  if (workload === 3) return limits.loopbackDownloadMBps;
  return undefined;
}

/** `observed`, saying so when meeting the target needs more MB/s than the ceiling. */
function withReach(
  observed: string,
  neededMBps: number | undefined,
  ceiling: number | undefined,
): string {
  if (neededMBps === undefined || ceiling === undefined || neededMBps <= ceiling) return observed;
  return `${observed}; needs ${fixed(neededMBps, 0)} MB/s, above this machine's ceiling of ${fixed(ceiling, 0)}: out of reach`;
}

/**
 * `observed`, saying so when the download target needs the whole machine to spend less CPU per
 * 100 MB than a download from memory costs it. A saturated machine's rate goes as the inverse
 * of its CPU per byte, so `min`× distribution's rate needs distribution's machine CPU ÷ `min`.
 */
function withMachineCpuReach(
  observed: string,
  rule: { workload: number; min: number },
  row: SummaryRow | undefined,
  limits: MachineLimits | undefined,
): string {
  const spent = row?.distribution?.machineCpuPerUnit;
  const least = limits?.loopbackDownloadMachineCpuPer100MB;
  if (rule.workload !== 3 || spent === undefined || least === undefined) return observed;
  const needed = spent / rule.min;
  if (needed >= least) return observed;
  return `${observed}; needs the machine at ${fixed(needed, 0)} ms of CPU per 100 MB, below the ${fixed(least, 0)} a download from memory costs: out of reach`;
}

/**
 * `observed`, saying so when a rate target needs more than Lading reaches with fsync made a
 * no-op: then no way of making its writes durable can meet it (what remains is request work).
 * Only when that run was the faster one: where it was slower, what bounds the workload is not
 * the fsyncs (on an ext4 without a journal, unflushed inode tables make creating files slower
 * still), and it is no ceiling.
 */
function withFsyncFreeReach(
  observed: string,
  needed: number | undefined,
  row: SummaryRow | undefined,
): string {
  const ceiling = row?.ladingWithoutFsync?.median;
  const lading = row?.lading?.median;
  if (row?.better !== 'higher' || needed === undefined || ceiling === undefined) return observed;
  if (lading === undefined || ceiling < lading) {
    return `${observed}; Lading was slower with fsync disabled (${fixed(ceiling, 1)} ${row.label}): fsyncs are not what bounds it here`;
  }
  if (needed <= ceiling) return observed;
  return `${observed}; needs ${fixed(needed, 1)} ${row.label}, above the ${fixed(ceiling, 1)} Lading reaches with fsync disabled: out of reach for any fsync strategy`;
}

function find(rows: readonly SummaryRow[], workload: number, key: string): SummaryRow | undefined {
  return rows.find((row) => row.workload === workload && row.key === key);
}

function verdict(
  workload: number,
  key: string | undefined,
  text: string,
  met: boolean | undefined,
  observed: string,
): TargetOutcome {
  return { workload, key, text, met, observed };
}

/** Every target against the medians (and, for memory, the largest peaks). */
export function evaluateTargets(
  rows: readonly SummaryRow[],
  limits: MachineLimits | undefined,
  rules: readonly TargetRule[] = targetRules,
): TargetOutcome[] {
  const outcomes: TargetOutcome[] = [];
  for (const rule of rules) {
    const text = targetText(rule);
    switch (rule.kind) {
      case 'ratio': {
        const row = find(rows, rule.workload, rule.key);
        const ratio = row === undefined ? undefined : advantage(row);
        const distribution = row?.distribution?.median;
        const needed = distribution === undefined ? undefined : distribution * rule.min;
        outcomes.push(
          verdict(
            rule.workload,
            rule.key,
            text,
            ratio === undefined ? undefined : ratio >= rule.min,
            ratio === undefined
              ? 'no number'
              : withFsyncFreeReach(
                  withMachineCpuReach(
                    withReach(`${fixed(ratio)}×`, needed, ceilingMBps(rule.workload, limits)),
                    rule,
                    row,
                    limits,
                  ),
                  needed,
                  row,
                ),
          ),
        );
        break;
      }
      case 'share-of-sha256': {
        const lading = find(rows, rule.workload, rule.key)?.lading?.median;
        const share =
          lading === undefined || limits === undefined ? undefined : lading / limits.sha256MBps;
        outcomes.push(
          verdict(
            rule.workload,
            rule.key,
            text,
            share === undefined ? undefined : share >= rule.min,
            share === undefined
              ? 'no number'
              : withReach(
                  `${fixed(share * 100, 0)}%`,
                  (limits?.sha256MBps ?? 0) * rule.min,
                  ceilingMBps(rule.workload, limits),
                ),
          ),
        );
        break;
      }
      case 'lading-lower': {
        const row = find(rows, rule.workload, rule.key);
        const lading = row?.lading?.median;
        const distribution = row?.distribution?.median;
        const known = lading !== undefined && distribution !== undefined;
        outcomes.push(
          verdict(
            rule.workload,
            rule.key,
            text,
            known ? lading < distribution : undefined,
            known ? `${fixed(lading)} vs ${fixed(distribution)}` : 'no number',
          ),
        );
        break;
      }
      case 'lading-rss-below': {
        for (const workload of [...new Set(rows.map((row) => row.workload))]) {
          const peaks = rows
            .filter((row) => row.workload === workload)
            .flatMap((row) =>
              row.lading?.peakRssMiB === undefined ? [] : [row.lading.peakRssMiB],
            );
          const peak = peaks.length === 0 ? undefined : Math.max(...peaks);
          outcomes.push(
            verdict(
              workload,
              undefined,
              text,
              peak === undefined ? undefined : peak < rule.maxMiB,
              peak === undefined ? 'no number' : `${fixed(peak, 0)} MiB`,
            ),
          );
        }
        break;
      }
      case 'flat-memory': {
        const large = find(rows, rule.workload, rule.key)?.lading?.median;
        const small = find(rows, rule.workload, rule.baseline)?.lading?.median;
        const known = large !== undefined && small !== undefined;
        const allowed = known ? Math.max(small * (1 + rule.relative), small + rule.absoluteMiB) : 0;
        outcomes.push(
          verdict(
            rule.workload,
            rule.key,
            text,
            known ? large <= allowed : undefined,
            known
              ? `${fixed(large, 0)} MiB vs ${fixed(small, 0)} MiB (allowed ${fixed(allowed, 0)})`
              : 'no number',
          ),
        );
        break;
      }
    }
  }
  return outcomes;
}
