/** Nanoseconds per unit, as Go's `time.ParseDuration` knows them. */
const unitNanoseconds: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3], // U+00B5 micro sign
  ['μs', 1e3], // U+03BC Greek mu
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

/** Go durations are int64 nanoseconds; anything longer does not exist in distribution. */
const maxNanoseconds = 2 ** 63 - 1;

const component = /([0-9]*(?:\.[0-9]*)?)([^0-9.]+)/y;

/**
 * Reads a duration in Go's syntax (`168h`, `1h30m`, `10s`, `500ms`, `1.5s`, `-2m`, `0`),
 * the syntax of every duration in distribution's config.yml, and returns milliseconds
 * (fractional below a millisecond). Throws a `RangeError` for anything else, including
 * a number without a unit, which Go rejects too (only `0` may go without).
 */
export function parseDuration(value: string): number {
  let rest = value;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid(value, 'it is empty');

  let nanoseconds = 0;
  component.lastIndex = 0;
  while (component.lastIndex < rest.length) {
    const match = component.exec(rest);
    if (match === null) throw invalid(value, 'a number must be followed by a unit');
    const [, number = '', unit = ''] = match;
    if (number === '' || number === '.') throw invalid(value, `"${unit}" has no number before it`);
    const perUnit = unitNanoseconds.get(unit);
    if (perUnit === undefined) {
      throw invalid(value, `unknown unit "${unit}" (use ns, us, ms, s, m or h)`);
    }
    nanoseconds += Number(number) * perUnit;
  }
  if (nanoseconds > maxNanoseconds) throw invalid(value, 'it is longer than Go allows');
  // `|| 0` turns "-0s" into 0, not -0.
  return (sign * nanoseconds) / 1e6 || 0;
}

function invalid(value: string, reason: string): RangeError {
  return new RangeError(`invalid duration ${JSON.stringify(value)}: ${reason}`);
}
