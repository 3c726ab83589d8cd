import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  cpuTicks,
  journalCommits,
  measure,
  parseCpuTicks,
  parseJournalTransactions,
  parseMachineBusyTicks,
  parseStatusBytes,
} from '../src/process-stats.js';

describe('process stats', () => {
  it('read utime + stime past a command name with spaces and parentheses', () => {
    const stat =
      '1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 1 0 100 0 0';
    expect(parseCpuTicks(stat)).to.equal(325);
  });

  it("read the machine's busy ticks from /proc/stat, leaving idle and iowait out", () => {
    const stat = 'cpu  100 2 30 5000 40 6 7 8 0 0\ncpu0 50 1 15 2500 20 3 3 4 0 0\nintr 1\n';
    expect(parseMachineBusyTicks(stat)).to.equal(100 + 2 + 30 + 6 + 7 + 8);
    expect(() => parseMachineBusyTicks('intr 1\n')).to.throw(/\/proc\/stat/);
    expect(() => parseMachineBusyTicks('cpu  1 2\n')).to.throw(/\/proc\/stat/);
  });

  it('sum the commits of every jbd2 journal, and have none without one', async () => {
    expect(
      parseJournalTransactions('4793 transactions (4790 requested), each up to 8192 blocks\n'),
    ).to.equal(4793);
    expect(() => parseJournalTransactions('average:\n')).to.throw(/jbd2/);
    const directory = await mkdtemp(join(tmpdir(), 'lading-bench-jbd2-'));
    try {
      expect(await journalCommits(join(directory, 'missing'))).to.equal(undefined);
      expect(await journalCommits(directory)).to.equal(undefined);
      for (const [device, count] of [
        ['vda-8', 100],
        ['loop0-8', 23],
      ] as const) {
        await mkdir(join(directory, device));
        await writeFile(
          join(directory, device, 'info'),
          `${count} transactions (${count} requested)\n`,
        );
      }
      expect(await journalCommits(directory)).to.equal(123);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('read VmHWM and VmRSS in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseStatusBytes(status, 'VmHWM')).to.equal(200 * 1024 * 1024);
    expect(parseStatusBytes(status, 'VmRSS')).to.equal(100 * 1024 * 1024);
    expect(() => parseStatusBytes('Name:\tx\n', 'VmRSS')).to.throw(/VmRSS/);
  });

  it('see this process use CPU and hold memory while it works', async () => {
    expect(await cpuTicks(process.pid)).to.be.greaterThan(0);
    let kept: Buffer | undefined;
    const { usage, elapsedMs } = await measure(process.pid, () => {
      const until = performance.now() + 60;
      while (performance.now() < until) kept = Buffer.alloc(32 * 1024 * 1024, 1);
      return Promise.resolve();
    });
    expect(kept?.length).to.equal(32 * 1024 * 1024);
    expect(elapsedMs).to.be.at.least(60);
    expect(usage.cpuMs).to.be.at.least(10);
    // The machine was at least as busy as this process.
    expect(usage.machineCpuMs).to.be.at.least(usage.cpuMs - 10);
    expect(usage.peakRssBytes).to.be.greaterThan(32 * 1024 * 1024);
  });
});
