import { expect } from 'chai';
import {
  InvalidPathError,
  assertValidPath,
  baseName,
  isValidPath,
  isValidPathComponent,
  isWithin,
  joinPath,
  parentPath,
  pathProblem,
} from '../src/index.js';

describe('path rules', () => {
  const valid = [
    '/a',
    '/a.a',
    '/.abc',
    '/a--b',
    '/Abc/Cba',
    '/a_b/c-d/e.f',
    '/...',
    '/0',
    '/a/b/c/d',
  ];
  const invalid: [unknown, RegExp][] = [
    ['', /empty/],
    ['/', /root/],
    ['abc', /absolute/],
    ['//bcd', /empty component/],
    ['/abc_123/', /end with/],
    ['/a//b', /empty component/],
    ['/a/../b', /"\.\."/],
    ['/a/./b', /"\."/],
    ['/..', /"\.\."/],
    ['/a b', /" "/],
    ['/a~b', /"~"/],
    ['/ä', /"ä"/],
    ['/a\\b', /"\\\\"/],
    ['/a:b', /":"/],
    ['/a\u0000b', /\\u0000/],
    [42, /string/],
    [undefined, /string/],
  ];

  for (const path of valid) {
    it(`accepts ${path}`, () => {
      expect(pathProblem(path)).to.equal(undefined);
      expect(isValidPath(path)).to.equal(true);
      expect(() => {
        assertValidPath(path);
      }).not.to.throw();
    });
  }

  for (const [path, reason] of invalid) {
    it(`rejects ${JSON.stringify(path)} saying why`, () => {
      expect(pathProblem(path)).to.match(reason);
      expect(isValidPath(path)).to.equal(false);
      expect(() => {
        assertValidPath(path);
      })
        .to.throw(InvalidPathError)
        .with.property('reason')
        .that.matches(reason);
    });
  }

  it('accepts the root only where allowed', () => {
    expect(isValidPath('/', true)).to.equal(true);
    expect(isValidPath('/', false)).to.equal(false);
  });

  it('classifies single components', () => {
    expect(isValidPathComponent('data')).to.equal(true);
    expect(isValidPathComponent('.hidden')).to.equal(true);
    expect(isValidPathComponent('..')).to.equal(false);
    expect(isValidPathComponent('data~partial')).to.equal(false);
    expect(isValidPathComponent('')).to.equal(false);
  });

  it('joins, splits and compares paths', () => {
    expect(joinPath('/', 'a')).to.equal('/a');
    expect(joinPath('/a', 'b')).to.equal('/a/b');
    expect(parentPath('/a/b')).to.equal('/a');
    expect(parentPath('/a')).to.equal('/');
    expect(baseName('/a/b')).to.equal('b');
    expect(isWithin('/a/b', '/a')).to.equal(true);
    expect(isWithin('/a', '/a')).to.equal(true);
    expect(isWithin('/ab', '/a')).to.equal(false);
    expect(isWithin('/anything', '/')).to.equal(true);
  });
});
