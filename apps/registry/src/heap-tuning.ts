import { setFlagsFromString } from 'node:v8';

/** The environment variable that sets (or, with 0, leaves alone) the heap's growth. */
export const heapGrowthVariable = 'LADING_HEAP_GROWING_PERCENT';

const defaultPercent = 150;

/**
 * Lets V8's old generation grow by `percent` past what survived the last full
 * collection before collecting again, instead of the up to 300% it allows by
 * default. A registry's live heap is small (about 20 MB); under thousands of
 * HEAD requests a second it is the garbage between full collections that
 * took the process from 86 to 175 MiB. At 150% it peaks near 145 MiB at the
 * same request rate; at 100% lower still, but big uploads and downloads then
 * lose a fifth of their speed to collections (docs/performance.md, ADR 0015). `heap_growing_percent` is read at every
 * collection, so setting it after start-up takes effect; flags V8 reads only
 * at start-up (`--max-old-space-size`) would not.
 *
 * Left alone when the variable is 0, or when Node was started with its own
 * `--heap-growing-percent`. Returns the percent set, if any.
 */
export function limitHeapGrowth(
  env: NodeJS.ProcessEnv = process.env,
  nodeOptions: readonly string[] = [...process.execArgv, env.NODE_OPTIONS ?? ''],
): number | undefined {
  const configured = env[heapGrowthVariable];
  const percent =
    configured === undefined || configured === '' ? defaultPercent : Number(configured);
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000) {
    throw new Error(
      `${heapGrowthVariable} must be a whole number from 0 (leave V8's default) to 1000, not ${JSON.stringify(configured)}`,
    );
  }
  if (percent === 0) return undefined;
  if (nodeOptions.some((option) => option.includes('heap-growing-percent'))) return undefined;
  setFlagsFromString(`--heap-growing-percent=${String(percent)}`);
  return percent;
}
