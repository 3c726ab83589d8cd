import { InvalidPathError } from './errors.js';

/**
 * Storage path rules, checked here and nowhere else.
 *
 * A path is absolute and `/`-separated: `/docker/registry/v2/blobs`. Each
 * component is one or more of `[A-Za-z0-9._-]`, and neither `.` nor `..`
 * (distribution's pattern allows those; Lading rejects them because the
 * filesystem driver would resolve them). There is no trailing slash and no
 * empty component. The root `/` is valid only where a method says so
 * (`stat`, `list`, `walk`).
 *
 * Because `~` and every other character outside the set can never appear in a
 * valid path, drivers may use them for their own bookkeeping names
 * (uncommitted writes, temporary files) without colliding with user paths.
 */

const componentPattern = /^[A-Za-z0-9._-]+$/;
const forbiddenCharacter = /[^A-Za-z0-9._-]/;

/** Why `path` is not a valid storage path, or `undefined` when it is. */
export function pathProblem(path: unknown, allowRoot = false): string | undefined {
  if (typeof path !== 'string') return `must be a string, not ${typeof path}`;
  if (path === '') return 'must not be empty';
  if (!path.startsWith('/')) return 'must be absolute (start with "/")';
  if (path === '/') return allowRoot ? undefined : 'the root "/" is not allowed here';
  if (path.endsWith('/')) return 'must not end with "/"';
  for (const component of path.slice(1).split('/')) {
    const problem = componentProblem(component);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function componentProblem(component: string): string | undefined {
  if (component === '') return 'has an empty component ("//")';
  if (component === '.' || component === '..') return `component "${component}" is not allowed`;
  const bad = forbiddenCharacter.exec(component);
  if (bad !== null) {
    return `component "${component}" has ${JSON.stringify(bad[0])}; only [A-Za-z0-9._-] are allowed`;
  }
  return undefined;
}

export function isValidPath(path: unknown, allowRoot = false): path is string {
  return pathProblem(path, allowRoot) === undefined;
}

/** True when `name` could be a component of a valid path. */
export function isValidPathComponent(name: string): boolean {
  return componentPattern.test(name) && name !== '.' && name !== '..';
}

/** Throws `InvalidPathError` naming the problem unless `path` is valid. */
export function assertValidPath(path: unknown, allowRoot = false): asserts path is string {
  const problem = pathProblem(path, allowRoot);
  if (problem !== undefined) throw new InvalidPathError(String(path), problem);
}

/** `joinPath('/', 'a')` is `/a`; `joinPath('/a', 'b')` is `/a/b`. */
export function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

/** The directory holding `path`: `/a/b` → `/a`, `/a` → `/`. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The last component of `path`: `/a/b` → `b`. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `ancestor` or lies below it (`/a/b` is below `/a`; `/ab` is not). */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === '/') return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
