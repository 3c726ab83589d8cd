import { expect } from 'chai';
import {
  BaseStorageDriver,
  InvalidOffsetError,
  InvalidPathError,
  PathNotFoundError,
  StorageDriverError,
  type StorageOperation,
} from '../src/index.js';
import { RecordingBackend } from './fake-backend.js';

async function rejection(promise: Promise<unknown>): Promise<StorageDriverError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(StorageDriverError);
    return error as StorageDriverError;
  }
  throw new Error('expected a rejection');
}

describe('BaseStorageDriver', () => {
  let backend: RecordingBackend;
  let driver: BaseStorageDriver;
  let operations: StorageOperation[];

  beforeEach(() => {
    backend = new RecordingBackend();
    operations = [];
    driver = new BaseStorageDriver(backend, { onOperation: (op) => operations.push(op) });
  });

  it('takes its name from the backend', () => {
    expect(driver.name).to.equal('recording');
  });

  const invalidCalls: [string, (d: BaseStorageDriver) => Promise<unknown>][] = [
    ['getContent', (d) => d.getContent('/a/../b')],
    ['putContent', (d) => d.putContent('a', Buffer.alloc(1))],
    ['reader', (d) => d.reader('/a/')],
    ['writer', (d) => d.writer('//a')],
    ['stat', (d) => d.stat('/a b')],
    ['list', (d) => d.list('')],
    ['move source', (d) => d.move('/a~', '/b')],
    ['move destination', (d) => d.move('/a', '/')],
    ['delete', (d) => d.delete('/')],
    ['redirectURL', (d) => d.redirectURL('GET', '/.')],
    ['walk', (d) => d.walk('x', () => undefined)],
  ];
  for (const [name, call] of invalidCalls) {
    it(`rejects an invalid path in ${name} before the backend is called`, async () => {
      const error = await rejection(call(driver));
      expect(error).to.be.instanceOf(InvalidPathError);
      expect(error.driverName).to.equal('recording');
      expect(error.message).to.match(/^recording: invalid path/);
      expect(backend.calls).to.deep.equal([]);
    });
  }

  it('lets the root through to stat, list and walk only', async () => {
    await driver.stat('/');
    await driver.list('/');
    await driver.walk('/', () => undefined);
    expect(backend.calls).to.deep.equal(['stat /', 'list /', 'list /']);
  });

  it('rejects bad offsets and lengths before the backend is called', async () => {
    for (const [offset, length] of [
      [-1, undefined],
      [1.5, undefined],
      [Number.NaN, undefined],
      [0, -1],
      [0, 2.5],
    ] as const) {
      const error = await rejection(driver.reader('/f', offset, length));
      expect(error).to.be.instanceOf(InvalidOffsetError);
      expect(error.path).to.equal('/f');
    }
    expect(backend.calls).to.deep.equal([]);
    await driver.reader('/f', 3, 4);
    await driver.reader('/f');
    expect(backend.calls).to.deep.equal(['reader /f 3 4', 'reader /f 0 undefined']);
  });

  it('stamps its name on errors the backend throws without one', async () => {
    backend.failWith = new PathNotFoundError('/missing');
    const error = await rejection(driver.getContent('/missing'));
    expect(error).to.be.instanceOf(PathNotFoundError);
    expect(error.message).to.equal('recording: path not found: /missing');
  });

  it('wraps foreign errors, keeping them as the cause', async () => {
    const cause = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    backend.failWith = cause;
    const error = await rejection(driver.delete('/x'));
    expect(error.code).to.equal('STORAGE_ERROR');
    expect(error.cause).to.equal(cause);
    expect(error.path).to.equal('/x');
    expect(error.message).to.equal('recording: EACCES: permission denied');
    backend.failWith = 'a string';
    expect((await rejection(driver.delete('/x'))).message).to.equal('recording: a string');
  });

  it('sorts listings', async () => {
    backend.listResult = ['/b', '/a-b', '/a', '/A'];
    expect(await driver.list('/')).to.deep.equal(['/A', '/a', '/a-b', '/b']);
  });

  it('answers no redirect when the backend has none', async () => {
    expect(await driver.redirectURL('GET', '/f')).to.equal(undefined);
  });

  it('asks the backend for redirects and walks when it has them', async () => {
    const visited: string[] = [];
    const withExtras = Object.assign(backend, {
      redirectURL: (method: string, path: string) => Promise.resolve(`http://x${path}?${method}`),
      walk: (path: string) => {
        visited.push(path);
        return Promise.resolve();
      },
    });
    const extra = new BaseStorageDriver(withExtras);
    expect(await extra.redirectURL('HEAD', '/f')).to.equal('http://x/f?HEAD');
    await extra.walk('/d', () => undefined);
    expect(visited).to.deep.equal(['/d']);
  });

  it('reports every call with its duration and outcome', async () => {
    await driver.putContent('/a', Buffer.from('xy'));
    backend.failWith = new PathNotFoundError('/b');
    await rejection(driver.getContent('/b'));
    expect(operations.map((op) => [op.method, op.path, op.error?.code])).to.deep.equal([
      ['putContent', '/a', undefined],
      ['getContent', '/b', 'PATH_NOT_FOUND'],
    ]);
    expect(operations.every((op) => op.driver === 'recording' && op.durationMs >= 0)).to.equal(
      true,
    );
  });

  it('passes every other call through unchanged', async () => {
    expect((await driver.getContent('/a')).toString()).to.equal('content');
    await driver.putContent('/a', Buffer.from('abc'));
    await driver.move('/a', '/b/c');
    await driver.delete('/b');
    await driver.writer('/w', true);
    await driver.writer('/w');
    expect(backend.calls).to.deep.equal([
      'getContent /a',
      'putContent /a 3',
      'move /a /b/c',
      'delete /b',
      'writer /w true',
      'writer /w false',
    ]);
  });
});
