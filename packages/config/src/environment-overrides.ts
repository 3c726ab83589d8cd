import { ConfigError, isConfigError } from './errors.js';
import { expandNameOnly } from './name-only.js';
import { parseYaml } from './parse-yaml.js';
import { configurationSchema } from './schema.js';
import type { Shape } from './schema.js';
import { childPath, isMapping, itemPath } from './tree.js';
import type { Mapping } from './tree.js';

const prefix = 'REGISTRY_';

/** Names the config file; not an override (distribution's image sets it). */
const configurationPathVariable = 'REGISTRY_CONFIGURATION_PATH';

/** One variable that changed the configuration. */
export interface AppliedOverride {
  readonly name: string;
  /** The key it set. */
  readonly key: string;
  /** The outermost section it created on the way, else its key: all of it came from the variable. */
  readonly scope: string;
}

export interface OverrideResult {
  readonly applied: readonly AppliedOverride[];
  readonly warnings: readonly string[];
}

type Container = Mapping | unknown[];

interface Variable {
  readonly name: string;
  readonly text: string;
}

interface Step {
  readonly container: Container;
  readonly key: string | number;
  readonly path: string;
  readonly shape: Shape;
}

/**
 * Applies distribution's `REGISTRY_<PATH>` overrides to the parsed file, in place.
 * `<PATH>` is the key path upper-cased and joined by `_` (a list index is a segment;
 * the current length appends); the value is parsed as YAML. Variables apply in
 * lexical order of their names, so `REGISTRY_STORAGE` comes before
 * `REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY`. A variable that names no key is
 * ignored with a warning, as distribution logs and ignores it.
 */
export function applyEnvironmentOverrides(
  root: Mapping,
  env: Readonly<Record<string, string | undefined>>,
): OverrideResult {
  const applied: AppliedOverride[] = [];
  const warnings: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(prefix) && name !== configurationPathVariable)
    // Code-unit order, as Go sorts the environment.
    .sort();
  for (const name of names) {
    const text = env[name];
    if (text === undefined) continue;
    const segments = name.slice(prefix.length).split('_');
    if (segments[0] === 'VERSION') {
      warnings.push(`${name} is ignored: the version cannot be overridden`);
      continue;
    }
    const route = locate(root, segments, { name, text });
    if (route === undefined) {
      warnings.push(`${name} matches no configuration key and is ignored`);
      continue;
    }
    const { target, sections } = route;
    const value = parseValue(text, name, target.path, warnings);
    for (const section of sections) assign(section.container, section.key, section.value);
    assign(target.container, target.key, expandNameOnly(value, target.shape));
    const scope = sections.find((section) => section.created)?.path ?? target.path;
    applied.push({ name, key: target.path, scope });
  }
  return { applied, warnings };
}

/** Where a variable leads: the key it sets, and the sections to store on the way there. */
interface Route {
  readonly target: Step;
  readonly sections: readonly Section[];
}

/** A section the path goes through, as it must be stored (created, or expanded from a name). */
interface Section {
  readonly container: Container;
  readonly key: string | number;
  readonly value: Container;
  readonly path: string;
  /** Whether the variable creates it, there being no section there before. */
  readonly created: boolean;
}

/**
 * Follows a variable's path through the configuration without changing it, so a
 * variable that leads nowhere leaves no empty sections behind.
 */
function locate(root: Mapping, segments: readonly string[], variable: Variable): Route | undefined {
  let container: Container = root;
  let shape: Shape = configurationSchema;
  let path = '';
  let step: Step | undefined;
  const sections: Section[] = [];
  for (const segment of segments) {
    if (step !== undefined) {
      const existing = expandNameOnly(read(step.container, step.key), step.shape);
      container = descend(step, existing);
      sections.push({
        container: step.container,
        key: step.key,
        value: container,
        path: step.path,
        created: container !== existing,
      });
      shape = step.shape;
      path = step.path;
    }
    step = stepInto(container, shape, segment, path, variable);
    if (step === undefined) return undefined;
  }
  // split() gives at least one segment, so the loop ran and set `step`.
  /* c8 ignore next */
  return step === undefined ? undefined : { target: step, sections };
}

function stepInto(
  container: Container,
  shape: Shape,
  segment: string,
  path: string,
  variable: Variable,
): Step | undefined {
  if (segment === '') return undefined;
  if (Array.isArray(container)) return listStep(container, shape, segment, path, variable);
  switch (shape.kind) {
    case 'struct': {
      const field = Object.entries(shape.fields).find(
        ([key, fieldShape]) => key.toUpperCase() === segment || fieldShape.goName === segment,
      );
      if (field !== undefined) {
        return { container, key: field[0], path: childPath(path, field[0]), shape: field[1] };
      }
      if (shape.others === undefined) return undefined;
      const key = mapKey(container, segment, Object.keys(shape.fields));
      return { container, key, path: childPath(path, key), shape: shape.others };
    }
    case 'map':
    case 'open': {
      const key = mapKey(container, segment, []);
      const values = shape.kind === 'map' ? shape.values : shape;
      return { container, key, path: childPath(path, key), shape: values };
    }
    default:
      return undefined;
  }
}

/**
 * A key of a mapping with user-chosen keys: an existing one matched regardless of
 * case, else the segment lower-cased, as distribution does.
 */
function mapKey(container: Mapping, segment: string, reserved: readonly string[]): string {
  const existing = Object.keys(container).find(
    (key) => key.toUpperCase() === segment && !reserved.includes(key),
  );
  return existing ?? segment.toLowerCase();
}

function listStep(
  list: unknown[],
  shape: Shape,
  segment: string,
  path: string,
  { name, text }: Variable,
): Step | undefined {
  if (!/^\d+$/.test(segment)) return undefined;
  const index = Number(segment);
  const itemShape = shape.kind === 'list' ? shape.items : shape;
  if (index > list.length) {
    throw new ConfigError({
      key: itemPath(path, index),
      value: text,
      expected: listIndexExpectation(list.length),
      source: `environment ${name}`,
      detail: `index ${segment} is past the end of ${path} (length ${String(list.length)}); expected ${listIndexExpectation(list.length)}`,
    });
  }
  return { container: list, key: index, path: itemPath(path, index), shape: itemShape };
}

function listIndexExpectation(length: number): string {
  return length === 0 ? 'index 0 to start the list' : `an index from 0 to ${String(length)}`;
}

/** The value at the step, or the container its shape needs when there is none yet. */
function descend(step: Step, current: unknown): Container {
  const { kind } = step.shape;
  if (Array.isArray(current) && (kind === 'list' || kind === 'open')) return current as unknown[];
  if (isMapping(current) && kind !== 'list') return current;
  // Absent, null or a scalar where a section belongs: the override starts it afresh.
  return kind === 'list' ? [] : {};
}

function read(container: Container, key: string | number): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function assign(container: Container, key: string | number, value: unknown): void {
  if (Array.isArray(container)) container[Number(key)] = value;
  else container[key] = value;
}

function parseValue(text: string, name: string, path: string, warnings: string[]): unknown {
  try {
    const parsed = parseYaml(text);
    for (const warning of parsed.warnings) warnings.push(`${name}: ${warning}`);
    return parsed.value;
  } catch (error) {
    /* c8 ignore next -- parseYaml throws nothing else */
    if (!isConfigError(error)) throw error;
    throw new ConfigError({
      key: path,
      value: text,
      expected: 'a YAML value',
      source: `environment ${name}`,
      detail: `${JSON.stringify(text)} is not valid; expected a YAML value (${error.detail})`,
    });
  }
}
