import type { ServerFigures, SummaryRow } from '../src/summary.js';

/** One run's figures: `median` and, optionally, a peak RSS. */
export function figures(median: number, peakRssMiB?: number): ServerFigures {
  return {
    values: [median],
    median,
    peakRssMiB,
    cpuPerUnit: undefined,
    machineCpuPerUnit: undefined,
    journalCommitsPerUnit: undefined,
    unitLabel: undefined,
  };
}

export function row(
  workload: number,
  key: string,
  better: 'higher' | 'lower',
  lading: ServerFigures | undefined,
  distribution: ServerFigures | undefined,
): SummaryRow {
  return { workload, title: `w${workload}`, key, label: key, better, lading, distribution };
}
