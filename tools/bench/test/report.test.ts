import { expect } from 'chai';
import type { MachineLimits } from '../src/limits.js';
import {
  formatHeader,
  formatJournalCommits,
  formatLimits,
  formatNumber,
  formatRatio,
  formatResults,
  formatTable,
  formatTargets,
  shareOfLimits,
} from '../src/report.js';
import { summarize, type WorkloadOutcome } from '../src/summary.js';
import { evaluateTargets } from '../src/targets.js';
import { workloads } from '../src/workloads/index.js';
import { figures, row } from './helpers.js';

const limits: MachineLimits = {
  sha256MBps: 2000,
  diskWriteFsyncMBps: 1000,
  diskWriteMBps: 2000,
  loopbackUploadMBps: 1600,
  loopbackDownloadMBps: 2500,
  loopbackDownloadMachineCpuPer100MB: 50,
  hashedUploadMBps: 1300,
  bareUploadMBps: 1100,
};

const [upload, , , head, , smallPushes] = workloads;

function outcomes(): WorkloadOutcome[] {
  const usage = (rss: number, cpuMs: number) => ({
    peakRssBytes: rss * 1024 * 1024,
    cpuMs,
    // The whole machine: the server and, as much again, the client and the kernel.
    machineCpuMs: cpuMs * 2,
    units: 2,
    unitLabel: 'ms/100 MB',
  });
  return [
    {
      workload: upload!,
      title: 'monolithic upload 256 MiB',
      runs: [
        {
          workload: 1,
          pair: 1,
          position: 1,
          server: 'lading',
          values: [{ key: 'MBps', value: 1200, usage: usage(100, 80) }],
        },
        {
          workload: 1,
          pair: 1,
          position: 2,
          server: 'distribution',
          values: [{ key: 'MBps', value: 400, usage: usage(30, 300) }],
        },
        {
          workload: 1,
          pair: 2,
          position: 1,
          server: 'distribution',
          values: [{ key: 'MBps', value: 500, usage: usage(31, 310) }],
        },
        {
          workload: 1,
          pair: 2,
          position: 2,
          server: 'lading',
          values: [{ key: 'MBps', value: 1000, usage: usage(160, 90) }],
        },
      ],
    },
    { workload: head!, title: 'blob HEAD', runs: [], failure: 'lading, workload 4: wrong digest' },
  ];
}

describe('report', () => {
  it('formats numbers to about three digits, and ratios', () => {
    expect(formatNumber(1234.5)).to.equal('1,235');
    expect(formatNumber(123.45)).to.equal('123');
    expect(formatNumber(12.345)).to.equal('12.3');
    expect(formatNumber(1.2345)).to.equal('1.23');
    expect(formatNumber(undefined)).to.equal('-');
    expect(formatNumber(Number.NaN)).to.equal('-');
    expect(formatRatio(2.5)).to.equal('2.50×');
  });

  it('aligns table columns: numbers right, text left', () => {
    const table = formatTable(
      ['name', 'n'],
      [
        ['a', '1'],
        ['long name', '1,000'],
      ],
    ).split('\n');
    expect(table).to.deep.equal([
      '| name      |     n |',
      '|-----------|------:|',
      '| a         |     1 |',
      '| long name | 1,000 |',
    ]);
  });

  it('summarizes medians, the largest peak and the median CPU per unit', () => {
    const [summary] = summarize(outcomes());
    expect(summary?.lading?.median).to.equal(1100);
    expect(summary?.lading?.peakRssMiB).to.equal(160);
    expect(summary?.lading?.cpuPerUnit).to.equal(42.5);
    expect(summary?.lading?.machineCpuPerUnit).to.equal(85);
    expect(summary?.distribution?.median).to.equal(450);
  });

  it('prints medians, ratio, targets and usage, and no score for a failed workload', () => {
    const all = outcomes();
    const rows = summarize(all);
    const text = formatResults(all, rows, evaluateTargets(rows, limits), limits, 150);
    const lines = text.split('\n');
    expect(lines[0]).to.match(
      /^\| workload +\| metric +\| Lading +\| distribution +\| ratio +\| target/,
    );
    const uploadLine = lines.find((line) => line.includes('monolithic upload')) ?? '';
    const cells = uploadLine.split('|').map((cell) => cell.trim());
    expect(cells.slice(1, 15)).to.deep.equal([
      '1 monolithic upload 256 MiB',
      'MB/s',
      '1,100',
      '450',
      '2.44×',
      '≥ 2×; ≥ 50% SHA-256',
      'yes; yes',
      '160 ✗',
      '31.0',
      '42.5',
      '153',
      '85.0',
      '305',
      'ms/100 MB',
    ]);
    expect(cells[15]).to.equal('55% SHA, 69% lo-up, 100% bare');
    const failed = lines.find((line) => line.includes('blob HEAD')) ?? '';
    expect(failed).to.include('FAILED (no score)');
    expect(failed).to.not.match(/\d+\.\d+/);
  });

  it('lists every target, and says when none were judged', () => {
    const rows = summarize(outcomes());
    const text = formatTargets(evaluateTargets(rows, limits));
    expect(text).to.match(/^targets: \d+ met, 1 missed, \d+ without a number/);
    expect(text).to.include('[NO ] 1: L peak RSS < 150 MiB — 160 MiB');
    expect(text).to.include('[ - ] 4 rps: ≥ 2× — no number');
    expect(formatTargets(undefined)).to.include('not evaluated');
  });

  it('prints every machine limit, and what a download from memory cost the machine', () => {
    const text = formatLimits(limits);
    for (const figure of ['2,000', '1,000', '1,600', '2,500', '1,300', '1,100']) {
      expect(text).to.include(figure);
    }
    expect(text).to.include('upload floor: node:http + SHA-256 + file, no fsync');
    expect(text.split('\n').at(-1)).to.equal(
      'The loopback download cost the whole machine 50.0 ms of CPU per 100 MB: the least any ' +
        "server's download can cost it with this client.",
    );
  });

  it("keeps the runs without fsync out of Lading's score, as a ceiling of their own", () => {
    const run = (pair: number, server: 'lading' | 'distribution', value: number, bare = false) => ({
      workload: 6,
      pair,
      position: 1 as const,
      server,
      ...(bare ? { withoutFsync: true } : {}),
      values: [{ key: 'imagesPerSecond', value }],
    });
    const outcome: WorkloadOutcome = {
      workload: smallPushes!,
      title: 'small pushes',
      runs: [run(1, 'lading', 30), run(1, 'distribution', 40), run(1, 'lading', 50, true)],
    };
    const [summary] = summarize([outcome]);
    expect(summary?.lading?.values).to.deep.equal([30]);
    expect(summary?.distribution?.values).to.deep.equal([40]);
    expect(summary?.ladingWithoutFsync?.values).to.deep.equal([50]);
    expect(shareOfLimits(summary!, limits)).to.equal('60% of 50.0 no-fsync');
    // A workload that runs no such ceiling has none.
    expect(summarize(outcomes())[0]).to.not.have.property('ladingWithoutFsync');
  });

  it('gives journal commits per unit, once per workload, where both servers have them', () => {
    const withCommits = (commits: number) => ({
      ...figures(1),
      journalCommitsPerUnit: commits,
      unitLabel: 'ms/image',
    });
    const pushes = row(6, 'imagesPerSecond', 'higher', withCommits(41.2), withCommits(21));
    expect(formatJournalCommits([pushes, { ...pushes, label: 'another metric' }])).to.equal(
      'journal commits (all journaled filesystems):\n' +
        '  6 imagesPerSecond: Lading 41.2, distribution 21.0 per image',
    );
    expect(
      formatJournalCommits([row(6, 'imagesPerSecond', 'higher', figures(1), figures(1))]),
    ).to.equal('');
    // The summary takes the median per unit of the runs that counted any.
    const run = (value: number, journalCommits?: number) => ({
      workload: 6,
      pair: 1,
      position: 1 as const,
      server: 'lading' as const,
      values: [
        {
          key: 'imagesPerSecond',
          value,
          usage: {
            peakRssBytes: 1,
            cpuMs: 1,
            units: 100,
            unitLabel: 'ms/image',
            ...(journalCommits === undefined ? {} : { journalCommits }),
          },
        },
      ],
    });
    const [summary] = summarize([
      { workload: smallPushes!, title: 'small pushes', runs: [run(30, 4100), run(31, 4300)] },
    ]);
    expect(summary?.lading?.journalCommitsPerUnit).to.equal(42);
    const [none] = summarize([{ workload: smallPushes!, title: 'small pushes', runs: [run(30)] }]);
    expect(none?.lading?.journalCommitsPerUnit).to.equal(undefined);
  });

  it('gives download shares against the loopback download', () => {
    const share = shareOfLimits(row(3, 'MBps', 'higher', figures(1250), figures(1)), limits);
    expect(share).to.equal('50% lo-down');
    expect(
      shareOfLimits(row(6, 'imagesPerSecond', 'higher', figures(1), figures(1)), limits),
    ).to.equal('');
  });

  it('heads the report with the machine and the command', () => {
    const header = formatHeader({
      date: '2026-01-02T03:04:05.000Z',
      hostname: 'box',
      cpuModel: 'AMD EPYC',
      cores: 2,
      totalMemoryBytes: 4 * 1024 ** 3,
      node: 'v20.19.0',
      distribution: 'docker-registry github.com/docker/distribution 2.8.2+ds1',
      command: 'node --import tsx src/main.ts --smoke',
    });
    expect(header.split('\n')).to.deep.equal([
      'Lading vs CNCF distribution, 2026-01-02T03:04:05.000Z on box',
      'AMD EPYC, 2 cores, 4.0 GiB RAM, Node v20.19.0, docker-registry github.com/docker/distribution 2.8.2+ds1',
      'command: node --import tsx src/main.ts --smoke',
    ]);
  });
});
