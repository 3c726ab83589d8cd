import { measure, type ProcessUsage } from '../process-stats.js';
import { percentile } from '../stats.js';
import { runPool } from '../http-client.js';
import { perUnit, type Metric, type MetricValue } from './workload.js';

export const requestMetrics: readonly Metric[] = [
  { key: 'rps', label: 'req/s', better: 'higher' },
  { key: 'p50', label: 'p50 ms', better: 'lower' },
  { key: 'p99', label: 'p99 ms', better: 'lower' },
];

/**
 * Sends `total` requests, `concurrency` at a time over the client's keep-alive connections,
 * timing each; requests/s over the whole, and the latency percentiles.
 */
export async function timedRequests(
  pid: number,
  total: number,
  concurrency: number,
  request: (index: number) => Promise<void>,
): Promise<MetricValue[]> {
  const latencies = new Array<number>(total);
  const { usage, elapsedMs } = await measure(pid, () =>
    runPool(total, concurrency, async (index) => {
      const started = performance.now();
      await request(index);
      latencies[index] = performance.now() - started;
    }),
  );
  return requestResults(usage, elapsedMs, latencies);
}

function requestResults(
  usage: ProcessUsage,
  elapsedMs: number,
  latencies: number[],
): MetricValue[] {
  return [
    {
      key: 'rps',
      value: latencies.length / (elapsedMs / 1000),
      usage: perUnit(usage, latencies.length / 1000, 'ms/1k req'),
    },
    { key: 'p50', value: percentile(latencies, 50) },
    { key: 'p99', value: percentile(latencies, 99) },
  ];
}
