import { expect } from 'chai';
import { AuthorizationError, allowAll, formatAccess, isAuthorizationError } from '../src/index.js';

describe('the access-control contract', () => {
  const access = [
    { type: 'repository', name: 'group/app', actions: ['pull', 'push'] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ];

  it('formats access as token scopes', () => {
    expect(access.map(formatAccess)).to.deep.equal([
      'repository:group/app:pull,push',
      'registry:catalog:*',
    ]);
  });

  it('lets everyone in when there is no auth', async () => {
    expect(await allowAll.authorize({ method: 'GET', headers: {} }, access)).to.deep.equal({});
  });

  it('describes a refusal with its code, challenge, scope and detail', () => {
    const error = new AuthorizationError(
      'UNAUTHORIZED',
      'authentication required',
      access,
      'Basic realm="x"',
    );
    expect(isAuthorizationError(error)).to.equal(true);
    expect(isAuthorizationError(new Error('x'))).to.equal(false);
    expect(error.challenge).to.equal('Basic realm="x"');
    expect(error.scope).to.equal('repository:group/app:pull,push registry:catalog:*');
    expect(error.detail).to.deep.equal([
      { Type: 'repository', Name: 'group/app', Action: 'pull' },
      { Type: 'repository', Name: 'group/app', Action: 'push' },
      { Type: 'registry', Name: 'catalog', Action: '*' },
    ]);
    expect(new AuthorizationError('DENIED', 'no').access).to.deep.equal([]);
  });
});
