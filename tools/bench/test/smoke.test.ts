import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { workloads } from '../src/workloads/index.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

interface SmokeJson {
  medians: Record<string, Record<'lading' | 'distribution', Record<string, number | null>>>;
  failures: unknown[];
  targets: unknown;
  limits: Record<string, number>;
  rows: { workload: number; key: string; ladingWithoutFsync?: { median: number } }[];
}

describe('npm run bench -- --smoke', function () {
  // Needs apps/registry/dist (Nx builds it first: @lading/registry-server is a dev dependency)
  // and docker-registry (installed with apt-get when missing, as root).
  this.timeout(120_000);
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-bench-smoke-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('runs every workload on both servers, correctly, and writes a number for each', async () => {
    const json = join(directory, 'smoke.json');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--smoke', '--json', json],
      // INIT_CWD would redirect relative paths; this path is absolute anyway.
      { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const started = performance.now();
    const [code] = (await once(child, 'exit')) as [number | null];
    const seconds = (performance.now() - started) / 1000;
    expect(code, output).to.equal(0);
    expect(seconds, 'the smoke stays under a minute').to.be.below(60);

    const result = JSON.parse(await readFile(json, 'utf8')) as SmokeJson;
    expect(result.failures).to.deep.equal([]);
    expect(result.targets, 'no targets judged in smoke mode').to.equal(null);
    for (const workload of workloads) {
      for (const server of ['lading', 'distribution'] as const) {
        const medians = result.medians[String(workload.number)]?.[server] ?? {};
        for (const metric of workload.metrics) {
          expect(medians[metric.key], `${server}, workload ${workload.number}, ${metric.key}`)
            .to.be.a('number')
            .and.satisfy(Number.isFinite);
        }
      }
    }
    for (const [limit, value] of Object.entries(result.limits)) {
      // Rates must be measured; a CPU figure may round to 0 ticks at smoke sizes.
      if (limit.endsWith('MBps')) expect(value, limit).to.be.above(0);
      else expect(value, limit).to.be.at.least(0).and.satisfy(Number.isFinite);
    }
    expect(Object.keys(result.limits)).to.include('bareUploadMBps');
    // Lading under eatmydata, where a workload asks for that ceiling.
    for (const workload of workloads.filter((each) => each.fsyncFreeCeiling === true)) {
      for (const metric of workload.metrics) {
        const row = result.rows.find(
          (each) => each.workload === workload.number && each.key === metric.key,
        );
        expect(row?.ladingWithoutFsync?.median, `${workload.number} without fsync`)
          .to.be.a('number')
          .and.satisfy(Number.isFinite);
      }
    }
    expect(output).to.match(/^\| workload +\| metric/m);
  });
});
