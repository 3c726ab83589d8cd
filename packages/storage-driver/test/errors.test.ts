import { expect } from 'chai';
import {
  FileWriterStateError,
  InvalidDriverParameterError,
  InvalidOffsetError,
  InvalidPathError,
  PathNotFoundError,
  StorageDriverError,
  UnknownStorageDriverError,
  UnsupportedMethodError,
  isStorageError,
} from '../src/index.js';

describe('storage errors', () => {
  it('carry a stable code, the path and a message naming both', () => {
    const error = new PathNotFoundError('/a/b', { driverName: 'filesystem' });
    expect(error).to.be.instanceOf(StorageDriverError);
    expect(error.code).to.equal('PATH_NOT_FOUND');
    expect(error.path).to.equal('/a/b');
    expect(error.driverName).to.equal('filesystem');
    expect(error.message).to.equal('filesystem: path not found: /a/b');
    expect(error.name).to.equal('PathNotFoundError');
  });

  it('take the driver name once, keeping the first', () => {
    const error = new InvalidPathError('//x', 'has an empty component');
    expect(error.message).to.equal('invalid path "//x": has an empty component');
    error.stampDriverName('s3').stampDriverName('other');
    expect(error.driverName).to.equal('s3');
    expect(error.message).to.equal('s3: invalid path "//x": has an empty component');
  });

  it('describe each failure with its own fields', () => {
    const offset = new InvalidOffsetError('/f', -1, 'must be an integer ≥ 0');
    expect(offset.code).to.equal('INVALID_OFFSET');
    expect(offset.offset).to.equal(-1);
    expect(offset.message).to.contain('-1').and.contain('/f');
    const method = new UnsupportedMethodError('redirectURL', { driverName: 'x' });
    expect(method.code).to.equal('UNSUPPORTED_METHOD');
    expect(method.method).to.equal('redirectURL');
    const state = new FileWriterStateError('/f', 'write', 'committed');
    expect(state.code).to.equal('FILE_WRITER_STATE');
    expect(state.message).to.equal('cannot write /f: the writer is already committed');
    const parameter = new InvalidDriverParameterError('maxthreads', 'expected an integer');
    expect(parameter.key).to.equal('maxthreads');
    expect(parameter.message).to.equal('invalid parameter "maxthreads": expected an integer');
    expect(new UnknownStorageDriverError('nope', ['a', 'b']).message).to.contain('known: a, b');
    expect(new UnknownStorageDriverError('nope', []).message).to.contain('none are registered');
  });

  it('keep the cause', () => {
    const cause = new Error('EACCES');
    expect(new StorageDriverError('failed', { cause }).cause).to.equal(cause);
  });

  it('are recognised by brand and code, also across package copies', () => {
    const error = new PathNotFoundError('/x');
    expect(isStorageError(error)).to.equal(true);
    expect(isStorageError(error, 'PATH_NOT_FOUND')).to.equal(true);
    expect(isStorageError(error, 'INVALID_PATH')).to.equal(false);
    expect(isStorageError(new Error('x'))).to.equal(false);
    expect(isStorageError(null)).to.equal(false);
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@lading/storage-driver/error')]: true,
      code: 'PATH_NOT_FOUND',
    });
    expect(isStorageError(foreign, 'PATH_NOT_FOUND')).to.equal(true);
  });
});
