import { expect } from 'chai';
import {
  InvalidInputError,
  UnnamablePathError,
  checkNamespacePath,
  checkRegistryName,
  maxPathLength,
  registryNameProblem,
} from '../src/index.js';

const notAllowedInPaths = 'is not allowed; paths use letters, digits, ".", "_", "-" and "/"';
const notAllowedInImages = 'is not allowed; image names use a-z, 0-9, ".", "_" and "-"';
const upperCase = 'is upper case; image names are lower case only';
const starts = 'starts a path component; components must start with a letter or digit';
const ends = 'ends a path component; components must end with a letter or digit';
const mixed = 'separators are ".", "_", "__" or a run of "-", not mixed';

/** Paths the forge refuses outright, and what it says (after `path: `). */
const forgeRefuses: readonly (readonly [path: string, message: string])[] = [
  ['', 'must not be empty'],
  ['a b', `"a b": U+0020 at position 2 ${notAllowedInPaths}`],
  ['team/a@b', `"team/a@b": "@" at position 7 ${notAllowedInPaths}`],
  ['café', `"café": "é" at position 4 ${notAllowedInPaths}`],
  // Positions count characters, not UTF-16 units: the emoji is one.
  ['😀/x y', `"😀/x y": "😀" at position 1 ${notAllowedInPaths}`],
  ['a\u0001b', `"a\u0001b": U+0001 at position 2 ${notAllowedInPaths}`],
  ['ab\u007f', `"ab\u007f": U+007F at position 3 ${notAllowedInPaths}`],
  ['a\tb', `"a\tb": U+0009 at position 2 ${notAllowedInPaths}`],
  // Invisible outside ASCII too: a C1 control, a zero-width space, a combining accent.
  ['a\u0085b', `"a\u0085b": U+0085 at position 2 ${notAllowedInPaths}`],
  ['a\u200bb', `"a\u200bb": U+200B at position 2 ${notAllowedInPaths}`],
  ['ne\u0301', `"ne\u0301": U+0301 at position 3 ${notAllowedInPaths}`],
  ['a\\b', `"a\\b": "\\" at position 2 ${notAllowedInPaths}`],
  ['a:b', `"a:b": ":" at position 2 ${notAllowedInPaths}`],
  ['a%b', `"a%b": "%" at position 2 ${notAllowedInPaths}`],
  ['a//b', '"a//b" has an empty component at position 3'],
  ['/a', '"/a" has an empty component at position 1'],
  ['a/', '"a/" ends with "/"'],
  ['a/../b', '"a/../b" has a ".." component'],
  ['a/./b', '"a/./b" has a "." component'],
  ['..', '".." has a ".." component'],
  ['a'.repeat(maxPathLength + 1), `is ${maxPathLength + 1} characters; at most ${maxPathLength}`],
];

/** Paths a forge takes but the registry cannot name: the problem, exactly. */
const onlyRegistryRefuses: readonly (readonly [path: string, problem: string])[] = [
  ['Team', `"T" at position 1 ${upperCase}`],
  ['team/App', `"A" at position 6 ${upperCase}`],
  ['team/aPP', `"P" at position 7 ${upperCase}`],
  ['_team', `"_" at position 1 ${starts}`],
  ['.team', `"." at position 1 ${starts}`],
  ['-team', `"-" at position 1 ${starts}`],
  ['team/-app', `"-" at position 6 ${starts}`],
  ['team-', `"-" at position 5 ${ends}`],
  ['team/app_', `"_" at position 9 ${ends}`],
  ['team/app.', `"." at position 9 ${ends}`],
  ['a._b', `"_" at position 3 follows "."; ${mixed}`],
  ['a_.b', `"." at position 3 follows "_"; ${mixed}`],
  ['a..b', `"." at position 3 follows "."; ${mixed}`],
  ['a___b', `"_" at position 4 follows "__"; ${mixed}`],
  ['a--.b', `"." at position 4 follows "--"; ${mixed}`],
  ['a-_b', `"_" at position 3 follows "-"; ${mixed}`],
  ['a__-b', `"-" at position 4 follows "__"; ${mixed}`],
  ['ok/x.y/a._b', `"_" at position 10 follows "."; ${mixed}`],
  // The first offending character, whichever rule it breaks.
  ['-App', `"-" at position 1 ${starts}`],
  ['a.B', `"B" at position 3 ${upperCase}`],
  ['a._B', `"_" at position 3 follows "."; ${mixed}`],
  ['B-', `"B" at position 1 ${upperCase}`],
];

/** What the forge refuses too, said in the registry's terms. */
const bothRefuse: readonly (readonly [path: string, problem: string])[] = [
  ['a b', `U+0020 at position 2 ${notAllowedInImages}`],
  ['a@B', `"@" at position 2 ${notAllowedInImages}`],
  ['café', `"é" at position 4 ${notAllowedInImages}`],
  ['a\u0000', `U+0000 at position 2 ${notAllowedInImages}`],
  ['a\u0085', `U+0085 at position 2 ${notAllowedInImages}`],
  ['', 'it is empty'],
  ['a//b', 'the path component at position 3 is empty'],
  ['/a', 'the path component at position 1 is empty'],
  ['a/', 'it ends with "/"'],
  ['a/../b', `"." at position 3 ${starts}`],
  [
    'a'.repeat(maxPathLength + 1),
    `it is ${maxPathLength + 1} characters; image names are at most 255`,
  ],
];

const good = [
  'a',
  '0',
  'a/b-c',
  'a__b',
  'a---b',
  'a.b',
  'a_b.c-d',
  'group/sub/project',
  'x1/2y/z-9',
  'a'.repeat(maxPathLength),
];

function namespacePathError(path: string): InvalidInputError {
  try {
    checkNamespacePath(path);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  expect.fail(`${JSON.stringify(path)} was taken`);
}

describe('checkNamespacePath', () => {
  for (const [path, message] of forgeRefuses) {
    it(`refuses ${JSON.stringify(path.slice(0, 20))}: ${message.slice(0, 60)}`, () => {
      const error = namespacePathError(path);
      expect(error.code).to.equal('INVALID');
      expect(error.field).to.equal('path');
      expect(error.message).to.equal(`path: ${message}`);
    });
  }

  it('takes what only the registry refuses: upper case, separators at the edges, mixed runs', () => {
    for (const [path] of onlyRegistryRefuses) {
      expect(() => {
        checkNamespacePath(path);
      }, path).not.to.throw();
    }
  });

  it('takes good paths', () => {
    for (const path of good) {
      expect(() => {
        checkNamespacePath(path);
      }, path).not.to.throw();
    }
  });
});

describe('registryNameProblem and checkRegistryName', () => {
  for (const [path, problem] of [...onlyRegistryRefuses, ...bothRefuse]) {
    it(`names the problem of ${JSON.stringify(path.slice(0, 20))}: ${problem.slice(0, 50)}`, () => {
      expect(registryNameProblem(path)).to.equal(problem);
      let thrown: unknown;
      try {
        checkRegistryName(path);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(UnnamablePathError);
      const error = thrown as UnnamablePathError;
      expect(error.code).to.equal('INVALID');
      expect(error.field).to.equal('path');
      expect(error.path).to.equal(path);
      expect(error.reason).to.equal(problem);
      expect(error.message).to.equal(`path: "${path}" cannot name container images: ${problem}`);
    });
  }

  it('finds no problem with good paths', () => {
    for (const path of good) {
      expect(registryNameProblem(path), path).to.equal(undefined);
      expect(() => {
        checkRegistryName(path);
      }, path).not.to.throw();
    }
  });
});
