import { expect } from 'chai';
import { parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it('reads Go durations into milliseconds', () => {
    const cases: [string, number][] = [
      ['168h', 168 * 3_600_000],
      ['24h', 86_400_000],
      ['1h30m', 5_400_000],
      ['2h45m30.5s', 9_930_500],
      ['10s', 10_000],
      ['1.5s', 1500],
      ['.5s', 500],
      ['5.s', 5000],
      ['500ms', 500],
      ['1500us', 1.5],
      ['1500µs', 1.5],
      ['1500μs', 1.5],
      ['2000000ns', 2],
      ['1m1m', 120_000],
      ['0', 0],
      ['+0', 0],
      ['-0', 0],
      ['0s', 0],
      ['-0s', 0],
      ['-1.5h', -5_400_000],
      ['+2m', 120_000],
    ];
    for (const [text, milliseconds] of cases) {
      expect(parseDuration(text), text).to.equal(milliseconds);
    }
    expect(Object.is(parseDuration('-0s'), 0)).to.equal(true);
  });

  it('refuses what Go refuses', () => {
    const cases: [string, string][] = [
      ['', 'it is empty'],
      ['-', 'it is empty'],
      ['10', 'a number must be followed by a unit'],
      ['1h30', 'a number must be followed by a unit'],
      ['h', '"h" has no number before it'],
      ['.s', '"s" has no number before it'],
      ['1d', 'unknown unit "d"'],
      ['10 s', 'unknown unit " s"'],
      ['10S', 'unknown unit "S"'],
      ['1e3s', 'unknown unit "e"'],
      ['1.2.3s', 'a number must be followed by a unit'],
      ['3000000h', 'longer than Go allows'],
    ];
    for (const [text, reason] of cases) {
      expect(() => parseDuration(text), text).to.throw(RangeError, reason);
    }
    expect(() => parseDuration('1x')).to.throw('invalid duration "1x": unknown unit "x"');
  });
});
