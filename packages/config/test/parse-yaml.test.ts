import { expect } from 'chai';
import { parseYaml } from '../src/parse-yaml.js';
import { failure, parse, parseFailure } from './helpers.js';

describe('parseYaml', () => {
  it("resolves scalars as distribution's yaml.v2 does (YAML 1.1)", () => {
    const { value } = parseYaml(
      'a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 2001-12-14\nf: 12:30\ng: 0.1\nh: ~\non: 1\n',
    );
    expect(value).to.deep.equal({
      a: true,
      b: false,
      c: 493,
      d: 31,
      e: '2001-12-14',
      f: '12:30',
      g: 0.1,
      h: null,
      on: 1,
    });
  });

  it('drops tags yaml.v2 does not know for plain values, with a warning', () => {
    const { value, warnings } = parseYaml('a: !!binary aGVsbG8=\n');
    expect(value).to.deep.equal({ a: 'aGVsbG8=' });
    expect(warnings).to.deep.equal([
      'Unresolved tag: tag:yaml.org,2002:binary at line 1, column 4',
    ]);
  });

  it('merges << keys and copies aliased nodes apart', () => {
    const { value } = parseYaml('base: &b {x: [1]}\nc:\n  <<: *b\n  y: 2\nd: *b\n');
    expect(value).to.deep.equal({ base: { x: [1] }, c: { x: [1], y: 2 }, d: { x: [1] } });
    const tree = value as Record<string, { x: number[] }>;
    expect(tree.base).not.to.equal(tree.d);
    expect(tree.base!.x).not.to.equal(tree.d!.x);
  });

  it('keeps the last of duplicate keys, as yaml.v2 does, with a warning', () => {
    const { value, warnings } = parseYaml('a: 1\na: 2\n');
    expect(value).to.deep.equal({ a: 2 });
    expect(warnings).to.deep.equal([
      'Map keys must be unique at line 2, column 1; the last value is used, as distribution does',
    ]);
  });

  it('refuses invalid YAML, naming the first real error', () => {
    const error = failure(() => parseYaml('a: 1\na: 2\nb: [1\n'));
    expect(error.key).to.equal('');
    expect(error.expected).to.equal('valid YAML');
    expect(error.message).to.match(/^not valid YAML: Flow sequence in block collection/);
    expect(failure(() => parseYaml('a: 1\n---\nb: 2\n')).message).to.contain('multiple documents');
  });

  it('refuses an alias inside the node it names', () => {
    expect(failure(() => parseYaml('a: &x\n  b: *x\n')).message).to.equal(
      'not valid YAML: an alias refers to a node that contains it',
    );
  });

  it('makes parseConfig name the file', () => {
    expect(parseFailure('version: [\n').message).to.match(/^config\.yml: not valid YAML: /);
    expect(parseFailure('- version\n').message).to.equal(
      'config.yml: the document is not a mapping; expected a mapping of configuration sections',
    );
    expect(parseFailure('').message).to.equal('config.yml: version: missing; expected 0.1');
    const repeated = parse('version: 0.1\nstorage: {inmemory: }\nhttp: {addr: ":1"}\nhttp: {}\n');
    expect(repeated.config.http.addr).to.equal(':5000');
    expect(repeated.warnings).to.have.length(1);
  });
});
