import { expect } from 'chai';
import { DriverParameters, InvalidDriverParameterError } from '../src/index.js';

function failure(read: () => unknown): InvalidDriverParameterError {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidDriverParameterError);
    return error as InvalidDriverParameterError;
  }
  throw new Error('expected an InvalidDriverParameterError');
}

describe('DriverParameters', () => {
  it('reads strings, with defaults and requirements', () => {
    const parameters = new DriverParameters({ rootdirectory: '/srv', empty: '', missing: null });
    expect(parameters.string('rootdirectory', '/var/lib/registry')).to.equal('/srv');
    expect(parameters.string('other', 'fallback')).to.equal('fallback');
    expect(parameters.optionalString('missing')).to.equal(undefined);
    expect(failure(() => parameters.requiredString('empty')).message).to.equal(
      'invalid parameter "empty": is required',
    );
    expect(failure(() => new DriverParameters({ a: 1 }).string('a', '')).message).to.equal(
      'invalid parameter "a": expected a string, got number 1',
    );
  });

  it('reads integers from numbers and strings, within bounds', () => {
    const parameters = new DriverParameters({ a: 100, b: ' 30 ', c: 'ten', d: 1.5, e: 10 });
    expect(parameters.integer('a', 1)).to.equal(100);
    expect(parameters.integer('b', 1, { min: 25 })).to.equal(30);
    expect(parameters.integer('absent', 7)).to.equal(7);
    expect(failure(() => parameters.integer('c', 1)).message).to.equal(
      'invalid parameter "c": expected an integer, got "ten"',
    );
    expect(failure(() => parameters.integer('d', 1)).key).to.equal('d');
    expect(failure(() => parameters.integer('e', 1, { min: 25 })).message).to.contain('≥ 25');
    expect(failure(() => parameters.integer('a', 1, { max: 50 })).message).to.contain('≤ 50');
  });

  it('reads booleans from booleans and strings', () => {
    const parameters = new DriverParameters({ a: true, b: 'FALSE', c: 'yes', d: [1] });
    expect(parameters.boolean('a', false)).to.equal(true);
    expect(parameters.boolean('b', true)).to.equal(false);
    expect(parameters.boolean('z', true)).to.equal(true);
    expect(failure(() => parameters.boolean('c', true)).message).to.contain('true or false');
    expect(failure(() => parameters.boolean('d', true)).message).to.contain('got a list');
  });

  it('rejects keys nobody read, listing the known ones', () => {
    const parameters = new DriverParameters({ rootdirectory: '/x', rootdir: '/y' });
    parameters.string('rootdirectory', '');
    parameters.integer('maxthreads', 100);
    expect(
      failure(() => {
        parameters.rejectUnknownKeys();
      }).message,
    ).to.equal('invalid parameter "rootdir": unknown parameter (known: maxthreads, rootdirectory)');
    const none = new DriverParameters({ x: 1 });
    expect(
      failure(() => {
        none.rejectUnknownKeys();
      }).message,
    ).to.contain('known: none');
  });

  it('accepts no parameters at all but not a non-mapping', () => {
    expect(() => {
      new DriverParameters(undefined).rejectUnknownKeys();
    }).not.to.throw();
    expect(() => {
      new DriverParameters(null).rejectUnknownKeys();
    }).not.to.throw();
    expect(failure(() => new DriverParameters('x')).message).to.contain('expected a mapping');
    expect(failure(() => new DriverParameters([])).message).to.contain('got a list');
    expect(failure(() => new DriverParameters({ a: { b: 1 } }).string('a', '')).message).to.contain(
      'got a mapping',
    );
    expect(failure(() => new DriverParameters({ a: () => 1 }).string('a', '')).message).to.contain(
      'got function',
    );
  });

  it('reads Go durations into milliseconds, naming the key when one is not', () => {
    const reader = new DriverParameters({
      retry_delay: '100ms',
      poll: '1m30s',
      tiny: '1500us',
      plain: 250,
      text: '2.5s',
      bad: '10 seconds',
    });
    expect(reader.durationMs('retry_delay', 0)).to.equal(100);
    expect(reader.durationMs('poll', 0)).to.equal(90_000);
    expect(reader.durationMs('tiny', 0)).to.equal(1.5);
    expect(reader.durationMs('plain', 0)).to.equal(250);
    expect(reader.durationMs('text', 0)).to.equal(2500);
    expect(reader.durationMs('absent', 42)).to.equal(42);
    expect(() => reader.durationMs('bad', 0)).to.throw(
      'invalid parameter "bad": expected a duration',
    );
  });

  it('reads a nested block, naming its keys with the block in errors', () => {
    const reader = new DriverParameters({ credentials: { type: 'client_secret', clientid: 7 } });
    const credentials = reader.optionalChild('credentials');
    expect(credentials?.string('type', '')).to.equal('client_secret');
    expect(() => credentials?.optionalString('clientid')).to.throw(
      'invalid parameter "credentials.clientid": expected a string, got number 7',
    );
    expect(() => credentials?.rejectUnknownKeys()).to.not.throw();
    expect(reader.optionalChild('absent')).to.equal(undefined);
    expect(() => new DriverParameters({ credentials: 'x' }).optionalChild('credentials')).to.throw(
      'invalid parameter "credentials": expected a mapping, got "x"',
    );
    const extra = new DriverParameters({ credentials: { typo: 1 } }).optionalChild('credentials');
    expect(() => extra?.rejectUnknownKeys()).to.throw('"credentials.typo": unknown parameter');
  });
});
