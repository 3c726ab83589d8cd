import { parseDocument } from 'yaml';
import type { DocumentOptions, ParseOptions, SchemaOptions, Tags, YAMLError } from 'yaml';
import { ConfigError } from './errors.js';

export interface ParsedYaml {
  /** Plain data: objects, arrays, strings, numbers, booleans and null, never shared or cyclic. */
  readonly value: unknown;
  readonly warnings: readonly string[];
}

/**
 * The tags distribution's parser (Go's yaml.v2) resolves: YAML 1.1 booleans (`yes`,
 * `on`), octal `0755`, `<<` merges. yaml.v2 leaves timestamps and `12:30` as strings
 * and knows no `!!binary`/`!!set` for untyped values, so those are dropped here.
 */
function goYamlTags(tags: Tags): Tags {
  return tags.filter(
    (tag) =>
      typeof tag !== 'string' &&
      tag.format !== 'TIME' &&
      !['binary', 'omap', 'pairs', 'set', 'timestamp'].some(
        (name) => tag.tag === `tag:yaml.org,2002:${name}`,
      ),
  );
}

const options: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: goYamlTags,
  // yaml.v2 matches keys by their text: `on:` is the key "on", not `true`.
  stringKeys: true,
  prettyErrors: true,
};

/**
 * Parses one YAML document as distribution does. A duplicate key is not an error
 * (yaml.v2 keeps the last value, and distribution's own option list repeats keys),
 * but it is reported as a warning since one of the two values is silently lost.
 */
export function parseYaml(text: string): ParsedYaml {
  const warnings: string[] = [];
  let document = parseDocument(text, options);
  const duplicates = document.errors.filter((error) => error.code === 'DUPLICATE_KEY');
  if (duplicates.length > 0 && duplicates.length === document.errors.length) {
    for (const duplicate of duplicates) {
      warnings.push(`${summary(duplicate)}; the last value is used, as distribution does`);
    }
    document = parseDocument(text, { ...options, uniqueKeys: false });
  }
  // A real syntax error explains more than the duplicate keys it may come with.
  const error =
    document.errors.find((problem) => problem.code !== 'DUPLICATE_KEY') ?? document.errors[0];
  if (error !== undefined) {
    throw new ConfigError({
      key: '',
      value: undefined,
      expected: 'valid YAML',
      detail: `not valid YAML: ${summary(error)}`,
    });
  }
  for (const warning of document.warnings) warnings.push(summary(warning));
  return { value: plainCopy(document.toJS(), []), warnings };
}

/** The first line of a yaml error, without the source excerpt that follows it. */
function summary(error: YAMLError): string {
  const [first = ''] = error.message.split('\n');
  return first.replace(/:$/, '');
}

/**
 * A deep copy, so an anchor used twice (`*defaults`) yields two independent values
 * that overrides can change separately, as in Go; a node that contains itself
 * through an alias has no finite value and is refused.
 */
function plainCopy(value: unknown, ancestors: readonly object[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) {
    throw new ConfigError({
      key: '',
      value: undefined,
      expected: 'valid YAML',
      detail: 'not valid YAML: an alias refers to a node that contains it',
    });
  }
  const inside = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item: unknown) => plainCopy(item, inside));
  // fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, plainCopy(item, inside)]),
  );
}
