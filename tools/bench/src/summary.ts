import type { ServerName } from './servers.js';
import { median } from './stats.js';
import type { MetricValue, Workload } from './workloads/workload.js';

/** One run of one workload on one server. */
export interface RunRecord {
  workload: number;
  pair: number;
  /** Its place in its pair: 1 when it ran first, 2 when second, 3 when third. */
  position: 1 | 2 | 3;
  server: ServerName;
  /** Lading run with fsync made a no-op: a ceiling, not a score (`Workload.fsyncFreeCeiling`). */
  withoutFsync?: boolean;
  values: MetricValue[];
}

/** A workload's runs, or the failure that left it without a score. */
export interface WorkloadOutcome {
  workload: Workload;
  title: string;
  runs: RunRecord[];
  failure?: string;
}

/** One server's figures for one metric over all its runs. */
export interface ServerFigures {
  /** Every run's value, in run order. */
  values: number[];
  median: number;
  /** The largest peak RSS of any run, MiB. */
  peakRssMiB: number | undefined;
  /** The median CPU per unit over the runs. */
  cpuPerUnit: number | undefined;
  /** The median busy CPU of the whole machine per unit over the runs. */
  machineCpuPerUnit: number | undefined;
  /** The median journal commits per unit over the runs; undefined without a journal. */
  journalCommitsPerUnit: number | undefined;
  unitLabel: string | undefined;
}

export interface SummaryRow {
  workload: number;
  title: string;
  key: string;
  label: string;
  better: 'higher' | 'lower';
  lading: ServerFigures | undefined;
  distribution: ServerFigures | undefined;
  /** Lading with fsync made a no-op, where the workload runs it (`fsyncFreeCeiling`). */
  ladingWithoutFsync?: ServerFigures | undefined;
}

function figures(runs: readonly RunRecord[], key: string): ServerFigures | undefined {
  const values = runs.flatMap((run) => run.values.filter((value) => value.key === key));
  if (values.length === 0) return undefined;
  const usages = values.flatMap((value) => (value.usage === undefined ? [] : [value.usage]));
  return {
    values: values.map((value) => value.value),
    median: median(values.map((value) => value.value)),
    peakRssMiB:
      usages.length === 0
        ? undefined
        : Math.max(...usages.map((usage) => usage.peakRssBytes)) / (1024 * 1024),
    cpuPerUnit:
      usages.length === 0 ? undefined : median(usages.map((usage) => usage.cpuMs / usage.units)),
    machineCpuPerUnit: medianOrUndefined(
      usages.flatMap((usage) =>
        usage.machineCpuMs === undefined ? [] : [usage.machineCpuMs / usage.units],
      ),
    ),
    journalCommitsPerUnit: medianOrUndefined(
      usages.flatMap((usage) =>
        usage.journalCommits === undefined ? [] : [usage.journalCommits / usage.units],
      ),
    ),
    unitLabel: usages[0]?.unitLabel,
  };
}

function medianOrUndefined(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : median(values);
}

/** A row per metric of every workload that scored; none for a failed one. */
export function summarize(outcomes: readonly WorkloadOutcome[]): SummaryRow[] {
  return outcomes
    .filter((outcome) => outcome.failure === undefined)
    .flatMap(({ workload, title, runs }) =>
      workload.metrics.map((metric) => ({
        workload: workload.number,
        title,
        key: metric.key,
        label: metric.label,
        better: metric.better,
        lading: figures(
          runs.filter((run) => run.server === 'lading' && run.withoutFsync !== true),
          metric.key,
        ),
        distribution: figures(
          runs.filter((run) => run.server === 'distribution'),
          metric.key,
        ),
        ...(workload.fsyncFreeCeiling === true
          ? {
              ladingWithoutFsync: figures(
                runs.filter((run) => run.withoutFsync === true),
                metric.key,
              ),
            }
          : {}),
      })),
    );
}

/**
 * How many times better Lading is: L/d for rates, d/L for times and sizes. Above 1 means Lading
 * is ahead. Undefined without both numbers.
 */
export function advantage(row: SummaryRow): number | undefined {
  const lading = row.lading?.median;
  const distribution = row.distribution?.median;
  if (lading === undefined || distribution === undefined) return undefined;
  return row.better === 'higher' ? lading / distribution : distribution / lading;
}
