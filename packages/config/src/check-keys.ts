import { ConfigError } from './errors.js';
import { configurationSchema } from './schema.js';
import type { Shape, StructShape } from './schema.js';
import { closestKey } from './suggest.js';
import { childPath, isMapping, itemPath } from './tree.js';

/**
 * Walks the configuration against the keys distribution knows. A key nobody knows is
 * an error, with the nearest known key as a suggestion: distribution would silently
 * ignore a misspelt `rootdirectory` and store data in the wrong place. Keys Lading
 * knows but does not act on add a warning; a refused key (`proxy`) is an error.
 * Values are not checked here; the section readers do that.
 */
export function checkKeys(root: unknown, warnings: string[]): void {
  walk(root, configurationSchema, '', warnings);
}

function walk(value: unknown, shape: Shape, path: string, warnings: string[]): void {
  if (value === null || value === undefined) return;
  if (shape.refused !== undefined && !isEmptyMapping(value)) {
    throw new ConfigError({
      key: path,
      value,
      expected: `no ${path} section`,
      detail: `${shape.refused}; remove the ${path} section`,
    });
  }
  if (shape.warning !== undefined) warnings.push(`${path} ${shape.warning}`);
  switch (shape.kind) {
    case 'struct':
      if (isMapping(value)) walkStruct(value, shape, path, warnings);
      return;
    case 'map':
      if (isMapping(value)) {
        for (const [key, item] of Object.entries(value)) {
          walk(item, shape.values, childPath(path, key), warnings);
        }
      }
      return;
    case 'list':
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) {
          walk(item, shape.items, itemPath(path, index), warnings);
        }
      }
      return;
    default:
      return;
  }
}

function walkStruct(
  value: Readonly<Record<string, unknown>>,
  shape: StructShape,
  path: string,
  warnings: string[],
): void {
  for (const [key, item] of Object.entries(value)) {
    const field = Object.hasOwn(shape.fields, key) ? shape.fields[key] : shape.others;
    if (field === undefined) throw unknownKey(key, item, shape, path);
    walk(item, field, childPath(path, key), warnings);
  }
}

function unknownKey(key: string, value: unknown, shape: StructShape, path: string): ConfigError {
  const known = Object.keys(shape.fields);
  const where = path === '' ? 'at the top level' : `in ${path}`;
  const expected = known.length === 0 ? `no keys ${where}` : `one of ${known.join(', ')} ${where}`;
  const suggestion = closestKey(key, known);
  return new ConfigError({
    key: childPath(path, key),
    value,
    expected,
    detail:
      suggestion === undefined
        ? `unknown key; expected ${expected}`
        : `unknown key; did you mean "${suggestion}"?`,
  });
}

function isEmptyMapping(value: unknown): boolean {
  return isMapping(value) && Object.keys(value).length === 0;
}
