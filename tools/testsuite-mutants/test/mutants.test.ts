import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { mutants } from '../src/mutants.js';

const fixture = fileURLToPath(new URL('../fixtures/run-suite.ts', import.meta.url));

interface MochaTest {
  fullTitle: string;
  title: string;
  err?: { message?: string };
}
interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number };
  failures: MochaTest[];
  passes: MochaTest[];
  pending: MochaTest[];
}

/** Runs the fixture in a child mocha with the JSON reporter. */
function runSuite(): Promise<{ report: MochaReport; exitCode: number | null }> {
  const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
  const child = spawn(
    process.execPath,
    [
      mocha,
      '--no-config',
      '--node-option',
      'import=tsx/esm',
      '--reporter',
      'json',
      '--timeout',
      '60000',
      fixture,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const output = Buffer.concat(chunks).toString();
      try {
        resolve({ report: JSON.parse(output) as MochaReport, exitCode });
      } catch (error) {
        reject(new Error(`mocha did not print JSON: ${output.slice(0, 2000)}`, { cause: error }));
      }
    });
  });
}

function suiteOf(test: MochaTest): string {
  return /^storage driver conformance: (\S+)/.exec(test.fullTitle)?.[1] ?? '(other)';
}

describe('the conformance suite against broken drivers', function () {
  this.timeout(600_000);
  let report: MochaReport;
  let exitCode: number | null;

  before(async () => {
    ({ report, exitCode } = await runSuite());
  });

  it('passes a working driver completely', () => {
    const control = report.failures.filter((test) => suiteOf(test) === 'control');
    expect(control.map((test) => test.fullTitle)).to.deep.equal([]);
    expect(report.passes.filter((test) => suiteOf(test) === 'control')).to.have.length.above(50);
  });

  it('fails the run as a whole', () => {
    expect(exitCode).to.not.equal(0);
    expect(report.stats.failures).to.be.at.least(mutants.length);
  });

  for (const mutant of mutants) {
    // Each expected title must appear in a failed test's title or its error message.
    it(`catches ${mutant.name}: ${mutant.defect}`, () => {
      const failed = report.failures.filter((test) => suiteOf(test) === `mutant:${mutant.name}`);
      expect(failed, 'failures').to.not.deep.equal([]);
      for (const title of mutant.caughtBy) {
        expect(
          failed.map((test) => `${test.fullTitle}: ${test.err?.message ?? ''}`),
          `the test "${title}" must fail`,
        ).to.satisfy((titles: string[]) =>
          titles.some((failedTitle) => failedTitle.includes(title)),
        );
      }
    });
  }
});
