const configErrorBrand = Symbol.for('@lading/config/error');

export interface ConfigErrorInit {
  /** The dotted path of the offending key (`http.addr`); empty for the document as a whole. */
  key: string;
  /** The value found there; `undefined` when it is missing. */
  value: unknown;
  /** What would have been valid, in words: `host:port or :port`. */
  expected: string;
  /** Where the bad value came from: the file name, or `environment REGISTRY_HTTP_ADDR`. */
  source?: string | undefined;
  /** The message after `key: `, when the default `<value> is not valid; expected …` does not fit. */
  detail?: string | undefined;
  cause?: unknown;
}

/**
 * A configuration that cannot be used. It names the key (a dotted path such as
 * `notifications.endpoints[0].url`), the value found there and what was expected,
 * so the operator can fix the file without reading Lading's source. Only the
 * first problem is reported: start-up stops there anyway.
 */
export class ConfigError extends Error {
  /** Brand shared by every copy of this package, so checks survive duplicate installs. */
  readonly [configErrorBrand] = true;
  readonly code = 'CONFIG_INVALID';
  /** The dotted path of the offending key; empty for the document as a whole. */
  readonly key: string;
  readonly value: unknown;
  readonly expected: string;
  readonly source: string | undefined;
  /** The message without the source prefix. */
  readonly detail: string;

  constructor(init: ConfigErrorInit) {
    const detail = init.detail ?? defaultDetail(init.value, init.expected);
    super(composeMessage(init.source, init.key, detail), { cause: init.cause });
    this.name = new.target.name;
    this.key = init.key;
    this.value = init.value;
    this.expected = init.expected;
    this.source = init.source;
    this.detail = detail;
  }

  /** The same error, said to come from `source` (the file, or an environment variable). */
  withSource(source: string | undefined): ConfigError {
    const { key, value, expected, detail, cause } = this;
    return new ConfigError({ key, value, expected, source, detail, cause });
  }
}

/** True for an error of this package, also when it comes from another copy of it. */
export function isConfigError(error: unknown): error is ConfigError {
  return typeof error === 'object' && error !== null && configErrorBrand in error;
}

function composeMessage(source: string | undefined, key: string, detail: string): string {
  const where = [source, key].filter((part) => part !== undefined && part !== '').join(': ');
  return where === '' ? detail : `${where}: ${detail}`;
}

function defaultDetail(value: unknown, expected: string): string {
  if (value === undefined || value === null) return `missing; expected ${expected}`;
  return `${describeValue(value)} is not valid; expected ${expected}`;
}

const maxDescriptionLength = 80;

/** The value as JSON, shortened: a whole driver section in a message helps nobody. */
function describeValue(value: unknown): string {
  // JSON has no NaN or Infinity (YAML's .nan and .inf); it would print them as null.
  const text =
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > maxDescriptionLength ? `${text.slice(0, maxDescriptionLength - 1)}…` : text;
}
