import { expect } from 'chai';
import { errorCode, isMissing } from '../src/file-system.js';
import { LocalPaths, stagingPath, temporaryPath } from '../src/local-paths.js';

describe('local paths', () => {
  it('map storage paths below the root, also when the root is /', () => {
    expect(new LocalPaths('/srv/registry').local('/a/b')).to.equal('/srv/registry/a/b');
    expect(new LocalPaths('/srv/registry').local('/')).to.equal('/srv/registry');
    expect(new LocalPaths('/').local('/a/b')).to.equal('/a/b');
  });

  it('tell the root and what is below it from what is above or beside it', () => {
    const paths = new LocalPaths('/srv/registry');
    expect(['/srv/registry', '/srv/registry/a'].map((path) => paths.contains(path))).to.deep.equal([
      true,
      true,
    ]);
    expect(['/srv', '/srv/registry-2', '/'].map((path) => paths.contains(path))).to.deep.equal([
      false,
      false,
      false,
    ]);
    expect(new LocalPaths('/').contains('/a')).to.equal(true);
  });

  it('name bookkeeping files with a ~ so no storage path can collide', () => {
    expect(stagingPath('/r/data')).to.equal('/r/data~partial');
    expect(temporaryPath('/r/link')).to.match(/^\/r\/link~tmp-[0-9a-f]{12}$/);
    expect(temporaryPath('/r/link')).to.not.equal(temporaryPath('/r/link'));
  });

  it('recognise not-found errors by code only', () => {
    expect(isMissing(Object.assign(new Error('x'), { code: 'ENOENT' }))).to.equal(true);
    expect(isMissing(Object.assign(new Error('x'), { code: 'EISDIR' }), ['EISDIR'])).to.equal(true);
    expect(isMissing(Object.assign(new Error('x'), { code: 'EACCES' }))).to.equal(false);
    expect(errorCode('ENOENT')).to.equal(undefined);
    expect(errorCode({ code: 2 })).to.equal(undefined);
    expect(errorCode(null)).to.equal(undefined);
  });
});
