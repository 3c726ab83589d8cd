import { isInterrupted } from './cleanup.js';
import { Checker, CorrectnessError } from './correctness.js';
import { keepAliveAgent } from './http-client.js';
import {
  startServer,
  type ServerName,
  type ServerSettings,
  type ServerVariant,
} from './servers.js';
import type { Sizes } from './sizes.js';
import type { RunRecord, WorkloadOutcome } from './summary.js';
import type { MetricValue, Workload } from './workloads/workload.js';

export interface RunnerSettings extends ServerSettings {
  sizes: Sizes;
  pairs: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
  /** Observations that are not failures, collected across runs. */
  notes: Set<string>;
}

/** Pair 1 is Lading then distribution, pair 2 the other way round, and so on. */
export function pairOrder(pair: number): [ServerName, ServerName] {
  return pair % 2 === 1 ? ['lading', 'distribution'] : ['distribution', 'lading'];
}

/** One run: a new server on fresh storage, the workload, then the server stopped and removed. */
export async function runOnce(
  workload: Workload,
  name: ServerName,
  settings: RunnerSettings,
  variant: ServerVariant = {},
): Promise<MetricValue[]> {
  const server = await startServer(name, settings, variant);
  const agent = keepAliveAgent(settings.sizes.concurrency);
  const check = new Checker(
    name,
    `${workload.number} (${workload.title(settings.sizes)})`,
    settings.notes,
  );
  try {
    const values = await workload.run({
      server,
      client: { url: server.url, agent, check },
      sizes: settings.sizes,
    });
    for (const value of values) {
      if (!Number.isFinite(value.value)) {
        throw new Error(`${name}, workload ${workload.number}: ${value.key} is ${value.value}`);
      }
    }
    return values;
  } catch (error) {
    if (error instanceof CorrectnessError) throw error;
    // Anything else (a crash, a refused connection): say which server, with its last words.
    const logs = server.logs().trim().split('\n').slice(-20).join('\n');
    throw new Error(
      `${name}, workload ${workload.number}: ${error instanceof Error ? error.message : String(error)}${logs === '' ? '' : `\n--- ${name}'s last output ---\n${logs}`}`,
      { cause: error },
    );
  } finally {
    agent.destroy();
    await server.stop();
  }
}

function describe(values: readonly MetricValue[], workload: Workload): string {
  return workload.metrics
    .map((metric) => {
      const value = values.find((each) => each.key === metric.key)?.value;
      return `${value === undefined ? '-' : value.toFixed(value >= 100 ? 0 : 2)} ${metric.label}`;
    })
    .join(', ');
}

/**
 * The runs of one pair, each with its place in it: both servers in `pairOrder`, and Lading
 * without fsync if the workload asks for it, last in pair 1, first in pair 2, between them in
 * pair 3, and so on. Figures can drift from run to run (on an ext4 without a journal, each
 * run's deletions slow the next ones' file creations), so it must not always go last.
 */
export function runsOfPair(
  pair: number,
  workload: Pick<Workload, 'fsyncFreeCeiling'>,
): [1 | 2 | 3, ServerName, boolean][] {
  const order: [ServerName, boolean][] = pairOrder(pair).map((server) => [server, false]);
  if (workload.fsyncFreeCeiling === true) order.splice((pair + 1) % 3, 0, ['lading', true]);
  return order.map(([server, withoutFsync], index) => [
    (index + 1) as 1 | 2 | 3,
    server,
    withoutFsync,
  ]);
}

/** Every pair of runs of `workload`; the first failure ends it without a score. */
export async function runWorkload(
  workload: Workload,
  settings: RunnerSettings,
): Promise<WorkloadOutcome> {
  const title = workload.title(settings.sizes);
  const runs: RunRecord[] = [];
  for (let pair = 1; pair <= settings.pairs; pair += 1) {
    for (const [index, server, withoutFsync] of runsOfPair(pair, workload)) {
      try {
        const values = await runOnce(workload, server, settings, {
          withoutFsync,
          keepStorage: workload.keepsStorageUntilTheEnd === true,
        });
        runs.push({
          workload: workload.number,
          pair,
          position: index,
          server,
          ...(withoutFsync ? { withoutFsync } : {}),
          values,
        });
        settings.log(
          `[bench] ${workload.number} ${title} — pair ${pair}/${settings.pairs}, ${server}${withoutFsync ? ' without fsync' : ''}: ${describe(values, workload)}`,
        );
      } catch (error) {
        // Stopped by a signal: the servers are going away, and the process with them.
        if (isInterrupted()) await new Promise(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        settings.log(`[bench] ${workload.number} ${title} — FAILED: ${message}`);
        return { workload, title, runs, failure: message };
      }
    }
  }
  return { workload, title, runs };
}
