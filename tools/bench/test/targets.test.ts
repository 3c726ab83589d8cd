import { expect } from 'chai';
import type { MachineLimits } from '../src/limits.js';
import { advantage } from '../src/summary.js';
import { evaluateTargets, type TargetRule } from '../src/targets.js';
import { figures, row } from './helpers.js';

const limits: MachineLimits = {
  sha256MBps: 2000,
  diskWriteFsyncMBps: 1000,
  diskWriteMBps: 2000,
  loopbackUploadMBps: 2000,
  loopbackDownloadMBps: 2000,
  loopbackDownloadMachineCpuPer100MB: 50,
  hashedUploadMBps: 1200,
  bareUploadMBps: 1000,
};

describe('targets', () => {
  it('ratio: L/d for rates, d/L for times', () => {
    expect(advantage(row(1, 'MBps', 'higher', figures(600), figures(200)))).to.equal(3);
    expect(advantage(row(7, 'fullMs', 'lower', figures(10), figures(40)))).to.equal(4);
    expect(advantage(row(7, 'fullMs', 'lower', figures(10), undefined))).to.equal(undefined);
  });

  it('judge a ratio at its bound, inclusive', () => {
    const rule: TargetRule[] = [{ kind: 'ratio', workload: 1, key: 'MBps', min: 2 }];
    const judge = (lading: number) =>
      evaluateTargets([row(1, 'MBps', 'higher', figures(lading), figures(100))], limits, rule)[0]
        ?.met;
    expect(judge(200)).to.equal(true);
    expect(judge(199)).to.equal(false);
  });

  it('judge a time ratio the other way round', () => {
    const rule: TargetRule[] = [{ kind: 'ratio', workload: 8, key: 'walkMs', min: 10 }];
    const judge = (lading: number) =>
      evaluateTargets([row(8, 'walkMs', 'lower', figures(lading), figures(100))], limits, rule)[0];
    expect(judge(10)?.met).to.equal(true);
    expect(judge(11)?.met).to.equal(false);
    expect(judge(11)?.observed).to.equal('9.09×');
  });

  it('say when a transfer target needs more than any Node server reaches here', () => {
    const judge = (
      rule: Extract<TargetRule, { kind: 'ratio' | 'share-of-sha256' }>,
      lading: number,
      distribution: number,
    ) =>
      evaluateTargets(
        [row(rule.workload, 'MBps', 'higher', figures(lading), figures(distribution))],
        limits,
        [rule],
      )[0]?.observed;
    const upload = { kind: 'ratio', workload: 1, key: 'MBps', min: 2 } as const;
    // Twice 700 is above the 1,000 MB/s a server that only hashes and writes reaches.
    expect(judge(upload, 900, 700)).to.equal(
      "1.29×; needs 1400 MB/s, above this machine's ceiling of 1000: out of reach",
    );
    expect(judge(upload, 900, 500)).to.equal('1.80×');
    const download = { kind: 'ratio', workload: 3, key: 'MBps', min: 1.3 } as const;
    expect(judge(download, 1500, 1600)).to.match(
      /needs 2080 MB\/s.*ceiling of 2000: out of reach$/,
    );
    const share = { kind: 'share-of-sha256', workload: 2, key: 'MBps', min: 0.5 } as const;
    expect(judge(share, 900, 1)).to.equal('45%');
    expect(
      evaluateTargets(
        [row(2, 'MBps', 'higher', figures(900), figures(1))],
        { ...limits, bareUploadMBps: 950 },
        [share],
      )[0]?.observed,
    ).to.equal("45%; needs 1000 MB/s, above this machine's ceiling of 950: out of reach");
  });

  it('say when a rate target needs more than Lading reaches with fsync disabled', () => {
    const rule: TargetRule[] = [{ kind: 'ratio', workload: 6, key: 'imagesPerSecond', min: 1.5 }];
    const judge = (withoutFsync: number | undefined) =>
      evaluateTargets(
        [
          {
            ...row(6, 'imagesPerSecond', 'higher', figures(30), figures(40)),
            ...(withoutFsync === undefined ? {} : { ladingWithoutFsync: figures(withoutFsync) }),
          },
        ],
        limits,
        rule,
      )[0]?.observed;
    // 1.5 × 40 = 60 images/s.
    expect(judge(52)).to.equal(
      '0.75×; needs 60.0 imagesPerSecond, above the 52.0 Lading reaches with fsync disabled: ' +
        'out of reach for any fsync strategy',
    );
    expect(judge(60)).to.equal('0.75×');
    expect(judge(undefined)).to.equal('0.75×');
    // Slower without fsync than with it (Lading made 30): no ceiling, and it says so.
    expect(judge(25)).to.equal(
      '0.75×; Lading was slower with fsync disabled (25.0 imagesPerSecond): fsyncs are not what ' +
        'bounds it here',
    );
  });

  it('say when the download target needs the machine cheaper than a download from memory', () => {
    const download = { kind: 'ratio', workload: 3, key: 'MBps', min: 1.3 } as const;
    const judge = (distributionMachineCpu: number) => {
      const distribution = { ...figures(1000), machineCpuPerUnit: distributionMachineCpu };
      return evaluateTargets([row(3, 'MBps', 'higher', figures(1100), distribution)], limits, [
        download,
      ])[0]?.observed;
    };
    // 1.3× distribution's rate needs 58.5 / 1.3 = 45 ms per 100 MB; from memory costs 50.
    expect(judge(58.5)).to.equal(
      '1.10×; needs the machine at 45 ms of CPU per 100 MB, below the 50 a download from memory costs: out of reach',
    );
    expect(judge(78)).to.equal('1.10×');
  });

  it('judge the share of SHA-256', () => {
    const rule: TargetRule[] = [{ kind: 'share-of-sha256', workload: 2, key: 'MBps', min: 0.5 }];
    const [met] = evaluateTargets(
      [row(2, 'MBps', 'higher', figures(1000), figures(1))],
      limits,
      rule,
    );
    expect(met).to.include({ met: true, observed: '50%' });
    const [missed] = evaluateTargets(
      [row(2, 'MBps', 'higher', figures(999), figures(1))],
      limits,
      rule,
    );
    expect(missed?.met).to.equal(false);
    const [unknown] = evaluateTargets(
      [row(2, 'MBps', 'higher', figures(999), figures(1))],
      undefined,
      rule,
    );
    expect(unknown?.met).to.equal(undefined);
  });

  it('judge Lading lower, strictly', () => {
    const rule: TargetRule[] = [{ kind: 'lading-lower', workload: 4, key: 'p99' }];
    const judge = (lading: number) =>
      evaluateTargets([row(4, 'p99', 'lower', figures(lading), figures(5))], limits, rule)[0]?.met;
    expect(judge(4.9)).to.equal(true);
    expect(judge(5)).to.equal(false);
  });

  it("judge Lading's peak RSS in every workload, by its largest row", () => {
    const rule: TargetRule[] = [{ kind: 'lading-rss-below', maxMiB: 150 }];
    const outcomes = evaluateTargets(
      [
        row(1, 'MBps', 'higher', figures(1, 120), figures(1, 20)),
        row(4, 'rps', 'higher', figures(1, 149), figures(1, 20)),
        row(4, 'p99', 'lower', figures(1), figures(1)),
        row(9, 'peakLargeMiB', 'lower', figures(1, 151), figures(1, 500)),
      ],
      limits,
      rule,
    );
    expect(outcomes.map((outcome) => [outcome.workload, outcome.met])).to.deep.equal([
      [1, true],
      [4, true],
      [9, false],
    ]);
  });

  it('judge flat memory: within 20% or 16 MiB of the small peak, whichever is larger', () => {
    const rule: TargetRule[] = [
      {
        kind: 'flat-memory',
        workload: 9,
        key: 'peakLargeMiB',
        baseline: 'peakSmallMiB',
        relative: 0.2,
        absoluteMiB: 16,
      },
    ];
    const judge = (large: number, small: number) =>
      evaluateTargets(
        [
          row(9, 'peakLargeMiB', 'lower', figures(large), figures(1)),
          row(9, 'peakSmallMiB', 'lower', figures(small), figures(1)),
        ],
        limits,
        rule,
      )[0]?.met;
    expect(judge(116, 100)).to.equal(true);
    expect(judge(120, 100)).to.equal(true);
    expect(judge(121, 100)).to.equal(false);
    expect(judge(66, 50)).to.equal(true); // 16 MiB is more than 20% of 50
    expect(judge(67, 50)).to.equal(false);
  });

  it('say "no number" rather than guessing when a workload failed', () => {
    const [outcome] = evaluateTargets([], limits, [
      { kind: 'ratio', workload: 3, key: 'MBps', min: 1.3 },
    ]);
    expect(outcome).to.include({ met: undefined, observed: 'no number' });
  });
});
