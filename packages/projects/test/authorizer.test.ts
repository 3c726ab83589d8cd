import { expect } from 'chai';
import type { Access, Authorizer, TokenPrincipal } from '@lading/token-auth';
import { createProjectsAuthorizer, type TokenScope } from '../src/index.js';
import { describeEachDialectStored } from './support/stored.js';

const password = 'correct horse battery';
const hour = 3600_000;

describeEachDialectStored('the projects authorizer', ({ model, clock }) => {
  let authorizer: Authorizer;

  beforeEach(async () => {
    authorizer = createProjectsAuthorizer(model());
    for (const username of ['alice', 'bob', 'dev']) {
      await model().users.create({ username, email: `${username}@example.com`, password });
    }
    await model().users.create({
      username: 'root',
      email: 'root@example.com',
      password,
      admin: true,
    });
    await model().namespaces.createGroup({ path: 'team' });
    await model().namespaces.createProject({ path: 'team/app' });
    await model().namespaces.createProject({ path: 'team/other' });
    await model().members.set('team/app', 'alice', 'owner');
    await model().members.set('team/app', 'dev', 'developer');
  });

  const pat = async (username: string, scopes: TokenScope[], expiresInMs?: number) => {
    const created = await model().accessTokens.create(username, {
      name: 'token',
      scopes,
      ...(expiresInMs === undefined
        ? {}
        : { expiresAt: new Date(clock.now.getTime() + expiresInMs) }),
    });
    return { secret: created.token, id: created.record.id };
  };

  const deploy = async (path: string, scopes: TokenScope[], expiresInMs?: number) => {
    const created = await model().deployTokens.create(path, {
      name: 'deploy',
      scopes,
      ...(expiresInMs === undefined
        ? {}
        : { expiresAt: new Date(clock.now.getTime() + expiresInMs) }),
    });
    return { secret: created.token, id: created.record.id, username: created.record.username };
  };

  /** The actions granted on `name`, as a comma-separated list. */
  const granted = async (
    principal: TokenPrincipal | undefined,
    name: string,
    actions: readonly string[] = ['pull', 'push', 'delete'],
    type = 'repository',
  ): Promise<string> => {
    const answer = await authorizer.authorize(principal, [{ type, name, actions: [...actions] }]);
    expect(answer.length).to.be.at.most(1);
    return answer[0]?.actions.join(',') ?? '';
  };

  describe('authenticate', () => {
    it('signs a user in with their password', async () => {
      const alice = await model().users.get('alice');
      const signedIn = await authorizer.authenticate('alice', password);
      expect(signedIn?.name).to.equal('alice');
      expect(signedIn?.credential).to.match(new RegExp(`^password:${alice.id}:[0-9a-f]{16}$`));
      expect(await authorizer.authenticate('alice', 'wrong password')).to.equal(undefined);
      expect(await authorizer.authenticate('nobody', password)).to.equal(undefined);
      await model().users.update('alice', { blocked: true });
      expect(await authorizer.authenticate('alice', password)).to.equal(undefined);
    });

    it('signs a user in with a personal access token, under the owner’s name only', async () => {
      const token = await pat('alice', ['read_registry']);
      expect(await authorizer.authenticate('alice', token.secret)).to.deep.equal({
        name: 'alice',
        credential: `pat:${token.id}`,
      });
      expect(await authorizer.authenticate('bob', token.secret)).to.equal(undefined);
      expect(await authorizer.authenticate('root', token.secret)).to.equal(undefined);
      expect(await authorizer.authenticate('alice', `${token.secret}x`)).to.equal(undefined);
      await model().users.update('alice', { blocked: true });
      expect(await authorizer.authenticate('alice', token.secret)).to.equal(undefined);
      await model().users.update('alice', { blocked: false });
      await model().accessTokens.revoke(token.id);
      expect(await authorizer.authenticate('alice', token.secret)).to.equal(undefined);
      const expiring = await pat('alice', ['api'], hour);
      clock.advance(hour);
      expect(await authorizer.authenticate('alice', expiring.secret)).to.equal(undefined);
    });

    it('signs a deploy token in under its own username only', async () => {
      const token = await deploy('team/app', ['read_registry']);
      const other = await deploy('team/other', ['read_registry']);
      expect(await authorizer.authenticate(token.username, token.secret)).to.deep.equal({
        name: token.username,
        credential: `deploy:${token.id}`,
      });
      expect(await authorizer.authenticate(other.username, token.secret)).to.equal(undefined);
      expect(await authorizer.authenticate('alice', token.secret)).to.equal(undefined);
      await model().deployTokens.revoke(token.id);
      expect(await authorizer.authenticate(token.username, token.secret)).to.equal(undefined);
    });
  });

  describe('resolve (refresh)', () => {
    it('resolves a password sign-in until the user is blocked, changes password or is deleted, and not for a new account of that name', async () => {
      const { id } = await model().users.get('alice');
      const credential = String((await authorizer.authenticate('alice', password))?.credential);
      expect(await authorizer.resolve('alice', `password:${id}`)).to.equal(undefined);
      expect(await authorizer.resolve('alice', credential)).to.deep.equal({
        name: 'alice',
        credential,
      });
      expect(await authorizer.resolve('alice')).to.equal(undefined);
      expect(await authorizer.resolve('alice', 'password')).to.equal(undefined);
      await model().users.update('alice', { blocked: true });
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      await model().users.update('alice', { blocked: false });
      expect(await authorizer.resolve('alice', credential)).to.not.equal(undefined);
      await model().users.update('alice', { password: 'a brand new password' });
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      const renewed = String(
        (await authorizer.authenticate('alice', 'a brand new password'))?.credential,
      );
      expect(await authorizer.resolve('alice', renewed)).to.not.equal(undefined);
      await model().users.delete('alice');
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      await model().users.create({ username: 'alice', email: 'new@example.com', password });
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      expect(await authorizer.resolve('alice', renewed)).to.equal(undefined);
      expect(await authorizer.resolve('nobody', credential)).to.equal(undefined);
    });

    it('resolves a personal access token until it is revoked or expires, for its owner only', async () => {
      const token = await pat('alice', ['api']);
      const credential = `pat:${token.id}`;
      expect(await authorizer.resolve('alice', credential)).to.deep.equal({
        name: 'alice',
        credential,
      });
      expect(await authorizer.resolve('bob', credential)).to.equal(undefined);
      await model().users.update('alice', { blocked: true });
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      await model().users.update('alice', { blocked: false });
      await model().accessTokens.revoke(token.id);
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);

      const expiring = await pat('alice', ['api'], hour);
      expect(await authorizer.resolve('alice', `pat:${expiring.id}`)).to.not.equal(undefined);
      clock.advance(hour);
      expect(await authorizer.resolve('alice', `pat:${expiring.id}`)).to.equal(undefined);

      const deleted = await pat('bob', ['api']);
      await model().users.delete('bob');
      expect(await authorizer.resolve('bob', `pat:${deleted.id}`)).to.equal(undefined);
    });

    it('resolves a deploy token until it is revoked, expires or its project goes', async () => {
      const token = await deploy('team/app', ['read_registry'], hour);
      const credential = `deploy:${token.id}`;
      expect(await authorizer.resolve(token.username, credential)).to.deep.equal({
        name: token.username,
        credential,
      });
      expect(await authorizer.resolve('alice', credential)).to.equal(undefined);
      clock.advance(hour);
      expect(await authorizer.resolve(token.username, credential)).to.equal(undefined);

      const revoked = await deploy('team/app', ['read_registry']);
      await model().deployTokens.revoke(revoked.id);
      expect(await authorizer.resolve(revoked.username, `deploy:${revoked.id}`)).to.equal(
        undefined,
      );

      const orphan = await deploy('team/other', ['read_registry']);
      await model().namespaces.delete('team/other');
      expect(await authorizer.resolve(orphan.username, `deploy:${orphan.id}`)).to.equal(undefined);
    });

    it('resolves nothing for a credential it never gave', async () => {
      const token = await pat('alice', ['api']);
      for (const credential of [
        '',
        'xyz',
        'password:',
        'pat',
        'pat:',
        'pat:abc',
        'pat:-1',
        'pat:1.5',
        'pat:99999999999999',
        `deploy:${token.id}`,
        'deploy:',
        'deploy:NaN',
        ':',
      ]) {
        expect(await authorizer.resolve('alice', credential), credential).to.equal(undefined);
      }
    });

    it('does not hand a refresh of a deleted token on to a newer token', async () => {
      // The newest token of a deleted project, then a token of another project: on a
      // database that reuses the highest id, the old refresh credential would name the new one.
      const old = await deploy('team/other', ['write_registry']);
      await model().namespaces.delete('team/other');
      const fresh = await deploy('team/app', ['write_registry']);
      expect(fresh.id).not.to.equal(old.id);
      expect(await authorizer.resolve(old.username, `deploy:${old.id}`)).to.equal(undefined);

      const gone = await pat('bob', ['api']);
      await model().users.delete('bob');
      await model().users.create({ username: 'bob', email: 'bob@example.com', password });
      const again = await pat('bob', ['read_registry']);
      expect(again.id).not.to.equal(gone.id);
      expect(await authorizer.resolve('bob', `pat:${gone.id}`)).to.equal(undefined);
    });
  });

  describe('authorize', () => {
    const signIn = async (username: string, secret = password): Promise<TokenPrincipal> => {
      const principal = await authorizer.authenticate(username, secret);
      if (principal === undefined) throw new Error(`${username} cannot sign in`);
      return principal;
    };

    it('grants "*" only when pull, push and delete all are', async () => {
      const alice = await signIn('alice');
      const dev = await signIn('dev');
      expect(await granted(alice, 'team/app', ['*'])).to.equal('*');
      expect(await granted(dev, 'team/app', ['*'])).to.equal('');
      expect(await granted(dev, 'team/app', ['pull', '*'])).to.equal('pull');
      const readOnly = await signIn('alice', (await pat('alice', ['read_registry'])).secret);
      expect(await granted(readOnly, 'team/app', ['*', 'pull'])).to.equal('pull');
      const api = await signIn('alice', (await pat('alice', ['api'])).secret);
      expect(await granted(api, 'team/app', ['*'])).to.equal('*');
      expect(await granted(await signIn('root'), 'team/app', ['*'])).to.equal('*');
      expect(await granted(undefined, 'team/app', ['*'])).to.equal('');
    });

    it('gives repositories of no project to admins only', async () => {
      const root = await signIn('root');
      expect(await granted(root, 'stray/image')).to.equal('pull,push,delete');
      expect(await granted(root, 'team/stray')).to.equal('pull,push,delete');
      expect(await granted(root, 'stray/image', ['*'])).to.equal('*');
      const rootRead = await signIn('root', (await pat('root', ['read_registry'])).secret);
      expect(await granted(rootRead, 'stray/image')).to.equal('pull');
      for (const principal of [await signIn('alice'), await signIn('dev'), undefined]) {
        expect(await granted(principal, 'stray/image')).to.equal('');
        expect(await granted(principal, 'team/stray')).to.equal('');
      }
      const token = await deploy('team/app', ['write_registry']);
      expect(await granted(await signIn(token.username, token.secret), 'stray/image')).to.equal('');
      await model().settings.update({ registryEnabled: false });
      expect(await granted(root, 'stray/image')).to.equal('');
    });

    it('counts a repository below a project as the project’s, and not one beside it', async () => {
      const alice = await signIn('alice');
      expect(await granted(alice, 'team/app')).to.equal('pull,push,delete');
      expect(await granted(alice, 'team/app/backend')).to.equal('pull,push,delete');
      expect(await granted(alice, 'team/app/backend/x')).to.equal('pull,push,delete');
      expect(await granted(alice, 'team/application')).to.equal('');
      expect(await granted(alice, 'team/other/x')).to.equal('');
      const token = await deploy('team/app', ['write_registry']);
      const machine = await signIn(token.username, token.secret);
      expect(await granted(machine, 'team/app/backend/x')).to.equal('pull,push');
      expect(await granted(machine, 'team/other/x')).to.equal('');
    });

    it('gives nothing for unknown resource types or actions, and the catalog to admins', async () => {
      const root = await signIn('root');
      const alice = await signIn('alice');
      expect(await granted(root, 'team/app', ['pull'], 'repositories')).to.equal('');
      expect(await granted(root, 'team/app', ['pull'], 'Repository')).to.equal('');
      expect(await granted(root, 'catalog', ['*'], 'registry')).to.equal('*');
      expect(await granted(root, 'other', ['*'], 'registry')).to.equal('');
      expect(await granted(alice, 'catalog', ['*'], 'registry')).to.equal('');
      expect(await granted(alice, 'team/app', ['pull', 'frobnicate', 'PUSH'])).to.equal('pull');
      expect(await granted(alice, 'team/app', [])).to.equal('');
    });

    it('answers each requested resource, leaving out those with nothing granted', async () => {
      const dev = await signIn('dev');
      const requested: Access[] = [
        { type: 'repository', name: 'team/other', actions: ['pull'] },
        { type: 'repository', name: 'team/app/web', actions: ['push', 'delete'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
        { type: 'repository', name: 'team/app', actions: ['pull'] },
      ];
      expect(await authorizer.authorize(dev, requested)).to.deep.equal([
        { type: 'repository', name: 'team/app/web', actions: ['push'] },
        { type: 'repository', name: 'team/app', actions: ['pull'] },
      ]);
    });

    it('gives nothing to a principal that may no longer sign in', async () => {
      const token = await pat('alice', ['api']);
      const principal = await signIn('alice', token.secret);
      expect(await granted(principal, 'team/app')).to.equal('pull,push,delete');
      await model().accessTokens.revoke(token.id);
      expect(await granted(principal, 'team/app')).to.equal('');
      const forged: TokenPrincipal = { name: 'alice', credential: 'admin' };
      expect(await granted(forged, 'team/app')).to.equal('');
      expect(await granted({ name: 'ghost' }, 'team/app')).to.equal('');
    });

    it('follows the project’s registry switch and the name that keeps it off', async () => {
      const alice = await signIn('alice');
      await model().namespaces.update('team/app', { containerRegistryEnabled: false });
      expect(await granted(alice, 'team/app/x')).to.equal('');
      await model().namespaces.update('team/app', { containerRegistryEnabled: true });
      await model().settings.update({ allowUnnamablePaths: true });
      await model().namespaces.createProject({ path: 'team/App' });
      await model().members.set('team/App', 'alice', 'owner');
      // Its path cannot name images, so its registry stays off, even for its owner.
      expect(await granted(alice, 'team/App')).to.equal('');
    });
  });

  it('takes the token lifetime from the settings', async () => {
    expect(await authorizer.tokenLifetimeSeconds?.()).to.equal(300);
    await model().settings.update({ tokenLifetimeSeconds: 3600 });
    expect(await authorizer.tokenLifetimeSeconds?.()).to.equal(3600);
  });
});
