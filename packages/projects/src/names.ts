import { InvalidInputError, UnnamablePathError } from './errors.js';

/** distribution's limit on a whole repository name, which starts with the project path. */
export const maxPathLength = 255;

const forgeCharacter = /^[A-Za-z0-9._-]$/;
const registryAlphanumeric = /^[a-z0-9]$/;
const separators = new Set(['.', '_', '__']);

/**
 * Checks a group or project path as the forge takes it: slash-separated
 * components of letters, digits, `.`, `_` and `-`. Throws `InvalidInputError`
 * saying which character is wrong. Upper case, a leading `_` or a trailing `-`
 * pass here: a forge allows them, only the registry cannot take them.
 */
export function checkNamespacePath(path: string): void {
  if (path === '') throw new InvalidInputError('path', 'must not be empty');
  if (path.length > maxPathLength) {
    throw new InvalidInputError('path', `is ${path.length} characters; at most ${maxPathLength}`);
  }
  let position = 0;
  for (const component of path.split('/')) {
    if (component === '') {
      // Past the end there is no character to point at: a trailing "/" is the mistake.
      throw new InvalidInputError(
        'path',
        position >= Array.from(path).length
          ? `"${path}" ends with "/"`
          : `"${path}" has an empty component at position ${position + 1}`,
      );
    }
    if (component === '.' || component === '..') {
      throw new InvalidInputError('path', `"${path}" has a "${component}" component`);
    }
    for (const [index, character] of Array.from(component).entries()) {
      if (!forgeCharacter.test(character)) {
        throw new InvalidInputError(
          'path',
          `"${path}": ${describe(character)} at position ${position + index + 1} is not allowed; paths use letters, digits, ".", "_", "-" and "/"`,
        );
      }
    }
    position += Array.from(component).length + 1;
  }
}

/**
 * Why `path` cannot be the start of a repository name (distribution's grammar:
 * components of `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`), or
 * `undefined` when it can. Names the first offending character and its
 * position (1-based), and why clients refuse it.
 */
export function registryNameProblem(path: string): string | undefined {
  const length = Array.from(path).length;
  if (length === 0) return 'it is empty';
  if (length > maxPathLength) {
    return `it is ${length} characters; image names are at most ${maxPathLength}`;
  }
  let offset = 0;
  for (const component of path.split('/')) {
    if (component === '') {
      return offset >= length
        ? 'it ends with "/"'
        : `the path component at position ${offset + 1} is empty`;
    }
    const problem = componentProblem(component);
    if (problem !== undefined) {
      return `${describe(problem.character)} at position ${offset + problem.index + 1} ${problem.why}`;
    }
    offset += Array.from(component).length + 1;
  }
  return undefined;
}

/** Throws `UnnamablePathError` when the registry cannot take `path`. */
export function checkRegistryName(path: string): void {
  const problem = registryNameProblem(path);
  if (problem !== undefined) throw new UnnamablePathError(path, problem);
}

interface ComponentProblem {
  readonly character: string;
  readonly index: number;
  readonly why: string;
}

/**
 * The first offending character of a non-empty component. When one character
 * breaks two rules (`A` starting a component), what is wrong with the
 * character itself is the more useful thing to say.
 */
function componentProblem(component: string): ComponentProblem | undefined {
  const characters = Array.from(component);
  const found = [
    characterProblem(characters),
    edgeProblem(characters),
    separatorProblem(characters),
  ].filter((problem) => problem !== undefined);
  return found.reduce<ComponentProblem | undefined>(
    (first, problem) => (first === undefined || problem.index < first.index ? problem : first),
    undefined,
  );
}

/** The first character no image name may hold anywhere. */
function characterProblem(characters: readonly string[]): ComponentProblem | undefined {
  for (const [index, character] of characters.entries()) {
    if (/[A-Z]/.test(character)) {
      return { character, index, why: 'is upper case; image names are lower case only' };
    }
    if (!registryAlphanumeric.test(character) && !'._-'.includes(character)) {
      return {
        character,
        index,
        why: 'is not allowed; image names use a-z, 0-9, ".", "_" and "-"',
      };
    }
  }
  return undefined;
}

/** A component must start and end with a letter or digit. */
function edgeProblem(characters: readonly string[]): ComponentProblem | undefined {
  const first = characters[0] ?? '';
  if (!registryAlphanumeric.test(first)) {
    return {
      character: first,
      index: 0,
      why: 'starts a path component; components must start with a letter or digit',
    };
  }
  const lastIndex = characters.length - 1;
  const last = characters[lastIndex] ?? '';
  if (!registryAlphanumeric.test(last)) {
    return {
      character: last,
      index: lastIndex,
      why: 'ends a path component; components must end with a letter or digit',
    };
  }
  return undefined;
}

/** Between alphanumerics: exactly `.`, `_`, `__`, or one or more `-`. */
function separatorProblem(characters: readonly string[]): ComponentProblem | undefined {
  let start = -1;
  for (const [index, character] of characters.entries()) {
    // Upper case ends a run too, so "a._B" is about the "_"; the "B" has a problem of its own.
    const isSeparator = !/^[A-Za-z0-9]$/.test(character);
    if (isSeparator && start < 0) start = index;
    if (isSeparator || start < 0) continue;
    const run = characters.slice(start, index).join('');
    if (!separators.has(run) && !/^-+$/.test(run)) {
      const badIndex = start + validPrefixLength(run);
      return {
        character: characters[badIndex] ?? '',
        index: badIndex,
        why: `follows "${run.slice(0, badIndex - start)}"; separators are ".", "_", "__" or a run of "-", not mixed`,
      };
    }
    start = -1;
  }
  return undefined;
}

/** How much of a separator run is a valid separator on its own: `-…-`, `__`, or one character. */
function validPrefixLength(run: string): number {
  if (run.startsWith('-')) return /^-+/.exec(run)?.[0].length ?? 1;
  return run.startsWith('__') ? 2 : 1;
}

/**
 * A character as a message can show it: quoted, unless it would be invisible
 * or mistaken for another (controls, format characters such as U+200B, spaces
 * of any kind, combining marks), which are shown by code point.
 */
function describe(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return /^[\p{C}\p{Z}\p{M}]$/u.test(character)
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${character}"`;
}
