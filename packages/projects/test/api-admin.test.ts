import { expect } from 'chai';
import { ProjectsError, registryDisabledNote } from '../src/index.js';
import {
  basic,
  bearer,
  describeApi,
  expectError,
  password,
  startOfTime,
  type ApiWorld,
  type Json,
} from './support/api.js';

const hour = 3600_000;

async function createUser(
  world: ApiWorld,
  username: string,
  options: { admin?: boolean } = {},
): Promise<Record<string, string>> {
  await world.model.users.create({
    username,
    email: `${username}@example.com`,
    password,
    ...options,
  });
  return basic(username, password);
}

async function tokenFor(
  world: ApiWorld,
  username: string,
  scopes: ('api' | 'read_registry' | 'write_registry')[] = ['api'],
  expiresAt?: Date,
): Promise<{ token: string; id: number }> {
  const created = await world.model.accessTokens.create(username, {
    name: `${scopes.join('+')} token`,
    scopes,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
  return { token: created.token, id: created.record.id };
}

describeApi('the admin API', (world) => {
  const get = (path: string, headers = world().admin) =>
    world().api.request('GET', path, { headers });
  const send = (method: string, path: string, body?: unknown, headers = world().admin) =>
    world().api.request(method, path, { headers, ...(body === undefined ? {} : { body }) });

  describe('authentication', () => {
    it('treats no credentials as anonymous: a 401 with a Basic challenge', async () => {
      const reply = await get('/users', {});
      expectError(reply, 401, 'UNAUTHORIZED');
      expect(reply.headers.get('www-authenticate')).to.equal('Basic realm="Lading API"');
      expect(reply.headers.get('cache-control')).to.equal('no-store');
    });

    it('takes an api-scoped token as Bearer, as PRIVATE-TOKEN and as the Basic password', async () => {
      const { token } = await tokenFor(world(), 'root');
      for (const headers of [
        bearer(token),
        { authorization: `bearer ${token}` },
        { 'private-token': token },
        basic('root', token),
      ]) {
        const reply = await get('/users', headers);
        expect(reply.status, JSON.stringify(headers)).to.equal(200);
        expect(reply.list.map((user) => user.username)).to.deep.equal(['root']);
      }
    });

    it('takes a user name and password by Basic', async () => {
      expect((await get('/users', basic('root', password))).status).to.equal(200);
    });

    it('notes when a token was last used', async () => {
      const { token } = await tokenFor(world(), 'root');
      world().clock.now = new Date(startOfTime.getTime() + hour);
      expect((await get('/users', bearer(token))).status).to.equal(200);
      const [listed] = (await get('/users/root/tokens')).list;
      expect(listed?.last_used_at).to.equal(world().clock.now.toISOString());
    });

    it('refuses wrong credentials with 401, never as anonymous', async () => {
      const { token } = await tokenFor(world(), 'root');
      await createUser(world(), 'alice');
      const refused: [string, Record<string, string>][] = [
        ['a wrong password', basic('root', 'not the password')],
        ['an unknown user', basic('nobody', password)],
        ["a token under another user's name", basic('alice', token)],
        ['a token that does not exist', bearer(`${token.slice(0, -4)}AAAA`)],
        ['a password as Bearer', bearer(password)],
        ['a password as PRIVATE-TOKEN', { 'private-token': password }],
        [
          'Basic without a colon',
          { authorization: `Basic ${Buffer.from('root').toString('base64')}` },
        ],
        ['Basic with an empty user name', basic('', password)],
        ['an unknown scheme', { authorization: 'Digest username="root"' }],
        ['an empty Bearer', { authorization: 'Bearer ' }],
      ];
      for (const [what, headers] of refused) {
        const reply = await get('/users', headers);
        expect(reply.status, what).to.equal(401);
        expect(reply.headers.get('www-authenticate'), what).to.equal('Basic realm="Lading API"');
      }
    });

    it('refuses tokens without the api scope', async () => {
      for (const scopes of [
        ['read_registry'],
        ['write_registry'],
        ['read_registry', 'write_registry'],
      ] as const) {
        const { token } = await tokenFor(world(), 'root', [...scopes]);
        expectError(await get('/users', bearer(token)), 401, 'UNAUTHORIZED');
        expectError(await get('/users', basic('root', token)), 401, 'UNAUTHORIZED');
      }
    });

    it('refuses a revoked token and an expired one', async () => {
      const revoked = await tokenFor(world(), 'root');
      expect((await get('/users', bearer(revoked.token))).status).to.equal(200);
      await world().model.accessTokens.revoke(revoked.id);
      expectError(await get('/users', bearer(revoked.token)), 401, 'UNAUTHORIZED');

      const expiring = await tokenFor(
        world(),
        'root',
        ['api'],
        new Date(startOfTime.getTime() + hour),
      );
      expect((await get('/users', bearer(expiring.token))).status).to.equal(200);
      world().clock.now = new Date(startOfTime.getTime() + hour);
      expectError(await get('/users', bearer(expiring.token)), 401, 'UNAUTHORIZED');
    });

    it('refuses a blocked administrator, by password and by token', async () => {
      const headers = await createUser(world(), 'boss', { admin: true });
      const { token } = await tokenFor(world(), 'boss');
      expect((await get('/users', headers)).status).to.equal(200);
      await world().model.users.update('boss', { blocked: true });
      expectError(await get('/users', headers), 401, 'UNAUTHORIZED');
      expectError(await get('/users', bearer(token)), 401, 'UNAUTHORIZED');
    });

    it('answers 403 to a signed-in non-admin on every admin route, changing nothing', async () => {
      const alice = await createUser(world(), 'alice');
      const { token } = await tokenFor(world(), 'alice');
      await world().model.namespaces.createGroup({ path: 'team' });
      await world().model.namespaces.createProject({ path: 'team/app' });
      const routes: [string, string, unknown?][] = [
        ['GET', '/users'],
        ['POST', '/users', { username: 'mallory', email: 'm@example.com', password }],
        ['GET', '/users/root'],
        ['PATCH', '/users/alice', { admin: true }],
        ['DELETE', '/users/root'],
        ['GET', '/users/alice/tokens'],
        ['POST', '/users/alice/tokens', { name: 'more', scopes: ['api'] }],
        ['DELETE', '/users/alice/tokens/1'],
        ['GET', '/groups'],
        ['POST', '/groups', { path: 'evil' }],
        ['GET', '/groups/team'],
        ['PATCH', '/groups/team', { visibility: 'public' }],
        ['DELETE', '/groups/team'],
        ['GET', '/projects'],
        ['POST', '/projects', { path: 'team/evil' }],
        ['GET', '/projects/team%2Fapp'],
        ['PATCH', '/projects/team%2Fapp', { container_registry_enabled: false }],
        ['DELETE', '/projects/team%2Fapp'],
        ['GET', '/projects/team%2Fapp/members'],
        ['PUT', '/projects/team%2Fapp/members/alice', { role: 'owner' }],
        ['DELETE', '/groups/team/members/alice'],
        ['GET', '/projects/team%2Fapp/deploy_tokens'],
        ['POST', '/projects/team%2Fapp/deploy_tokens', { name: 'ci', scopes: ['read_registry'] }],
        ['DELETE', '/projects/team%2Fapp/deploy_tokens/1'],
        ['GET', '/settings'],
        ['PATCH', '/settings', { registry_enabled: false }],
      ];
      for (const [method, path, body] of routes) {
        for (const headers of [alice, bearer(token)]) {
          const reply = await send(method, path, body, headers);
          expect(reply.status, `${method} ${path}: ${reply.text}`).to.equal(403);
          expect(reply.json.error).to.equal('FORBIDDEN');
        }
        expect((await send(method, path, body, {})).status, `${method} ${path}`).to.equal(401);
      }
      const { model } = world();
      expect((await model.users.list()).map((user) => [user.username, user.admin])).to.deep.equal([
        ['alice', false],
        ['root', true],
      ]);
      expect((await model.namespaces.list()).map((namespace) => namespace.path)).to.deep.equal([
        'team',
        'team/app',
      ]);
      expect((await model.namespaces.get('team/app')).containerRegistryEnabled).to.equal(true);
      expect((await model.settings.get()).registryEnabled).to.equal(true);
      expect(await model.members.list('team/app')).to.deep.equal([]);
      expect(await model.accessTokens.list('alice')).to.have.length(1);
    });
  });

  describe('users', () => {
    it('creates a user: 201, and never a password in the answer', async () => {
      const reply = await send('POST', '/users', {
        username: 'alice',
        email: 'alice@example.com',
        password,
      });
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.json).to.have.all.keys(
        'id',
        'username',
        'email',
        'admin',
        'blocked',
        'created_at',
      );
      expect(reply.json).to.include({
        username: 'alice',
        email: 'alice@example.com',
        admin: false,
        blocked: false,
        created_at: startOfTime.toISOString(),
      });
      expect(reply.text).not.to.include(password);
      expect((await get('/users/alice', basic('alice', password))).status).to.equal(403);

      const admin = await send('POST', '/users', {
        username: 'bob',
        email: 'bob@example.com',
        password,
        admin: true,
      });
      expect(admin.json.admin).to.equal(true);
      expect((await get('/users/bob', basic('bob', password))).status).to.equal(200);
    });

    it('lists and gets users', async () => {
      await createUser(world(), 'alice');
      const list = await get('/users');
      expect(list.list.map((user) => user.username)).to.deep.equal(['alice', 'root']);
      const alice = await get('/users/alice');
      expect(alice.json).to.include({ username: 'alice', email: 'alice@example.com' });
      expectError(await get('/users/nobody'), 404, 'NOT_FOUND');
    });

    it('changes email, password, admin and blocked', async () => {
      await createUser(world(), 'alice');
      const reply = await send('PATCH', '/users/alice', {
        email: 'alice@example.org',
        password: 'a new password',
        admin: true,
      });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({ email: 'alice@example.org', admin: true, blocked: false });
      expectError(await get('/users', basic('alice', password)), 401, 'UNAUTHORIZED');
      expect((await get('/users', basic('alice', 'a new password'))).status).to.equal(200);

      const blocked = await send('PATCH', '/users/alice', { blocked: true });
      expect(blocked.json.blocked).to.equal(true);
      expectError(await get('/users', basic('alice', 'a new password')), 401, 'UNAUTHORIZED');

      const unchanged = await send('PATCH', '/users/alice', {});
      expect(unchanged.json).to.include({ email: 'alice@example.org', blocked: true });
      expectError(await send('PATCH', '/users/nobody', { admin: true }), 404, 'NOT_FOUND');
    });

    it('deletes a user: 204 with no body, then 404', async () => {
      await createUser(world(), 'alice');
      const reply = await send('DELETE', '/users/alice');
      expect(reply.status).to.equal(204);
      expect(reply.text).to.equal('');
      expectError(await get('/users/alice'), 404, 'NOT_FOUND');
      expectError(await send('DELETE', '/users/alice'), 404, 'NOT_FOUND');
    });

    it('refuses a second user with the same name or email: 409', async () => {
      await createUser(world(), 'alice');
      expectError(
        await send('POST', '/users', { username: 'alice', email: 'other@example.com', password }),
        409,
        'CONFLICT',
      );
      expectError(
        await send('POST', '/users', { username: 'other', email: 'alice@example.com', password }),
        409,
        'CONFLICT',
      );
      await createUser(world(), 'bob');
      expectError(
        await send('PATCH', '/users/bob', { email: 'alice@example.com' }),
        409,
        'CONFLICT',
      );
    });

    it('refuses unknown and wrong fields, naming them', async () => {
      const valid = { username: 'alice', email: 'alice@example.com', password };
      const wrong: [unknown, string][] = [
        [{ ...valid, nickname: 'al' }, 'nickname'],
        [{ ...valid, admin: 'yes' }, 'admin'],
        [{ ...valid, username: 'al ice' }, 'username'],
        [{ ...valid, username: 42 }, 'username'],
        [{ ...valid, email: 'not-an-email' }, 'email'],
        [{ ...valid, password: 'short' }, 'password'],
        [{ username: 'alice', password }, 'email'],
        [[valid], 'body'],
      ];
      for (const [body, field] of wrong) {
        expectError(await send('POST', '/users', body), 400, 'INVALID', field);
      }
      await createUser(world(), 'alice');
      expectError(
        await send('PATCH', '/users/alice', { username: 'alicia' }),
        400,
        'INVALID',
        'username',
      );
      expectError(
        await send('PATCH', '/users/alice', { blocked: 'no' }),
        400,
        'INVALID',
        'blocked',
      );
      expect((await world().model.users.list()).map((user) => user.username)).to.deep.equal([
        'alice',
        'root',
      ]);
    });

    it('answers malformed, non-object and oversized JSON with 400 INVALID', async () => {
      for (const rawBody of ['{"username": "alice",', '"alice"', 'null']) {
        expectError(
          await world().api.request('POST', '/users', { headers: world().admin, rawBody }),
          400,
          'INVALID',
        );
      }
      const huge = JSON.stringify({
        username: 'alice',
        email: 'a@example.com',
        password: 'x'.repeat(70_000),
      });
      const reply = await world().api.request('POST', '/users', {
        headers: world().admin,
        rawBody: huge,
      });
      expect(reply.status).to.equal(413);
      expect(reply.json.error).to.equal('INVALID');
      expect(world().serverErrors).to.deep.equal([]);
      expect(await world().model.users.find('alice')).to.equal(undefined);
    });
  });

  describe('personal access tokens', () => {
    it('shows the secret once, at creation, and never in the list', async () => {
      await createUser(world(), 'alice');
      const expiresAt = new Date(startOfTime.getTime() + 24 * hour).toISOString();
      const reply = await send('POST', '/users/alice/tokens', {
        name: 'ci',
        scopes: ['api', 'read_registry'],
        expires_at: expiresAt,
      });
      expect(reply.status, reply.text).to.equal(201);
      const token = reply.json.token;
      expect(token)
        .to.be.a('string')
        .and.match(/^ldpat-/);
      expect(reply.json).to.include({
        name: 'ci',
        username: 'alice',
        expires_at: expiresAt,
        revoked: false,
        revoked_at: null,
        last_used_at: null,
        created_at: startOfTime.toISOString(),
      });
      expect(reply.json.scopes).to.deep.equal(['api', 'read_registry']);

      const list = await get('/users/alice/tokens');
      expect(list.list).to.have.length(1);
      expect(list.list[0]).not.to.have.property('token');
      expect(list.list[0]).to.include({ id: reply.json.id, name: 'ci' });
      expect(list.text).not.to.include(String(token));
      // The secret works: alice is signed in (and, no admin, refused).
      expectError(await get('/users', bearer(String(token))), 403, 'FORBIDDEN');
    });

    it('takes scopes as a space- or comma-separated string too', async () => {
      const reply = await send('POST', '/users/root/tokens', {
        name: 'x',
        scopes: 'api, write_registry',
      });
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.json.scopes).to.deep.equal(['api', 'write_registry']);
      expect(reply.json.expires_at).to.equal(null);
    });

    it('revokes a token: it stops working at once', async () => {
      const { token, id } = await tokenFor(world(), 'root');
      expect((await get('/users', bearer(token))).status).to.equal(200);
      const reply = await send('DELETE', `/users/root/tokens/${String(id)}`);
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({ id, revoked: true, revoked_at: startOfTime.toISOString() });
      expectError(await get('/users', bearer(token)), 401, 'UNAUTHORIZED');
      // Revoking again changes nothing.
      const again = await send('DELETE', `/users/root/tokens/${String(id)}`);
      expect(again.json.revoked_at).to.equal(startOfTime.toISOString());
    });

    it("refuses to revoke through another user's path, or an id that is no id", async () => {
      await createUser(world(), 'alice');
      const { token, id } = await tokenFor(world(), 'alice');
      expectError(await send('DELETE', `/users/root/tokens/${String(id)}`), 404, 'NOT_FOUND');
      expectError(await send('DELETE', '/users/alice/tokens/999'), 404, 'NOT_FOUND');
      for (const bad of ['abc', '0', '-1', '1.5']) {
        expectError(await send('DELETE', `/users/alice/tokens/${bad}`), 400, 'INVALID', 'id');
      }
      expectError(await get('/users', bearer(token)), 403, 'FORBIDDEN');
    });

    it('refuses bad token fields, naming them as the API does', async () => {
      const wrong: [Json, string][] = [
        [{ name: 'x', scopes: ['sudo'] }, 'scopes'],
        [{ name: 'x', scopes: [] }, 'scopes'],
        [{ name: 'x' }, 'scopes'],
        [{ scopes: ['api'] }, 'name'],
        [{ name: '  ', scopes: ['api'] }, 'name'],
        [{ name: 'x', scopes: ['api'], expires_at: 'tomorrow' }, 'expires_at'],
        [{ name: 'x', scopes: ['api'], expires_at: '2020-01-01T00:00:00Z' }, 'expires_at'],
        [{ name: 'x', scopes: ['api'], lifetime: 3 }, 'lifetime'],
      ];
      for (const [body, field] of wrong) {
        expectError(await send('POST', '/users/root/tokens', body), 400, 'INVALID', field);
      }
      expect(await world().model.accessTokens.list('root')).to.deep.equal([]);
      expectError(
        await send('POST', '/users/nobody/tokens', { name: 'x', scopes: ['api'] }),
        404,
        'NOT_FOUND',
      );
      expectError(await get('/users/nobody/tokens'), 404, 'NOT_FOUND');
    });
  });

  describe('groups and projects', () => {
    it('creates groups and projects: 201, defaults, and paths URL-encoded', async () => {
      const group = await send('POST', '/groups', { path: 'team', visibility: 'public' });
      expect(group.status, group.text).to.equal(201);
      expect(group.json).to.have.all.keys('id', 'kind', 'path', 'visibility', 'created_at');
      expect(group.json).to.include({ kind: 'group', path: 'team', visibility: 'public' });

      const project = await send('POST', '/projects', { path: 'team/app' });
      expect(project.status, project.text).to.equal(201);
      expect(project.json).to.include({
        kind: 'project',
        path: 'team/app',
        visibility: 'private',
        container_registry_enabled: true,
        registry_disabled_reason: null,
        created_at: startOfTime.toISOString(),
      });

      const off = await send('POST', '/projects', {
        path: 'team/quiet',
        visibility: 'internal',
        container_registry_enabled: false,
      });
      expect(off.json).to.include({ visibility: 'internal', container_registry_enabled: false });

      expect((await get('/projects/team%2Fapp')).json.path).to.equal('team/app');
      expect((await get('/projects/team%2fapp')).json.path).to.equal('team/app');
      expect((await get('/groups/team')).json.kind).to.equal('group');
      expectError(await get('/groups/team%2Fapp'), 404, 'NOT_FOUND');
      expectError(await get('/projects/team'), 404, 'NOT_FOUND');
      expectError(await get('/projects/team%2Fnone'), 404, 'NOT_FOUND');
      expect((await get('/projects')).list.map((item) => item.path)).to.deep.equal([
        'team/app',
        'team/quiet',
      ]);
      expect((await get('/groups')).list.map((item) => item.path)).to.deep.equal(['team']);
    });

    it('refuses bad groups and projects, naming the field', async () => {
      await send('POST', '/groups', { path: 'team' });
      const wrong: [string, Json, number, string, string?][] = [
        ['/groups', { path: 'team' }, 409, 'CONFLICT'],
        ['/projects', { path: 'team' }, 409, 'CONFLICT'],
        [
          '/groups',
          { path: 'x', container_registry_enabled: true },
          400,
          'INVALID',
          'container_registry_enabled',
        ],
        ['/projects', { path: 'nowhere/app' }, 400, 'INVALID', 'path'],
        ['/projects', { path: 'team/a b' }, 400, 'INVALID', 'path'],
        ['/projects', { path: 'team/app', visibility: 'secret' }, 400, 'INVALID', 'visibility'],
        ['/projects', { path: 'team/app', visibility: 'public' }, 400, 'INVALID', 'visibility'],
        [
          '/projects',
          { path: 'team/app', container_registry_enabled: 'maybe' },
          400,
          'INVALID',
          'container_registry_enabled',
        ],
        ['/projects', { visibility: 'private' }, 400, 'INVALID', 'path'],
        ['/projects', { path: 'team/Upper' }, 400, 'INVALID', 'path'],
      ];
      for (const [path, body, status, code, field] of wrong) {
        expectError(await send('POST', path, body), status, code, field);
      }
      expect((await world().model.namespaces.list()).map((item) => item.path)).to.deep.equal([
        'team',
      ]);
    });

    it('changes visibility and the registry switch', async () => {
      await send('POST', '/groups', { path: 'team', visibility: 'public' });
      await send('POST', '/projects', { path: 'team/app' });
      const reply = await send('PATCH', '/projects/team%2Fapp', { visibility: 'internal' });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({ path: 'team/app', visibility: 'internal' });
      expect(reply.json).not.to.have.property('note');
      expectError(
        await send('PATCH', '/groups/team', { visibility: 'private' }),
        400,
        'INVALID',
        'visibility',
      );
      expectError(
        await send('PATCH', '/groups/team', { container_registry_enabled: false }),
        400,
        'INVALID',
        'container_registry_enabled',
      );
      expectError(
        await send('PATCH', '/projects/team%2Fnone', { visibility: 'private' }),
        404,
        'NOT_FOUND',
      );
    });

    it('disables a project registry with a note that no image was deleted, deleting none', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      world().repositories.add('team/app/backend', ['v1', 'latest']);
      const reply = await send('PATCH', '/projects/team%2Fapp', {
        container_registry_enabled: false,
      });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({
        container_registry_enabled: false,
        note: registryDisabledNote,
      });
      expect(String(reply.json.note)).to.match(/no image was deleted/);
      expect(world().repositories.deletions).to.deep.equal([]);
      expect(world().repositories.tagNames('team/app/backend')).to.deep.equal(['latest', 'v1']);

      const enabled = await send('PATCH', '/projects/team%2Fapp', {
        container_registry_enabled: true,
      });
      expect(enabled.json.container_registry_enabled).to.equal(true);
      expect(enabled.json).not.to.have.property('note');
    });

    it('renames a project without images, keeping its members', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      await createUser(world(), 'alice');
      await send('PUT', '/projects/team%2Fapp/members/alice', { role: 'developer' });
      world().repositories.add('team/apple/backend', ['v1']);
      const reply = await send('PATCH', '/projects/team%2Fapp', {
        path: 'team/web',
        visibility: 'private',
      });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json.path).to.equal('team/web');
      expectError(await get('/projects/team%2Fapp'), 404, 'NOT_FOUND');
      expect(
        (await get('/projects/team%2Fweb/members')).list.map((member) => member.username),
      ).to.deep.equal(['alice']);
      // Renaming to the same path is no rename at all.
      expect((await send('PATCH', '/projects/team%2Fweb', { path: 'team/web' })).status).to.equal(
        200,
      );
      expectError(
        await send('PATCH', '/projects/team%2Fweb', { path: 'other/web' }),
        400,
        'INVALID',
        'path',
      );
    });

    it('refuses to rename a project or group holding images: 409, nothing moved or deleted', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      world().repositories.add('team/app/backend', ['v1']);
      const reply = await send('PATCH', '/projects/team%2Fapp', { path: 'team/web' });
      expectError(reply, 409, 'CONFLICT');
      expect(reply.json.message).to.include('team/app/backend');
      expectError(await send('PATCH', '/groups/team', { path: 'crew' }), 409, 'CONFLICT');
      expect((await get('/projects/team%2Fapp')).status).to.equal(200);
      expect((await world().model.namespaces.list()).map((item) => item.path)).to.deep.equal([
        'team',
        'team/app',
      ]);
      expect(world().repositories.deletions).to.deep.equal([]);
    });

    it('renames nothing when another field of the same request is wrong', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      for (const body of [
        { path: 'team/web', visibility: 'secret' },
        { path: 'team/web', container_registry_enabled: 'off' },
      ]) {
        expectError(await send('PATCH', '/projects/team%2Fapp', body), 400, 'INVALID');
        expect(
          (await world().model.namespaces.list('project')).map((item) => item.path),
        ).to.deep.equal(['team/app']);
      }
    });

    it('deletes a project or group only when it holds no images', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      await send('POST', '/projects', { path: 'team/site' });
      world().repositories.add('team/app', ['v1']);

      const refused = await send('DELETE', '/projects/team%2Fapp');
      expectError(refused, 409, 'CONFLICT');
      expect(refused.json.message).to.match(/holds 1 registry repository \(team\/app\)/);
      expectError(await send('DELETE', '/groups/team'), 409, 'CONFLICT');
      expect(world().repositories.deletions).to.deep.equal([]);

      const deleted = await send('DELETE', '/projects/team%2Fsite');
      expect(deleted.status).to.equal(204);
      expect(deleted.text).to.equal('');
      expectError(await get('/projects/team%2Fsite'), 404, 'NOT_FOUND');
      expectError(await send('DELETE', '/projects/team%2Fsite'), 404, 'NOT_FOUND');
      expectError(await send('DELETE', '/groups/team%2Fapp'), 404, 'NOT_FOUND');

      await world().repositories.deleteRepository('team/app');
      expect((await send('DELETE', '/groups/team')).status).to.equal(204);
      expect(await world().model.namespaces.list()).to.deep.equal([]);
    });

    it('lists at most three repositories in the refusal', async () => {
      await send('POST', '/groups', { path: 'team' });
      await send('POST', '/projects', { path: 'team/app' });
      for (const name of ['a', 'b', 'c', 'd']) world().repositories.add(`team/app/${name}`, ['v1']);
      const reply = await send('DELETE', '/projects/team%2Fapp');
      expect(reply.json.message).to.include(
        'holds 4 registry repositories (team/app/a, team/app/b, team/app/c, …)',
      );
    });
  });

  describe('members', () => {
    beforeEach(async () => {
      await world().model.namespaces.createGroup({ path: 'team' });
      await world().model.namespaces.createProject({ path: 'team/app' });
      await createUser(world(), 'alice');
      await createUser(world(), 'bob');
    });

    for (const [kind, path] of [
      ['projects', 'team%2Fapp'],
      ['groups', 'team'],
    ] as const) {
      it(`adds, changes, lists and removes members of ${kind}`, async () => {
        const added = await send('PUT', `/${kind}/${path}/members/alice`, { role: 'developer' });
        expect(added.status, added.text).to.equal(200);
        expect(added.json).to.deep.equal({
          username: 'alice',
          role: 'developer',
          created_at: startOfTime.toISOString(),
        });
        await send('PUT', `/${kind}/${path}/members/bob`, { role: 'reporter' });
        const changed = await send('PUT', `/${kind}/${path}/members/alice`, { role: 'maintainer' });
        expect(changed.json.role).to.equal('maintainer');
        expect(
          (await get(`/${kind}/${path}/members`)).list.map((member) => [
            member.username,
            member.role,
          ]),
        ).to.deep.equal([
          ['alice', 'maintainer'],
          ['bob', 'reporter'],
        ]);

        const removed = await send('DELETE', `/${kind}/${path}/members/alice`);
        expect(removed.status).to.equal(204);
        expect(
          (await get(`/${kind}/${path}/members`)).list.map((member) => member.username),
        ).to.deep.equal(['bob']);
        expectError(await send('DELETE', `/${kind}/${path}/members/alice`), 404, 'NOT_FOUND');
      });
    }

    it('refuses bad roles, unknown users and unknown namespaces', async () => {
      expectError(
        await send('PUT', '/projects/team%2Fapp/members/alice', { role: 'king' }),
        400,
        'INVALID',
        'role',
      );
      expectError(
        await send('PUT', '/projects/team%2Fapp/members/alice', {}),
        400,
        'INVALID',
        'role',
      );
      expectError(
        await send('PUT', '/projects/team%2Fapp/members/alice', { role: 'guest', expires: 1 }),
        400,
        'INVALID',
        'expires',
      );
      expectError(
        await send('PUT', '/projects/team%2Fapp/members/nobody', { role: 'guest' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await send('PUT', '/projects/team%2Fnone/members/alice', { role: 'guest' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await send('PUT', '/groups/team%2Fapp/members/alice', { role: 'guest' }),
        404,
        'NOT_FOUND',
      );
      expectError(await get('/projects/team/members'), 404, 'NOT_FOUND');
      expect(await world().model.members.list('team/app')).to.deep.equal([]);
    });
  });

  describe('deploy tokens', () => {
    beforeEach(async () => {
      await world().model.namespaces.createGroup({ path: 'team' });
      await world().model.namespaces.createProject({ path: 'team/app' });
      await world().model.namespaces.createProject({ path: 'team/site' });
    });

    it('creates one, showing the secret once, lists and revokes it', async () => {
      const reply = await send('POST', '/projects/team%2Fapp/deploy_tokens', {
        name: 'ci',
        scopes: ['read_registry', 'write_registry'],
      });
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.json.token)
        .to.be.a('string')
        .and.match(/^lddt-/);
      expect(reply.json).to.include({
        name: 'ci',
        username: `lading+deploy-token-${String(reply.json.id)}`,
        project: 'team/app',
        revoked: false,
        expires_at: null,
      });
      const token = String(reply.json.token);
      const deploy = await world().model.deployTokens.findUsable(
        String(reply.json.username),
        token,
      );
      expect(deploy?.id).to.equal(reply.json.id);

      const list = await get('/projects/team%2Fapp/deploy_tokens');
      expect(list.list.map((item) => item.id)).to.deep.equal([reply.json.id]);
      expect(list.text).not.to.include(token);
      expect(list.list[0]).not.to.have.property('token');
      expect((await get('/projects/team%2Fsite/deploy_tokens')).list).to.deep.equal([]);

      expectError(
        await send('DELETE', `/projects/team%2Fsite/deploy_tokens/${String(reply.json.id)}`),
        404,
        'NOT_FOUND',
      );
      expect(
        await world().model.deployTokens.findUsable(String(reply.json.username), token),
      ).not.to.equal(undefined);
      const revoked = await send(
        'DELETE',
        `/projects/team%2Fapp/deploy_tokens/${String(reply.json.id)}`,
      );
      expect(revoked.status, revoked.text).to.equal(200);
      expect(revoked.json).to.include({ revoked: true, revoked_at: startOfTime.toISOString() });
      expect(
        await world().model.deployTokens.findUsable(String(reply.json.username), token),
      ).to.equal(undefined);
      // A deploy token is no API credential.
      expectError(
        await get('/users', basic(String(reply.json.username), token)),
        401,
        'UNAUTHORIZED',
      );
    });

    it('refuses api scope, groups and unknown projects', async () => {
      expectError(
        await send('POST', '/projects/team%2Fapp/deploy_tokens', { name: 'ci', scopes: ['api'] }),
        400,
        'INVALID',
        'scopes',
      );
      expectError(
        await send('POST', '/projects/team%2Fapp/deploy_tokens', {
          name: 'ci',
          scopes: ['read_registry'],
          expires_at: '2000-01-01',
        }),
        400,
        'INVALID',
        'expires_at',
      );
      expectError(
        await send('POST', '/projects/team/deploy_tokens', {
          name: 'ci',
          scopes: ['read_registry'],
        }),
        404,
        'NOT_FOUND',
      );
      expectError(await get('/projects/team%2Fnone/deploy_tokens'), 404, 'NOT_FOUND');
      expectError(await send('DELETE', '/projects/team%2Fapp/deploy_tokens/77'), 404, 'NOT_FOUND');
      expectError(
        await send('DELETE', '/projects/team%2Fapp/deploy_tokens/x'),
        400,
        'INVALID',
        'id',
      );
      expect(await world().model.deployTokens.list('team/app')).to.deep.equal([]);
    });
  });

  describe('settings', () => {
    it('shows the settings in snake_case, with their defaults', async () => {
      const reply = await get('/settings');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({
        registry_enabled: true,
        container_registry_default: true,
        token_lifetime_seconds: 300,
        allow_unnamable_paths: false,
      });
    });

    it('changes settings by their snake_case names, and they stay changed', async () => {
      const reply = await send('PATCH', '/settings', {
        token_lifetime_seconds: 900,
        container_registry_default: false,
        allow_unnamable_paths: true,
      });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.deep.equal({
        registry_enabled: true,
        container_registry_default: false,
        token_lifetime_seconds: 900,
        allow_unnamable_paths: true,
      });
      expect((await get('/settings')).json).to.deep.equal(reply.json);
      expect(await world().model.settings.get()).to.include({ tokenLifetimeSeconds: 900 });

      // The new default applies to new projects.
      await send('POST', '/groups', { path: 'team' });
      const project = await send('POST', '/projects', { path: 'team/app' });
      expect(project.json.container_registry_enabled).to.equal(false);
    });

    it('refuses bad values and unknown names, naming the field as the API spells it', async () => {
      const wrong: [Json, string][] = [
        [{ token_lifetime_seconds: 5 }, 'token_lifetime_seconds'],
        [{ token_lifetime_seconds: 90_000 }, 'token_lifetime_seconds'],
        [{ token_lifetime_seconds: '600' }, 'token_lifetime_seconds'],
        [{ registry_enabled: 'no' }, 'registry_enabled'],
        [{ allow_unnamable_paths: 1 }, 'allow_unnamable_paths'],
        [{ container_registry_default: null }, 'container_registry_default'],
        [{ tokenLifetimeSeconds: 600 }, 'tokenLifetimeSeconds'],
        [{ registry: false }, 'registry'],
      ];
      for (const [body, field] of wrong) {
        const reply = await send('PATCH', '/settings', body);
        expectError(reply, 400, 'INVALID', field);
        expect(reply.json.message).to.match(new RegExp(`^${field}: `));
      }
      expect((await get('/settings')).json.token_lifetime_seconds).to.equal(300);
    });

    it('disables the registry with a note that no image was deleted, deleting none', async () => {
      world().repositories.add('team/app', ['v1', 'v2']);
      const reply = await send('PATCH', '/settings', { registry_enabled: false });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.include({ registry_enabled: false, note: registryDisabledNote });
      expect(world().repositories.deletions).to.deep.equal([]);
      expect(world().repositories.tagNames('team/app')).to.deep.equal(['v1', 'v2']);
      const enabled = await send('PATCH', '/settings', { registry_enabled: true });
      expect(enabled.json).not.to.have.property('note');
    });
  });

  describe('unknown routes', () => {
    it('answers an admin 404 in JSON, and anyone else as on any admin route', async () => {
      for (const [method, path] of [
        ['GET', '/nothing'],
        ['POST', '/settings'],
        ['GET', '/projects/team%2Fapp/registry/repositories/team%2Fapp'],
      ] as const) {
        const reply = await send(method, path);
        expectError(reply, 404, 'NOT_FOUND');
        expect(reply.json.message).to.equal(`no route ${method} ${path}`);
        expectError(await send(method, path, undefined, {}), 401, 'UNAUTHORIZED');
      }
    });
  });

  describe('server errors', () => {
    it('answers 500 UNKNOWN for an error that is no ProjectsError, and tells onServerError', async () => {
      await world().model.namespaces.createGroup({ path: 'team' });
      await world().model.namespaces.createProject({ path: 'team/app' });
      const failure = new Error('disk on fire');
      world().repositories.fail('under', failure);
      const reply = await send('DELETE', '/projects/team%2Fapp');
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ error: 'UNKNOWN', message: 'internal error' });
      expect(reply.text).not.to.include('disk on fire');
      expect(world().serverErrors).to.deep.equal([failure]);
      expect(await world().model.namespaces.find('team/app')).not.to.equal(undefined);
    });

    it('passes a ProjectsError from the registry through with its status, as no server error', async () => {
      await world().model.namespaces.createGroup({ path: 'team' });
      world().repositories.fail('under', new ProjectsError('UNAVAILABLE', 'the registry is down'));
      const reply = await send('DELETE', '/groups/team');
      expect(reply.status).to.equal(503);
      expect(reply.json).to.deep.equal({ error: 'UNAVAILABLE', message: 'the registry is down' });
      expect(world().serverErrors).to.deep.equal([]);
    });
  });
});
