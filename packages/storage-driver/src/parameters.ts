import { InvalidDriverParameterError } from './errors.js';

interface IntegerBounds {
  min?: number;
  max?: number;
}

/**
 * Reads a driver's untyped config parameters into typed values, naming the
 * key in every error. Values may come from YAML or from `REGISTRY_STORAGE_*`
 * environment overrides, so numbers and booleans are also accepted as strings;
 * a key given as `null` (`key:` with no value) counts as absent.
 *
 * Call `rejectUnknownKeys()` last: a misspelt key (`rootdir`) silently falling
 * back to a default is how registries end up writing to the wrong place.
 */
export class DriverParameters {
  readonly #values: ReadonlyMap<string, unknown>;
  readonly #read = new Set<string>();
  readonly #prefix: string;

  /** `prefix` names a nested block in errors (`credentials.` → `credentials.type`). */
  constructor(input: unknown, prefix = '') {
    this.#prefix = prefix;
    if (input === undefined || input === null) {
      this.#values = new Map();
    } else if (typeof input === 'object' && !Array.isArray(input)) {
      this.#values = new Map(Object.entries(input));
    } else {
      throw new InvalidDriverParameterError(
        prefix === '' ? 'parameters' : prefix.slice(0, -1),
        `expected a mapping, got ${describe(input)}`,
      );
    }
  }

  /**
   * The nested mapping under `key` (such as azure's `credentials:`), read the
   * same way; `undefined` when absent. Its errors name `key.subkey`.
   */
  optionalChild(key: string): DriverParameters | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    return new DriverParameters(value, `${this.#prefix}${key}.`);
  }

  /**
   * A duration in milliseconds, written as Go writes them (`100ms`, `1.5s`,
   * `2m30s`), as distribution reads them; a bare number is milliseconds.
   */
  durationMs(key: string, fallbackMs: number): number {
    const value = this.take(key);
    if (value === undefined) return fallbackMs;
    const parsed =
      typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? parseGoDuration(value)
          : undefined;
    if (parsed === undefined || !Number.isFinite(parsed) || parsed < 0) {
      throw invalid(this.#name(key), value, 'a duration such as "100ms" or "2s"');
    }
    return parsed;
  }

  /** A string value, or `undefined` when absent. */
  optionalString(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(this.#name(key), value, 'a string');
    return value;
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  requiredString(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined || value === '') {
      throw new InvalidDriverParameterError(this.#name(key), 'is required');
    }
    return value;
  }

  integer(key: string, fallback: number, bounds: IntegerBounds = {}): number {
    const value = this.take(key);
    if (value === undefined) return fallback;
    const parsed =
      typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) {
      throw invalid(this.#name(key), value, 'an integer');
    }
    if (bounds.min !== undefined && parsed < bounds.min) {
      throw invalid(this.#name(key), value, `an integer ≥ ${String(bounds.min)}`);
    }
    if (bounds.max !== undefined && parsed > bounds.max) {
      throw invalid(this.#name(key), value, `an integer ≤ ${String(bounds.max)}`);
    }
    return parsed;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
      return value.trim().toLowerCase() === 'true';
    }
    throw invalid(this.#name(key), value, 'true or false');
  }

  /** Throws for the first key that no reader asked for, listing the known ones. */
  rejectUnknownKeys(): void {
    for (const key of this.#values.keys()) {
      if (this.#read.has(key)) continue;
      const known = [...this.#read].sort().join(', ') || 'none';
      throw new InvalidDriverParameterError(this.#name(key), `unknown parameter (known: ${known})`);
    }
  }

  #name(key: string): string {
    return `${this.#prefix}${key}`;
  }

  private take(key: string): unknown {
    this.#read.add(key);
    const value = this.#values.get(key);
    return value === null ? undefined : value;
  }
}

const goDurationUnits: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds of a Go duration string, or undefined when it is not one. */
function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (goDurationUnits[String(unit)] ?? Number.NaN);
  }
  return total;
}

function invalid(key: string, value: unknown, expected: string): InvalidDriverParameterError {
  return new InvalidDriverParameterError(key, `expected ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}
