import { expect } from 'chai';
import {
  DigestInvalidError,
  NameInvalidError,
  TagInvalidError,
  isRepositoryName,
  isTag,
  parseReference,
  validateRepositoryName,
  validateTag,
} from '../src/index.js';

describe('repository names', () => {
  const valid = [
    'a',
    'library/alpine',
    'a-b',
    'a--b',
    'a__b',
    'a_b',
    'a.b',
    '0',
    'group/sub/project/backend',
    'a'.repeat(255),
    'x9/y-z.w_v',
  ];
  for (const name of valid) {
    it(`accept ${name.length > 40 ? `${name.slice(0, 10)}… (${String(name.length)})` : name}`, () => {
      expect(() => {
        validateRepositoryName(name);
      }).not.to.throw();
      expect(isRepositoryName(name)).to.equal(true);
    });
  }

  const invalid: [string, RegExp][] = [
    ['', /must not be empty/],
    ['a'.repeat(256), /256 characters long; at most 255/],
    ['Library/alpine', /"Library" must be lowercase/],
    ['a b', /has " "/],
    ['a:b', /has ":"/],
    ['-a', /must start with a letter or digit/],
    ['_a', /must start with a letter or digit/],
    ['a-', /must end with a letter or digit/],
    ['a..b', /invalid separator/],
    ['a___b', /invalid separator/],
    ['a._b', /invalid separator/],
    ['/a', /empty path component/],
    ['a/', /empty path component/],
    ['a//b', /empty path component/],
  ];
  for (const [name, reason] of invalid) {
    it(`reject ${JSON.stringify(name.slice(0, 20))} saying why`, () => {
      try {
        validateRepositoryName(name);
        expect.fail('should throw');
      } catch (error) {
        expect(error).to.be.instanceOf(NameInvalidError);
        expect((error as NameInvalidError).reason).to.match(reason);
        expect((error as NameInvalidError).code).to.equal('NAME_INVALID');
        expect((error as Error).message).to.contain('invalid repository name');
      }
      expect(isRepositoryName(name)).to.equal(false);
    });
  }
});

describe('tags', () => {
  it('accept up to 128 word characters, dots and dashes, not leading . or -', () => {
    for (const tag of ['latest', 'v1.2.3', '_x', 'A-b_c.D', 'a'.repeat(128)]) {
      expect(isTag(tag), tag).to.equal(true);
      validateTag(tag);
    }
  });

  for (const [tag, reason] of [
    ['', /must not be empty/],
    ['a'.repeat(129), /129 characters long/],
    ['.hidden', /must not start/],
    ['-x', /must not start/],
    ['a/b', /only letters/],
    ['a:b', /only letters/],
  ] as const) {
    it(`reject ${JSON.stringify(tag.slice(0, 20))} saying why`, () => {
      expect(() => {
        validateTag(tag);
      })
        .to.throw(TagInvalidError)
        .with.property('reason')
        .that.matches(reason);
      expect(isTag(tag)).to.equal(false);
    });
  }
});

describe('references', () => {
  it('tell a tag from a digest', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(parseReference('latest')).to.deep.equal({ kind: 'tag', tag: 'latest' });
    expect(parseReference(digest)).to.deep.equal({ kind: 'digest', digest });
    expect(() => parseReference('sha256:abc')).to.throw(DigestInvalidError);
    expect(() => parseReference('bad/tag')).to.throw(TagInvalidError);
  });
});
