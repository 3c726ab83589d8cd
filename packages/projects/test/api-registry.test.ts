import { expect } from 'chai';
import { ProjectsError, type Role } from '../src/index.js';
import {
  ApiServer,
  basic,
  bearer,
  describeApi,
  expectError,
  password,
  registryHost,
  startOfTime,
  type ApiWorld,
  type Reply,
} from './support/api.js';

const hour = 3600_000;
const day = 24 * hour;
const ago = (ms: number): Date => new Date(startOfTime.getTime() - ms);

const repositoriesOf = (project: string): string =>
  `/projects/${encodeURIComponent(project)}/registry/repositories`;
const repositoryPath = (project: string, repository: string): string =>
  `${repositoriesOf(project)}/${encodeURIComponent(repository)}`;

/**
 * The world of these tests: a public group `team` holding the private
 * project `team/app`, the public `team/site` and the internal `team/intranet`;
 * users by role on `team/app`, a maintainer of the group, and an outsider.
 * The fake registry holds repositories in and around those projects.
 */
async function buildWorld(world: ApiWorld): Promise<Record<string, Record<string, string>>> {
  const { model, repositories } = world;
  await model.namespaces.createGroup({ path: 'team', visibility: 'public' });
  await model.namespaces.createProject({ path: 'team/app', visibility: 'private' });
  await model.namespaces.createProject({ path: 'team/site', visibility: 'public' });
  await model.namespaces.createProject({ path: 'team/intranet', visibility: 'internal' });
  await model.namespaces.createProject({ path: 'team/apple', visibility: 'private' });
  const credentials: Record<string, Record<string, string>> = { root: world.admin };
  const user = async (username: string, path?: string, role?: Role): Promise<void> => {
    await model.users.create({ username, email: `${username}@example.com`, password });
    if (path !== undefined && role !== undefined) await model.members.set(path, username, role);
    credentials[username] = basic(username, password);
  };
  await user('guest', 'team/app', 'guest');
  await user('reporter', 'team/app', 'reporter');
  await user('developer', 'team/app', 'developer');
  await user('maintainer', 'team/app', 'maintainer');
  await user('owner', 'team/app', 'owner');
  await user('lead', 'team', 'maintainer');
  await user('outsider');

  repositories.add('team/app', [{ name: 'v1', createdAt: ago(10 * day) }]);
  repositories.add('team/app/backend', [
    { name: 'latest', createdAt: ago(hour), digest: `sha256:${'a'.repeat(64)}`, size: 4242 },
    { name: 'v1.0', createdAt: ago(30 * day) },
    { name: 'v1.1', createdAt: ago(20 * day) },
    { name: 'v2.0', createdAt: ago(2 * day) },
    { name: 'dev-1', createdAt: ago(9 * day) },
    { name: 'dev-2', createdAt: ago(8 * day) },
    { name: 'dev-3', createdAt: ago(hour) },
    { name: 'untimed' },
  ]);
  repositories.add('team/app/frontend', ['latest']);
  repositories.add('team/apple/x', ['v1']);
  repositories.add('team/site/web', [{ name: 'v1', createdAt: ago(day) }]);
  repositories.add('team/intranet/wiki', ['v1']);
  return credentials;
}

describeApi('the registry API', (world) => {
  let as: Record<string, Record<string, string>>;
  beforeEach(async () => {
    as = await buildWorld(world());
  });

  const request = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<Reply> =>
    world().api.request(method, path, { headers, ...(body === undefined ? {} : { body }) });
  const backend = repositoryPath('team/app', 'team/app/backend');

  describe('listing', () => {
    it("lists a project's repositories: its own path and below, not a sibling's", async () => {
      const reply = await request('GET', repositoriesOf('team/app'), as.reporter);
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.headers.get('cache-control')).to.equal('no-store');
      expect(reply.list).to.deep.equal([
        { name: '', path: 'team/app', project: 'team/app', location: `${registryHost}/team/app` },
        {
          name: 'backend',
          path: 'team/app/backend',
          project: 'team/app',
          location: `${registryHost}/team/app/backend`,
        },
        {
          name: 'frontend',
          path: 'team/app/frontend',
          project: 'team/app',
          location: `${registryHost}/team/app/frontend`,
        },
      ]);
    });

    it('lists tags with ?tags=true', async () => {
      const reply = await request('GET', `${repositoriesOf('team/app')}?tags=true`, as.reporter);
      expect(reply.status, reply.text).to.equal(200);
      expect(
        reply.list.map((repository) => [repository.path, repository.tags_count]),
      ).to.deep.equal([
        ['team/app', 1],
        ['team/app/backend', 8],
        ['team/app/frontend', 1],
      ]);
      const [own] = reply.list;
      expect(own?.tags).to.deep.equal([
        {
          name: 'v1',
          path: 'team/app:v1',
          location: `${registryHost}/team/app:v1`,
          digest: `sha256:${'1'.padStart(64, '0')}`,
          total_size: 1000,
          created_at: ago(10 * day).toISOString(),
        },
      ]);
      const plain = await request('GET', `${repositoriesOf('team/app')}?tags=false`, as.reporter);
      expect(plain.list[0]).not.to.have.property('tags');
      expectError(
        await request('GET', `${repositoriesOf('team/app')}?tags=maybe`, as.reporter),
        400,
        'INVALID',
        'tags',
      );
    });

    it('lists an empty project as an empty list', async () => {
      await world().model.namespaces.createProject({ path: 'team/empty', visibility: 'public' });
      const reply = await request('GET', repositoriesOf('team/empty'));
      expect(reply.status).to.equal(200);
      expect(reply.list).to.deep.equal([]);
    });

    it("lists a repository's tags and shows one tag", async () => {
      const tags = await request('GET', `${backend}/tags`, as.reporter);
      expect(tags.status, tags.text).to.equal(200);
      expect(tags.list.map((tag) => tag.name)).to.deep.equal([
        'dev-1',
        'dev-2',
        'dev-3',
        'latest',
        'untimed',
        'v1.0',
        'v1.1',
        'v2.0',
      ]);
      expect(tags.list.find((tag) => tag.name === 'untimed')?.created_at).to.equal(null);

      const latest = await request('GET', `${backend}/tags/latest`, as.reporter);
      expect(latest.status, latest.text).to.equal(200);
      expect(latest.json).to.deep.equal({
        name: 'latest',
        path: 'team/app/backend:latest',
        location: `${registryHost}/team/app/backend:latest`,
        digest: `sha256:${'a'.repeat(64)}`,
        total_size: 4242,
        created_at: ago(hour).toISOString(),
      });
    });

    it('answers 404 for a missing tag or repository', async () => {
      expectError(await request('GET', `${backend}/tags/v9`, as.reporter), 404, 'NOT_FOUND');
      const missing = repositoryPath('team/app', 'team/app/nothing');
      expectError(await request('GET', `${missing}/tags`, as.reporter), 404, 'NOT_FOUND');
      expectError(await request('GET', `${missing}/tags/v1`, as.reporter), 404, 'NOT_FOUND');
      expectError(await request('DELETE', missing, as.maintainer), 404, 'NOT_FOUND');
      expectError(await request('DELETE', `${backend}/tags/v9`, as.maintainer), 404, 'NOT_FOUND');
      expect(world().repositories.deletions).to.deep.equal([]);
    });
  });

  it("defaults locations to the request's Host and older_than to the real clock", async () => {
    const { model, repositories } = world();
    const api = await ApiServer.start({ model, repositories });
    try {
      const realNow = Date.now();
      repositories.add('team/site/clock', [
        { name: 'old', createdAt: new Date(realNow - 2 * day) },
        { name: 'new', createdAt: new Date(realNow - hour) },
      ]);
      const host = new URL(api.url).host;
      const listed = await api.request('GET', repositoriesOf('team/site'));
      expect(listed.list.map((repository) => repository.location)).to.deep.equal([
        `${host}/team/site/clock`,
        `${host}/team/site/web`,
      ]);
      const clock = repositoryPath('team/site', 'team/site/clock');
      const tag = await api.request('GET', `${clock}/tags/new`);
      expect(tag.json.location).to.equal(`${host}/team/site/clock:new`);
      const reply = await api.request(
        'DELETE',
        `${clock}/tags?name_regex_delete=.*&older_than=1d`,
        {
          headers: as.root,
        },
      );
      expect(reply.json.deleted).to.deep.equal(['old']);
    } finally {
      await api.close();
    }
  });

  describe('deleting', () => {
    it('deletes one tag', async () => {
      const reply = await request('DELETE', `${backend}/tags/v1.0`, as.maintainer);
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.deep.equal({ repository: 'team/app/backend', deleted: ['v1.0'] });
      expect(world().repositories.deletions).to.deep.equal(['team/app/backend:v1.0']);
      expectError(await request('GET', `${backend}/tags/v1.0`, as.maintainer), 404, 'NOT_FOUND');
    });

    it('deletes a repository, leaving those nested below it', async () => {
      const reply = await request('DELETE', repositoryPath('team/app', 'team/app'), as.maintainer);
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.json).to.deep.equal({ deleted: 'team/app' });
      expect(world().repositories.deletions).to.deep.equal(['repository team/app']);
      const left = await request('GET', repositoriesOf('team/app'), as.maintainer);
      expect(left.list.map((repository) => repository.path)).to.deep.equal([
        'team/app/backend',
        'team/app/frontend',
      ]);
    });
  });

  describe('bulk tag deletion', () => {
    const bulk = (query: string, body?: unknown): Promise<Reply> =>
      request('DELETE', `${backend}/tags${query}`, as.maintainer, body);

    /** What the fake deleted, as tag names of the backend repository. */
    const deletedTags = (): string[] =>
      world().repositories.deletedTags.map((name) => name.replace('team/app/backend:', ''));

    const cases: [title: string, query: string, body: unknown, deleted: string[]][] = [
      [
        'everything but latest',
        '?name_regex_delete=.*',
        undefined,
        ['dev-3', 'v2.0', 'dev-2', 'dev-1', 'v1.1', 'v1.0', 'untimed'],
      ],
      ['by name, whole names only', '?name_regex_delete=v1', undefined, []],
      [
        'by name',
        `?name_regex_delete=${encodeURIComponent('v1\\..*')}`,
        undefined,
        ['v1.1', 'v1.0'],
      ],
      [
        'by the deprecated name_regex',
        '?name_regex=dev-.*',
        undefined,
        ['dev-3', 'dev-2', 'dev-1'],
      ],
      [
        'keeping by name',
        '?name_regex_delete=.*&name_regex_keep=v.*',
        undefined,
        ['dev-3', 'dev-2', 'dev-1', 'untimed'],
      ],
      [
        'keeping the newest N of those selected',
        '?name_regex_delete=dev-.*&keep_n=1',
        undefined,
        ['dev-2', 'dev-1'],
      ],
      [
        'keeping the newest N of those selected, not of all tags',
        '?name_regex_delete=v.*&keep_n=1',
        undefined,
        ['v1.1', 'v1.0'],
      ],
      [
        'only older ones',
        '?name_regex_delete=.*&older_than=7d',
        undefined,
        ['dev-2', 'dev-1', 'v1.1', 'v1.0', 'untimed'],
      ],
      [
        'all rules at once',
        '?name_regex_delete=.*&name_regex_keep=untimed&keep_n=2&older_than=1w',
        undefined,
        ['dev-2', 'dev-1', 'v1.1', 'v1.0'],
      ],
      [
        'by a JSON body',
        '',
        { name_regex_delete: 'dev-.*', keep_n: 1, older_than: '8d' },
        ['dev-1'],
      ],
      [
        'by a JSON body with keep',
        '',
        { name_regex_delete: '.*', name_regex_keep: '(dev|v1)-?.*' },
        ['v2.0', 'untimed'],
      ],
      ['by a JSON body with the deprecated name_regex', '', { name_regex: 'v2.0' }, ['v2.0']],
      ['by body over query', '?name_regex_delete=.*', { name_regex_delete: 'v1.0' }, ['v1.0']],
      ['with keep_n as a string in JSON', '', { name_regex_delete: 'v.*', keep_n: '2' }, ['v1.0']],
    ];
    for (const [title, query, body, deleted] of cases) {
      it(`deletes ${title}`, async () => {
        const reply = await bulk(query, body);
        expect(reply.status, reply.text).to.equal(200);
        expect(reply.json).to.deep.equal({ repository: 'team/app/backend', deleted });
        expect(deletedTags()).to.deep.equal(deleted);
        const left = world().repositories.tagNames('team/app/backend') ?? [];
        expect(left).to.include('latest');
        expect(left.filter((tag) => deleted.includes(tag))).to.deep.equal([]);
      });
    }

    it('reads older_than against the API clock', async () => {
      world().clock.now = new Date(startOfTime.getTime() + 10 * day);
      const reply = await bulk('?name_regex_delete=.*&older_than=11d');
      // dev-3 is 10 days and an hour old by that clock: it stays.
      expect(reply.json.deleted).to.deep.equal([
        'v2.0',
        'dev-2',
        'dev-1',
        'v1.1',
        'v1.0',
        'untimed',
      ]);
    });

    const refused: [title: string, query: string, body: unknown, field: string][] = [
      ['without name_regex_delete', '', undefined, 'name_regex_delete'],
      ['with only name_regex_keep', '?name_regex_keep=v.*', undefined, 'name_regex_delete'],
      ['with a JSON body that lacks it', '', { keep_n: 3 }, 'name_regex_delete'],
      ['an unknown parameter', '?name_regex_delete=.*&dry_run=true', undefined, 'dry_run'],
      ['the parameter "name"', '?name=v1.0', undefined, 'name'],
      ['a bad keep_n', '?name_regex_delete=.*&keep_n=-1', undefined, 'keep_n'],
      ['a fractional keep_n', '', { name_regex_delete: '.*', keep_n: 1.5 }, 'keep_n'],
      ['a bad older_than', '?name_regex_delete=.*&older_than=7', undefined, 'older_than'],
      [
        'a look-ahead, which RE2 has not',
        `?name_regex_delete=${encodeURIComponent('(?=v)v.*')}`,
        undefined,
        'name_regex_delete',
      ],
      [
        'a back-reference to keep',
        '',
        { name_regex_delete: '.*', name_regex_keep: '(a)\\1' },
        'name_regex_keep',
      ],
      [
        'an invalid regex',
        `?name_regex_delete=${encodeURIComponent('v[')}`,
        undefined,
        'name_regex_delete',
      ],
      [
        'a pattern over 255 characters',
        '',
        { name_regex_delete: 'a'.repeat(256) },
        'name_regex_delete',
      ],
      ['a pattern that is no string', '', { name_regex_delete: 42 }, 'name_regex_delete'],
    ];
    for (const [title, query, body, field] of refused) {
      it(`refuses ${title}, deleting nothing`, async () => {
        expectError(await bulk(query, body), 400, 'INVALID', field);
        expect(world().repositories.deletions).to.deep.equal([]);
      });
    }

    it('refuses for a reporter even when the rules are wrong', async () => {
      const reply = await request('DELETE', `${backend}/tags`, as.reporter);
      expectError(reply, 403, 'FORBIDDEN');
    });
  });

  describe('permissions', () => {
    const reads = (project: string, repository: string): string[] => [
      repositoriesOf(project),
      `${repositoryPath(project, repository)}/tags`,
      `${repositoryPath(project, repository)}/tags/v1`,
    ];
    const deletes = (project: string, repository: string): string[] => [
      repositoryPath(project, repository),
      `${repositoryPath(project, repository)}/tags`,
      `${repositoryPath(project, repository)}/tags/v1`,
    ];
    const all = (method: string, paths: string[], headers: Record<string, string> | undefined) =>
      Promise.all(
        paths.map((path) =>
          request(
            method,
            `${path}${method === 'DELETE' && path.endsWith('/tags') ? '?name_regex_delete=.*' : ''}`,
            headers,
          ),
        ),
      );

    it('hides a private project from anonymous callers and non-members: 404', async () => {
      for (const who of [undefined, as.outsider, as.guest]) {
        for (const reply of [
          ...(await all('GET', reads('team/app', 'team/app'), who)),
          ...(await all('DELETE', deletes('team/app', 'team/app'), who)),
        ]) {
          expectError(reply, 404, 'NOT_FOUND');
          expect(reply.json.message).to.equal('project "team/app" not found');
        }
      }
      expect(world().repositories.deletions).to.deep.equal([]);
    });

    it('answers a project that does not exist, or a group, like a hidden one', async () => {
      for (const project of ['team/none', 'team']) {
        const reply = await request('GET', repositoriesOf(project), as.outsider);
        expectError(reply, 404, 'NOT_FOUND');
        expect(reply.json.message).to.equal(`project "${project}" not found`);
      }
      expectError(await request('GET', repositoriesOf('team'), as.root), 404, 'NOT_FOUND');
    });

    it('lets a reporter list but not delete: 403', async () => {
      for (const reply of await all('GET', reads('team/app', 'team/app'), as.reporter)) {
        expect(reply.status, reply.text).to.equal(200);
      }
      for (const who of [as.reporter, as.developer]) {
        for (const reply of await all('DELETE', deletes('team/app', 'team/app'), who)) {
          expectError(reply, 403, 'FORBIDDEN');
          expect(reply.json.message).to.match(/maintainer/);
        }
      }
      expect(world().repositories.deletions).to.deep.equal([]);
    });

    for (const who of ['maintainer', 'owner', 'lead', 'root'] as const) {
      it(`lets ${who === 'lead' ? 'a maintainer of the group' : `the ${who}`} delete`, async () => {
        const reply = await request('DELETE', `${backend}/tags/v1.0`, as[who]);
        expect(reply.status, reply.text).to.equal(200);
        expect(world().repositories.deletions).to.deep.equal(['team/app/backend:v1.0']);
      });
    }

    it('takes an api token of a maintainer, not a read_registry one', async () => {
      const api = await world().model.accessTokens.create('maintainer', {
        name: 'api',
        scopes: ['api'],
      });
      const read = await world().model.accessTokens.create('maintainer', {
        name: 'read',
        scopes: ['read_registry'],
      });
      expectError(
        await request('GET', repositoriesOf('team/app'), bearer(read.token)),
        401,
        'UNAUTHORIZED',
      );
      expectError(
        await request('DELETE', `${backend}/tags/v1.0`, bearer(read.token)),
        401,
        'UNAUTHORIZED',
      );
      const reply = await request('DELETE', `${backend}/tags/v1.0`, { 'private-token': api.token });
      expect(reply.status, reply.text).to.equal(200);
      expect(world().repositories.deletions).to.deep.equal(['team/app/backend:v1.0']);
    });

    it('lists a public project for anyone; deleting is 401 anonymous, 403 signed in', async () => {
      for (const who of [undefined, as.outsider]) {
        for (const reply of await all('GET', reads('team/site', 'team/site/web'), who)) {
          expect(reply.status, reply.text).to.equal(200);
        }
      }
      for (const reply of await all('DELETE', deletes('team/site', 'team/site/web'), undefined)) {
        expectError(reply, 401, 'UNAUTHORIZED');
        expect(reply.headers.get('www-authenticate')).to.equal('Basic realm="Lading API"');
      }
      for (const reply of await all('DELETE', deletes('team/site', 'team/site/web'), as.outsider)) {
        expectError(reply, 403, 'FORBIDDEN');
      }
      expect(world().repositories.deletions).to.deep.equal([]);
    });

    it('lists an internal project for anyone signed in, and hides it from anonymous callers', async () => {
      expect((await request('GET', repositoriesOf('team/intranet'), as.outsider)).status).to.equal(
        200,
      );
      expectError(await request('GET', repositoriesOf('team/intranet')), 404, 'NOT_FOUND');
    });

    it('refuses a repository outside the project: 400, deleting nothing', async () => {
      for (const outside of [
        'team/site/web',
        'team/apple/x',
        'team',
        'team/ap',
        'other/team/app',
      ]) {
        for (const [method, path] of [
          ['GET', `${repositoryPath('team/app', outside)}/tags`],
          ['GET', `${repositoryPath('team/app', outside)}/tags/v1`],
          ['DELETE', `${repositoryPath('team/app', outside)}/tags/v1`],
          ['DELETE', `${repositoryPath('team/app', outside)}/tags?name_regex_delete=.*`],
          ['DELETE', repositoryPath('team/app', outside)],
        ] as const) {
          expectError(await request(method, path, as.root), 400, 'INVALID', 'repository');
        }
      }
      expect(world().repositories.deletions).to.deep.equal([]);
    });

    for (const [what, switchOff] of [
      [
        'the project',
        (w: ApiWorld) => w.model.namespaces.update('team/app', { containerRegistryEnabled: false }),
      ],
      ['the site', (w: ApiWorld) => w.model.settings.update({ registryEnabled: false })],
    ] as const) {
      it(`with the registry disabled for ${what}: 404 for members, but admins still reach it`, async () => {
        await switchOff(world());
        for (const who of [as.maintainer, as.owner, as.lead]) {
          for (const reply of [
            ...(await all('GET', reads('team/app', 'team/app'), who)),
            ...(await all('DELETE', deletes('team/app', 'team/app'), who)),
          ]) {
            expectError(reply, 404, 'NOT_FOUND');
          }
        }
        expect(world().repositories.deletions).to.deep.equal([]);

        const listed = await request('GET', `${repositoriesOf('team/app')}?tags=true`, as.root);
        expect(listed.status, listed.text).to.equal(200);
        expect(listed.list.map((repository) => repository.path)).to.deep.equal([
          'team/app',
          'team/app/backend',
          'team/app/frontend',
        ]);
        const deleted = await request(
          'DELETE',
          `${backend}/tags?name_regex_delete=dev-.*`,
          as.root,
        );
        expect(deleted.json.deleted).to.deep.equal(['dev-3', 'dev-2', 'dev-1']);
        expect(
          (await request('DELETE', repositoryPath('team/app', 'team/app'), as.root)).status,
        ).to.equal(200);
      });
    }
  });

  describe('failures of the registry', () => {
    it('passes its ProjectsErrors through with their status', async () => {
      world().repositories.fail(
        'deleteTag',
        new ProjectsError('FORBIDDEN', 'the registry refuses deletes'),
      );
      const reply = await request('DELETE', `${backend}/tags/v1.0`, as.maintainer);
      expect(reply.status).to.equal(403);
      expect(reply.json).to.deep.equal({
        error: 'FORBIDDEN',
        message: 'the registry refuses deletes',
      });
      expect(world().serverErrors).to.deep.equal([]);
    });

    it('reports other errors as 500 and tells onServerError', async () => {
      const failure = new TypeError('manifest unreadable');
      world().repositories.fail('tags', failure);
      const reply = await request('GET', `${backend}/tags`, as.reporter);
      expect(reply.status).to.equal(500);
      expect(reply.json).to.deep.equal({ error: 'UNKNOWN', message: 'internal error' });
      expect(world().serverErrors).to.deep.equal([failure]);
    });

    it('answers 500 when a delete of a bulk deletion fails', async () => {
      world().repositories.fail('deleteTag', new Error('storage gone'));
      const reply = await request(
        'DELETE',
        `${backend}/tags?name_regex_delete=dev-.*`,
        as.maintainer,
      );
      expect(reply.status).to.equal(500);
      expect(world().repositories.deletions).to.deep.equal([]);
      expect(world().serverErrors).to.have.length(1);
    });
  });
});
