import type { MachineLimits } from './limits.js';
import type { MachineInfo } from './machine-info.js';
import { advantage, type SummaryRow, type WorkloadOutcome } from './summary.js';
import { targetRules, targetText, type TargetOutcome, type TargetRule } from './targets.js';

/** A plain-text table with a header rule; numbers right-aligned, text left-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) =>
    rows.every((row) => /^[-−]?$|^[\d.,]+( ?[%×]| MiB)?$|^[\d.,]+ ✗$/.test(row[column] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : `-${'-'.repeat(width + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Three significant-ish digits: 1234, 123, 12.3, 1.23. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function formatRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${value.toFixed(2)}×`;
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;

export function formatHeader(info: MachineInfo): string {
  const gib = (info.totalMemoryBytes / 1024 ** 3).toFixed(1);
  return [
    `Lading vs CNCF distribution, ${info.date} on ${info.hostname}`,
    `${info.cpuModel}, ${info.cores} cores, ${gib} GiB RAM, Node ${info.node}, ${info.distribution}`,
    `command: ${info.command}`,
  ].join('\n');
}

export function formatLimits(limits: MachineLimits): string {
  const table = formatTable(
    ['machine limit', 'MB/s'],
    [
      ['SHA-256, one core (node:crypto)', formatNumber(limits.sha256MBps)],
      ['disk write, 1 MiB writes + fsync', formatNumber(limits.diskWriteFsyncMBps)],
      ['disk write, 1 MiB writes, no fsync', formatNumber(limits.diskWriteMBps)],
      ['loopback HTTP upload (node:http sink)', formatNumber(limits.loopbackUploadMBps)],
      ['loopback HTTP download (node:http from memory)', formatNumber(limits.loopbackDownloadMBps)],
      ['upload floor: node:http + SHA-256', formatNumber(limits.hashedUploadMBps)],
      ['upload floor: node:http + SHA-256 + file, no fsync', formatNumber(limits.bareUploadMBps)],
    ],
  );
  return (
    `${table}\nThe loopback download cost the whole machine ` +
    `${formatNumber(limits.loopbackDownloadMachineCpuPer100MB)} ms of CPU per 100 MB: ` +
    "the least any server's download can cost it with this client."
  );
}

/**
 * Lading's MB/s as shares of the limits that bound it (uploads hash, downloads only copy), or
 * its rate as a share of its own rate with fsync disabled.
 */
export function shareOfLimits(row: SummaryRow, limits: MachineLimits | undefined): string {
  const lading = row.lading?.median;
  const withoutFsync = row.ladingWithoutFsync?.median;
  if (lading !== undefined && withoutFsync !== undefined) {
    return `${percent(lading / withoutFsync)} of ${formatNumber(withoutFsync)} no-fsync`;
  }
  if (limits === undefined || lading === undefined || row.key !== 'MBps') return '';
  if (row.workload === 1 || row.workload === 2) {
    return [
      `${percent(lading / limits.sha256MBps)} SHA`,
      `${percent(lading / limits.loopbackUploadMBps)} lo-up`,
      `${percent(lading / limits.bareUploadMBps)} bare`,
    ].join(', ');
  }
  if (row.workload === 3) return `${percent(lading / limits.loopbackDownloadMBps)} lo-down`;
  return '';
}

function ruleKey(rule: TargetRule): string | undefined {
  return 'key' in rule ? `${rule.workload}/${rule.key}` : undefined;
}

const metLabel = (met: boolean | undefined) => (met === undefined ? '-' : met ? 'yes' : 'NO');

const formatOptional = (value: number | undefined) =>
  value === undefined ? '' : formatNumber(value);

/** The main table: a row per metric, failed workloads marked, no score for them. */
export function formatResults(
  outcomes: readonly WorkloadOutcome[],
  rows: readonly SummaryRow[],
  targets: readonly TargetOutcome[] | undefined,
  limits: MachineLimits | undefined,
  rssLimitMiB: number,
): string {
  const headers = [
    'workload',
    'metric',
    'Lading',
    'distribution',
    'ratio',
    'target',
    'met?',
    'L peak RSS MiB',
    'd peak RSS MiB',
    'L CPU/unit',
    'd CPU/unit',
    'L machine CPU/unit',
    'd machine CPU/unit',
    'unit',
    'L share of limit',
  ];
  const body: string[][] = [];
  for (const outcome of outcomes) {
    const number = outcome.workload.number;
    const name = `${number} ${outcome.title}`;
    if (outcome.failure !== undefined) {
      body.push([name, 'FAILED (no score)', ...headers.slice(2).map(() => '')]);
      continue;
    }
    for (const [index, row] of rows.filter((each) => each.workload === number).entries()) {
      const here = targetRules.filter((rule) => ruleKey(rule) === `${number}/${row.key}`);
      const verdicts = (targets ?? []).filter(
        (target) => target.workload === number && target.key === row.key,
      );
      const rss = (figure: number | undefined, mark: boolean) =>
        figure === undefined
          ? ''
          : `${formatNumber(figure)}${mark && figure >= rssLimitMiB ? ' ✗' : ''}`;
      body.push([
        index === 0 ? name : '',
        row.label,
        formatNumber(row.lading?.median),
        formatNumber(row.distribution?.median),
        formatRatio(advantage(row)),
        here.map(targetText).join('; '),
        targets === undefined ? '' : verdicts.map((verdict) => metLabel(verdict.met)).join('; '),
        rss(row.lading?.peakRssMiB, true),
        rss(row.distribution?.peakRssMiB, false),
        formatOptional(row.lading?.cpuPerUnit),
        formatOptional(row.distribution?.cpuPerUnit),
        formatOptional(row.lading?.machineCpuPerUnit),
        formatOptional(row.distribution?.machineCpuPerUnit),
        row.lading?.unitLabel ?? row.distribution?.unitLabel ?? '',
        shareOfLimits(row, limits),
      ]);
    }
  }
  return formatTable(headers, body);
}

/** Every target, one line each; in smoke mode a single line saying they were not judged. */
export function formatTargets(targets: readonly TargetOutcome[] | undefined): string {
  if (targets === undefined) {
    return 'targets: not evaluated (smoke: the sizes are too small to mean anything)';
  }
  const missed = targets.filter((target) => target.met === false).length;
  const unknown = targets.filter((target) => target.met === undefined).length;
  return [
    `targets: ${targets.length - missed - unknown} met, ${missed} missed, ${unknown} without a number`,
    ...targets.map(
      (target) =>
        `  [${target.met === undefined ? ' - ' : target.met ? ' ok' : 'NO '}] ${target.workload}${target.key === undefined ? '' : ` ${target.key}`}: ${target.text} — ${target.observed}`,
    ),
  ].join('\n');
}

/**
 * Journal commits per unit of work, for the rows that have them (the storage is on a journaled
 * filesystem): what fsyncs cost there. Empty when there are none.
 */
export function formatJournalCommits(rows: readonly SummaryRow[]): string {
  const seen = new Set<number>();
  const lines = rows.flatMap((row) => {
    const lading = row.lading?.journalCommitsPerUnit;
    const distribution = row.distribution?.journalCommitsPerUnit;
    // A workload's metrics share their runs' usage: one line each.
    if (lading === undefined || distribution === undefined || seen.has(row.workload)) return [];
    seen.add(row.workload);
    const unit = (row.lading?.unitLabel ?? '').replace(/^ms\//, '');
    return [
      `  ${row.workload} ${row.label}: Lading ${formatNumber(lading)}, distribution ${formatNumber(distribution)} per ${unit}`,
    ];
  });
  return lines.length === 0
    ? ''
    : ['journal commits (all journaled filesystems):', ...lines].join('\n');
}

export const legend = [
  'Medians over the runs; peak RSS is the largest of any run. MB = 10^6 bytes.',
  'ratio: how many times better Lading is — L/d for rates, d/L for times and sizes (>1: Lading ahead).',
  'CPU/unit: server CPU ms (user+system) per unit of work; machine CPU/unit: busy ms of all CPUs',
  '(server, client, kernel) per unit of work; ✗: Lading above its RSS target.',
].join('\n');
