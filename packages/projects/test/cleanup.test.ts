import { expect } from 'chai';
import {
  InvalidInputError,
  parseAge,
  tagsToDelete,
  type CleanupRules,
  type TagDetails,
} from '../src/index.js';

const now = new Date('2026-03-01T12:00:00Z');
const hour = 3600_000;
const day = 24 * hour;

/** A tag created `hoursAgo` before `now`, or with no creation time at all. */
function tag(name: string, hoursAgo?: number): TagDetails {
  return {
    name,
    digest: `sha256:${name}`,
    size: 1,
    ...(hoursAgo === undefined ? {} : { createdAt: new Date(now.getTime() - hoursAgo * hour) }),
  };
}

function deleted(tags: readonly TagDetails[], rules: CleanupRules): string[] {
  return tagsToDelete(tags, rules, now).map((item) => item.name);
}

/** The InvalidInputError `run` throws. */
function refusal(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  expect.fail('expected an InvalidInputError');
}

describe('tagsToDelete', () => {
  it('never deletes latest, however old and whatever matches it', () => {
    const tags = [tag('latest', 1000), tag('v1', 999), tag('v2', 1)];
    expect(deleted(tags, { nameRegexDelete: '.*' })).to.deep.equal(['v2', 'v1']);
    expect(deleted(tags, { nameRegexDelete: 'latest' })).to.deep.equal([]);
    expect(deleted(tags, { nameRegexDelete: '.*', olderThanMs: 10 * hour })).to.deep.equal(['v1']);
  });

  it('lets name_regex_keep win over name_regex_delete', () => {
    const tags = [tag('v1.0', 30), tag('v1.1', 20), tag('dev-1', 10), tag('dev-2', 5)];
    expect(deleted(tags, { nameRegexDelete: '.*', nameRegexKeep: 'v.*' })).to.deep.equal([
      'dev-2',
      'dev-1',
    ]);
    expect(deleted(tags, { nameRegexDelete: 'dev-.*', nameRegexKeep: 'dev-2' })).to.deep.equal([
      'dev-1',
    ]);
  });

  it('keeps the newest keep_n by creation time, not by name', () => {
    // Names sort the other way round from creation, so a name sort would keep the wrong ones.
    const tags = [tag('a', 1), tag('b', 2), tag('c', 3), tag('d', 4)];
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 2 })).to.deep.equal(['c', 'd']);
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 0 })).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 10 })).to.deep.equal([]);
  });

  it('counts keep_n among the tags the patterns select, as GitLab does', () => {
    // GitLab drops latest and filters by name before keeping the newest N.
    const tags = [
      tag('latest', 0),
      tag('v2', 1),
      tag('dev-3', 2),
      tag('dev-2', 3),
      tag('release', 4),
      tag('dev-1', 5),
    ];
    expect(deleted(tags, { nameRegexDelete: 'dev-.*', keepN: 1 })).to.deep.equal([
      'dev-2',
      'dev-1',
    ]);
    expect(
      deleted(tags, { nameRegexDelete: '.*', nameRegexKeep: 'v.*|release', keepN: 2 }),
    ).to.deep.equal(['dev-1']);
  });

  it('deletes only tags older than older_than', () => {
    const tags = [tag('fresh', 1), tag('day-old', 24), tag('week-old', 24 * 7)];
    expect(deleted(tags, { nameRegexDelete: '.*', olderThanMs: 2 * day })).to.deep.equal([
      'week-old',
    ]);
    expect(deleted(tags, { nameRegexDelete: '.*', olderThanMs: 2 * hour })).to.deep.equal([
      'day-old',
      'week-old',
    ]);
    // Exactly as old as the limit is not older than it.
    expect(deleted([tag('edge', 24)], { nameRegexDelete: '.*', olderThanMs: day })).to.deep.equal(
      [],
    );
  });

  it('combines keep_n and older_than: both must let a tag go', () => {
    const tags = [tag('t1', 1), tag('t2', 50), tag('t3', 100), tag('t4', 150)];
    const olderThanMs = 3 * day;
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 3, olderThanMs })).to.deep.equal(['t4']);
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 1, olderThanMs })).to.deep.equal([
      't3',
      't4',
    ]);
  });

  it('counts a tag without a creation time as the oldest', () => {
    const tags = [tag('undated'), tag('new', 1), tag('old', 1000)];
    expect(deleted(tags, { nameRegexDelete: '.*', olderThanMs: day })).to.deep.equal([
      'old',
      'undated',
    ]);
    expect(deleted(tags, { nameRegexDelete: '.*', keepN: 2 })).to.deep.equal(['undated']);
  });

  it('matches whole tag names only', () => {
    const tags = [tag('v1', 3), tag('v10', 2), tag('my-v1', 1)];
    expect(deleted(tags, { nameRegexDelete: 'v1' })).to.deep.equal(['v1']);
    expect(deleted(tags, { nameRegexDelete: 'v1.*' })).to.deep.equal(['v10', 'v1']);
    expect(deleted(tags, { nameRegexDelete: 'v1|v10' })).to.deep.equal(['v10', 'v1']);
    expect(deleted(tags, { nameRegexDelete: '.*', nameRegexKeep: 'v1' })).to.deep.equal([
      'my-v1',
      'v10',
    ]);
  });

  it('answers newest first, ties by name, and leaves its input alone', () => {
    const tags = [tag('b', 5), tag('a', 5), tag('c', 1), tag('undated')];
    const copy = [...tags];
    expect(deleted(tags, { nameRegexDelete: '.*' })).to.deep.equal(['c', 'a', 'b', 'undated']);
    expect(tags).to.deep.equal(copy);
  });

  it('deletes nothing from an empty repository', () => {
    expect(deleted([], { nameRegexDelete: '.*', keepN: 3 })).to.deep.equal([]);
  });

  describe('refuses patterns', () => {
    it('with what RE2 lacks (look-around, back-references), saying so', () => {
      for (const pattern of ['(?=a)a', '(a)\\1', 'a(?!b)']) {
        const error = refusal(() => tagsToDelete([], { nameRegexDelete: pattern }, now));
        expect(error.field, pattern).to.equal('name_regex_delete');
        expect(error.message, pattern).to.match(/not an RE2 regular expression/);
      }
      const keep = refusal(() =>
        tagsToDelete([], { nameRegexDelete: '.*', nameRegexKeep: '(?=x)' }, now),
      );
      expect(keep.field).to.equal('name_regex_keep');
    });

    for (const pattern of ['[', '(', 'a{2,1}', '*', 'a)|(?:b', 'x)|(?:.*']) {
      it(`that are no regular expression on their own: ${pattern}`, () => {
        const error = refusal(() => tagsToDelete([], { nameRegexDelete: pattern }, now));
        expect(error.field).to.equal('name_regex_delete');
        expect(error.message).to.match(/not an RE2 regular expression/);
      });
    }

    it('longer than 255 characters', () => {
      const error = refusal(() => tagsToDelete([], { nameRegexDelete: 'a'.repeat(256) }, now));
      expect(error.field).to.equal('name_regex_delete');
      expect(error.message).to.match(/255/);
      expect(
        deleted([tag('a'.repeat(255), 1)], { nameRegexDelete: 'a'.repeat(255) }),
      ).to.have.length(1);
    });
  });

  describe('matches in time linear in the tag', () => {
    // Each would backtrack for minutes in JavaScript's engine on a tag like this one.
    const adversarial = `${'a'.repeat(127)}!`;
    for (const pattern of ['(a+)+', '(\\w*)*', '(a|a)+', '((a)+)+', '(?:(a+))+', '(a|aa)+']) {
      // RE2 answers in microseconds; a backtracking engine would outlast mocha's timeout.
      it(`${pattern}, on a 128-character tag`, () => {
        expect(
          deleted([tag(adversarial, 1), tag('aaaa', 2)], { nameRegexDelete: pattern }),
        ).to.deep.equal(['aaaa']);
      });
    }
  });

  describe('accepts patterns', () => {
    const safe: [pattern: string, matches: string, misses: string][] = [
      ['v(\\d+)\\.(\\d+)', 'v1.20', 'v1.2.3'],
      ['(dev|feature)-.+', 'feature-x', 'fix-x'],
      ['(a|b)+', 'abba', 'abc'],
      ['[(a+)]+', 'a+a', 'b'],
      ['\\(a+\\)+', '(aa))', '(aa'],
      ['[a-z]+-\\d{1,3}', 'rc-12', 'rc-1234'],
      // The `\\]` does not end the class, so the `+` after it is in the class, not the group.
      ['([\\]+]x)+', ']x+x', 'x]'],
    ];
    for (const [pattern, matches, misses] of safe) {
      it(`matching whole names: ${pattern}`, () => {
        const tags = [tag(matches, 2), tag(misses, 1)];
        expect(deleted(tags, { nameRegexDelete: pattern })).to.deep.equal([matches]);
      });
    }
  });
});

describe('parseAge', () => {
  const ages: [text: string, ms: number][] = [
    ['1h', hour],
    ['7d', 7 * day],
    ['2w', 14 * day],
    ['1month', 30 * day],
    ['3months', 90 * day],
    ['30min', 30 * 60_000],
    ['5m', 5 * 60_000],
    ['1y', 365 * day],
    ['0d', 0],
    [' 14d ', 14 * day],
    ['7 d', 7 * day],
  ];
  for (const [text, ms] of ages) {
    it(`reads "${text}"`, () => {
      expect(parseAge('older_than', text)).to.equal(ms);
    });
  }

  for (const text of ['7', 'd', '1 fortnight', '-1d', '1.5d', '', '7dd', 'd7', '1 month ago']) {
    it(`refuses "${text}", naming the field`, () => {
      const error = refusal(() => parseAge('older_than', text));
      expect(error.field).to.equal('older_than');
      expect(error.message).to.include(`"${text}"`);
    });
  }
});
