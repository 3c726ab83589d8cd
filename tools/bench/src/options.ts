import { parseArgs } from 'node:util';

export interface BenchOptions {
  smoke: boolean;
  pairs: number;
  /** Workload numbers to run, ascending. */
  only: number[];
  json: string | undefined;
  ladingCli: string | undefined;
  requireTargets: boolean;
  help: boolean;
}

export const workloadNumbers = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export const usage = `Usage: npm run bench -- [options]

Lading against CNCF distribution (Debian's docker-registry), workload by workload, each run on
fresh storage, the two servers interleaved.

Options:
  --smoke              small sizes, one pair; checks correctness and that every workload
                       yields a number, judges no targets
  --pairs N            runs per server and workload, alternating who goes first (default 3;
                       1 with --smoke)
  --only 1,4,7         only these workloads
  --json FILE          write every run's numbers, the medians and the targets to FILE
  --lading-cli PATH    the Lading CLI to serve with (default apps/registry/dist/cli.js)
  --require-targets    exit 3 when a target is missed (never with --smoke)
  -h, --help           this text`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function positiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${option} takes a positive whole number, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function parseOptions(args: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        smoke: { type: 'boolean', default: false },
        pairs: { type: 'string' },
        only: { type: 'string' },
        json: { type: 'string' },
        'lading-cli': { type: 'string' },
        'require-targets': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  const smoke = values.smoke;
  const only =
    values.only === undefined
      ? workloadNumbers
      : [
          ...new Set(
            values.only.split(',').map((part) => {
              const number = positiveInteger(part.trim(), '--only');
              if (!workloadNumbers.includes(number)) {
                throw new UsageError(`--only: there is no workload ${number} (1–9)`);
              }
              return number;
            }),
          ),
        ].sort((a, b) => a - b);
  return {
    smoke,
    pairs: values.pairs === undefined ? (smoke ? 1 : 3) : positiveInteger(values.pairs, '--pairs'),
    only,
    json: values.json,
    ladingCli: values['lading-cli'],
    requireTargets: values['require-targets'],
    help: values.help,
  };
}
