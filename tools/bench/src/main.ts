// `npm run bench [-- options]`: Lading against CNCF distribution, side by side. See README.md.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCleanlyOnSignals, removeAtExit } from './cleanup.js';
import { fullLimitSizes, measureLimits, smokeLimitSizes, type MachineLimits } from './limits.js';
import { machineInfo } from './machine-info.js';
import { parseOptions, usage, UsageError, type BenchOptions } from './options.js';
import {
  formatHeader,
  formatJournalCommits,
  formatLimits,
  formatResults,
  formatTargets,
  legend,
} from './report.js';
import { runWorkload } from './runner.js';
import { distributionVersion } from './servers.js';
import { fullSizes, smokeSizes } from './sizes.js';
import { summarize, type WorkloadOutcome } from './summary.js';
import { evaluateTargets, targetRules } from './targets.js';
import { workloads } from './workloads/index.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const defaultLadingCli = join(repositoryRoot, 'apps/registry/dist/cli.js');

/** Exit codes: a measurement that ran exits 0 even when it misses targets. */
const exitCodes = { ok: 0, failure: 1, usage: 2, targetsMissed: 3 } as const;

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Where relative paths on the command line start: the directory `npm run bench` was typed in
 * (npm runs the script in tools/bench and says where it started in INIT_CWD).
 */
const invocationDirectory = process.env.INIT_CWD ?? process.cwd();

function ladingCli(options: BenchOptions): string {
  const path =
    options.ladingCli === undefined
      ? defaultLadingCli
      : resolve(invocationDirectory, options.ladingCli);
  if (!existsSync(path)) {
    throw new UsageError(
      `${path} does not exist: the bench runs the built server and does not build it. ` +
        'Build it first, from the repository root: npx nx run-many -t build',
    );
  }
  return path;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
    return exitCodes.ok;
  }
  const cli = ladingCli(options);
  exitCleanlyOnSignals(log);
  const distribution = await distributionVersion();
  const info = await machineInfo(distribution);
  console.log(formatHeader(info));
  console.log('');

  const baseDirectory = await mkdtemp(join(tmpdir(), 'lading-bench-'));
  const forgetBase = removeAtExit(baseDirectory);
  try {
    const sizes = options.smoke ? smokeSizes : fullSizes;
    log('[bench] measuring the machine limits');
    const limits: MachineLimits = await measureLimits(
      baseDirectory,
      options.smoke ? smokeLimitSizes : fullLimitSizes,
    );
    console.log(formatLimits(limits));
    console.log('');

    const notes = new Set<string>();
    const outcomes: WorkloadOutcome[] = [];
    for (const workload of workloads.filter((each) => options.only.includes(each.number))) {
      outcomes.push(
        await runWorkload(workload, {
          ladingCli: cli,
          baseDirectory,
          sizes,
          pairs: options.pairs,
          log,
          notes,
        }),
      );
    }

    const rows = summarize(outcomes);
    const targets = options.smoke ? undefined : evaluateTargets(rows, limits);
    const rssRule = targetRules.find((rule) => rule.kind === 'lading-rss-below');
    console.log(formatResults(outcomes, rows, targets, limits, rssRule?.maxMiB ?? Infinity));
    console.log(legend);
    const commits = formatJournalCommits(rows);
    if (commits !== '') console.log(`\n${commits}`);
    console.log('');
    console.log(formatTargets(targets));
    const failures = outcomes.filter((outcome) => outcome.failure !== undefined);
    if (notes.size > 0) {
      console.log('');
      console.log('notes (not failures):');
      for (const note of notes) console.log(`  - ${note}`);
    }
    if (failures.length > 0) {
      console.log('');
      console.log('FAILED (these workloads have no score):');
      for (const failure of failures) console.log(`  - ${String(failure.failure)}`);
    }
    if (options.json !== undefined) {
      const jsonPath = resolve(invocationDirectory, options.json);
      await writeFile(
        jsonPath,
        `${JSON.stringify(
          {
            machine: info,
            options: { ...options, ladingCli: cli },
            sizes,
            limits,
            runs: outcomes.flatMap((outcome) => outcome.runs),
            medians: Object.fromEntries(
              outcomes.map((outcome) => [
                outcome.workload.number,
                Object.fromEntries(
                  (['lading', 'distribution'] as const).map((server) => [
                    server,
                    Object.fromEntries(
                      rows
                        .filter((row) => row.workload === outcome.workload.number)
                        .map((row) => [row.key, row[server]?.median ?? null]),
                    ),
                  ]),
                ),
              ]),
            ),
            rows,
            targets: targets ?? null,
            notes: [...notes],
            failures: failures.map((outcome) => ({
              workload: outcome.workload.number,
              error: outcome.failure,
            })),
          },
          null,
          2,
        )}\n`,
      );
      log(`[bench] wrote ${jsonPath}`);
    }
    if (failures.length > 0) return exitCodes.failure;
    const missed = targets?.some((target) => target.met !== true) ?? false;
    return options.requireTargets && !options.smoke && missed
      ? exitCodes.targetsMissed
      : exitCodes.ok;
  } finally {
    await rm(baseDirectory, { recursive: true, force: true });
    forgetBase();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      log(`bench: ${error.message}`);
      if (error.message.includes('--')) log(usage);
      process.exitCode = exitCodes.usage;
      return;
    }
    log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = exitCodes.failure;
  },
);
