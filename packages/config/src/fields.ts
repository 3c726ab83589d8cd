import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { childPath, isMapping, itemPath } from './tree.js';
import type { Mapping } from './tree.js';

const durationExpectation = 'a duration such as "10s", "1h30m" or "500ms"';

/**
 * Reads the typed values of one configuration section, naming the key's full path in
 * every error (`notifications.endpoints[0].timeout`). A key given as `null` (`key:`
 * with nothing after it) counts as absent, as an empty value does in distribution.
 * Unknown keys are not its concern: `checkKeys` has rejected them already.
 */
export class Fields {
  private constructor(
    private readonly values: Readonly<Mapping>,
    /** The section's own path; empty at the top level. */
    readonly path: string,
    private readonly warnings: string[],
  ) {}

  /** The fields of `value`, which must be a mapping (or absent, read as empty). */
  static of(value: unknown, path: string, warnings: string[]): Fields {
    if (value === undefined || value === null) return new Fields({}, path, warnings);
    if (!isMapping(value)) throw new ConfigError({ key: path, value, expected: 'a mapping' });
    return new Fields(value, path, warnings);
  }

  at(key: string): string {
    return childPath(this.path, key);
  }

  /** The raw value, with `null` read as absent. */
  get(key: string): unknown {
    const value = Object.hasOwn(this.values, key) ? this.values[key] : undefined;
    return value ?? undefined;
  }

  /** Whether the key has a value; an empty string is distribution's zero value, so none. */
  has(key: string): boolean {
    const value = this.get(key);
    return value !== undefined && value !== '';
  }

  /** Every key, those given as `null` included. */
  keys(): string[] {
    return Object.keys(this.values);
  }

  /** Records a warning for `lading config check` and the server log. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  invalid(key: string, expected: string, detail?: string): ConfigError {
    return new ConfigError({ key: this.at(key), value: this.get(key), expected, detail });
  }

  /** An error about the section as a whole (`storage` has no driver), naming `value`. */
  problem(value: unknown, expected: string, detail: string): ConfigError {
    return new ConfigError({ key: this.path, value, expected, detail });
  }

  child(key: string): Fields {
    return Fields.of(this.get(key), this.at(key), this.warnings);
  }

  /** The mappings of the list at `key`, each to read its own fields. */
  elements(key: string): Fields[] {
    return this.list(key, 'a list of mappings').map((item, index) =>
      Fields.of(item, itemPath(this.at(key), index), this.warnings),
    );
  }

  /**
   * A string. A number is taken as its text, as Go's yaml.v2 does for a string field
   * (`secret: 12345`); a boolean is refused, since `on` would become "true".
   */
  optionalString(key: string): string | undefined {
    const value = this.get(key);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (value !== undefined && typeof value !== 'string') {
      throw this.invalid(
        key,
        typeof value === 'boolean'
          ? 'a string (quote it: YAML reads yes/on/true as true)'
          : 'a string',
      );
    }
    // An empty string is distribution's zero value: unset.
    return value === '' ? undefined : value;
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  requiredString(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) throw this.invalid(key, 'a non-empty string');
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw this.invalid(key, 'true or false');
    return value;
  }

  optionalInteger(key: string, minimum = 0): number | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
      throw this.invalid(key, `a whole number ≥ ${String(minimum)}`);
    }
    return value;
  }

  integer(key: string, fallback: number, minimum = 0): number {
    return this.optionalInteger(key, minimum) ?? fallback;
  }

  /**
   * A whole number where distribution reads 0 as "use the default"
   * (`catalog.maxentries: 0` means 1000).
   */
  integerOrDefault(key: string, fallback: number): number {
    const value = this.integer(key, fallback);
    return value === 0 ? fallback : value;
  }

  /**
   * A duration in milliseconds, from Go's syntax (`10s`). A bare number is
   * nanoseconds, as Go reads it into a time.Duration, which is rarely what was meant,
   * so it comes with a warning.
   */
  optionalDuration(key: string): number | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    let milliseconds: number;
    if (typeof value === 'number') {
      milliseconds = value / 1e6;
      if (value !== 0) {
        this.warn(
          `${this.at(key)}: ${String(value)} has no unit and is read as nanoseconds, as distribution does; write "${String(value)}s" if seconds were meant`,
        );
      }
    } else if (typeof value === 'string') {
      try {
        milliseconds = parseDuration(value);
      } catch {
        throw this.invalid(key, durationExpectation);
      }
    } else {
      throw this.invalid(key, durationExpectation);
    }
    if (!(milliseconds >= 0)) throw this.invalid(key, `${durationExpectation}, not negative`);
    return milliseconds;
  }

  duration(key: string, fallback: number): number {
    return this.optionalDuration(key) ?? fallback;
  }

  /** A duration where distribution reads 0 as "use the default" (notification timeouts). */
  durationOrDefault(key: string, fallback: number): number {
    const value = this.duration(key, fallback);
    return value === 0 ? fallback : value;
  }

  /** One of `choices`; `ignoreCase` where distribution lower-cases first (log levels). */
  optionalChoice<T extends string>(
    key: string,
    choices: readonly T[],
    ignoreCase = false,
  ): T | undefined {
    const value = this.optionalString(key);
    if (value === undefined) return undefined;
    const wanted = ignoreCase ? value.toLowerCase() : value;
    const found = choices.find((choice) => choice === wanted);
    if (found === undefined) throw this.invalid(key, `one of ${choices.join(', ')}`);
    return found;
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T, ignoreCase = false): T {
    return this.optionalChoice(key, choices, ignoreCase) ?? fallback;
  }

  /** A list of strings; absent is empty. */
  strings(key: string): string[] {
    return this.list(key, 'a list of strings').map((item, index) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' && Number.isFinite(item)) return String(item);
      throw new ConfigError({
        key: itemPath(this.at(key), index),
        value: item,
        expected: 'a string',
      });
    });
  }

  /**
   * distribution's `http.Header`: each name maps to a list of values. A single string
   * is taken as a one-item list, the way it is usually meant.
   */
  headers(key: string): Record<string, string[]> {
    const section = this.child(key);
    const headers: Record<string, string[]> = {};
    for (const name of section.keys()) {
      if (!section.has(name)) continue;
      headers[name] =
        typeof section.get(name) === 'string'
          ? [section.requiredString(name)]
          : section.strings(name);
    }
    return headers;
  }

  /** A mapping kept as given (log fields, redis); absent is empty. */
  mapping(key: string): Record<string, unknown> {
    const value = this.get(key);
    if (value === undefined) return {};
    if (!isMapping(value)) throw this.invalid(key, 'a mapping');
    return { ...value };
  }

  private list(key: string, expected: string): readonly unknown[] {
    const value = this.get(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw this.invalid(key, expected);
    return value as readonly unknown[];
  }
}
