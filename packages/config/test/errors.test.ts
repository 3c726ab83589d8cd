import { expect } from 'chai';
import { ConfigError, isConfigError } from '../src/index.js';

describe('ConfigError', () => {
  it('names the source, the key, the value as JSON and what was expected', () => {
    const error = new ConfigError({
      key: 'http.addr',
      value: 'localhost',
      expected: 'host:port or :port',
      source: 'config.yml',
    });
    expect(error.message).to.equal(
      'config.yml: http.addr: "localhost" is not valid; expected host:port or :port',
    );
    expect(error).to.include({
      name: 'ConfigError',
      code: 'CONFIG_INVALID',
      key: 'http.addr',
      value: 'localhost',
      expected: 'host:port or :port',
      source: 'config.yml',
      detail: '"localhost" is not valid; expected host:port or :port',
    });
  });

  it('says "missing" for an absent value, and leaves out an unknown source or key', () => {
    expect(
      new ConfigError({ key: 'auth.token.realm', value: undefined, expected: 'a string' }).message,
    ).to.equal('auth.token.realm: missing; expected a string');
    expect(new ConfigError({ key: '', value: null, expected: 'valid YAML' }).message).to.equal(
      'missing; expected valid YAML',
    );
  });

  it('shortens long values and prints what JSON cannot', () => {
    const long = new ConfigError({
      key: 'storage',
      value: { filesystem: { rootdirectory: 'x'.repeat(200) } },
      expected: 'y',
    });
    expect(long.message).to.match(/^storage: \{"filesystem":\{"rootdirectory":"x+… is not valid/);
    expect(long.detail.indexOf('…')).to.equal(79);
    expect(new ConfigError({ key: 'a', value: Number.NaN, expected: 'b' }).message).to.equal(
      'a: NaN is not valid; expected b',
    );
    expect(new ConfigError({ key: 'a', value: -Infinity, expected: 'b' }).message).to.contain(
      '-Infinity is not valid',
    );
  });

  it('takes a detail of its own, keeps the cause, and can be re-sourced', () => {
    const cause = new Error('root');
    const error = new ConfigError({
      key: 'proxy',
      value: {},
      expected: 'no proxy section',
      detail: 'not here',
      cause,
    });
    expect(error.message).to.equal('proxy: not here');
    const moved = error.withSource('environment REGISTRY_PROXY');
    expect(moved.message).to.equal('environment REGISTRY_PROXY: proxy: not here');
    expect(moved).to.include({ key: 'proxy', expected: 'no proxy section', cause });
  });

  it('is recognised across copies of the package by its brand', () => {
    expect(isConfigError(new ConfigError({ key: 'a', value: 1, expected: 'b' }))).to.equal(true);
    const foreign = { [Symbol.for('@lading/config/error')]: true };
    expect(isConfigError(foreign)).to.equal(true);
    expect(isConfigError(new Error('x'))).to.equal(false);
    expect(isConfigError(null)).to.equal(false);
    expect(isConfigError('config')).to.equal(false);
  });
});
