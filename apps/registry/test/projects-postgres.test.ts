import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startPostgres, type RunningPostgres } from '@lading/registry-peers';
import { generateSigningKey } from '../src/keys.js';
import { runLading, startLading, type LadingProcess } from './support/lading-process.js';
import { pushImage } from './support/push-image.js';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * `lading serve` on a PostgreSQL projects database: two servers on one
 * database and one storage root, the second with deletes disabled. The CLI
 * makes the first administrator on the same config; everything else goes
 * over HTTP — the projects API, the token endpoint the permission table
 * decides, and the projects registry API's answers for what is not there.
 */
describe('the projects model on PostgreSQL', function () {
  this.timeout(120_000);
  let postgres: RunningPostgres;
  let work: string;
  let config: string;
  let lading: LadingProcess;
  let noDeletes: LadingProcess;
  const root = `Basic ${Buffer.from('root:root password').toString('base64')}`;

  const api = async (
    server: LadingProcess,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer> => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: root,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  };
  /** The actions the token endpoint grants on `repository` to `user` (anonymous without one). */
  const granted = async (repository: string, user?: string): Promise<string[]> => {
    const scope = `repository:${repository}:pull,push,delete`;
    const response = await fetch(
      `${lading.url}/jwt/auth?service=registry.test&scope=${encodeURIComponent(scope)}`,
      user === undefined
        ? {}
        : {
            headers: {
              authorization: `Basic ${Buffer.from(`${user}:${user} password`).toString('base64')}`,
            },
          },
    );
    expect(response.status, `token for ${user ?? 'anonymous'}`).to.equal(200);
    const { token } = (await response.json()) as { token: string };
    const claims = JSON.parse(
      Buffer.from(String(token.split('.')[1]), 'base64url').toString('utf8'),
    ) as { access: { type: string; name: string; actions: string[] }[] };
    return claims.access
      .filter((entry) => entry.type === 'repository' && entry.name === repository)
      .flatMap((entry) => entry.actions)
      .sort();
  };
  const bearer = async (scope: string, user: string): Promise<string> => {
    const response = await fetch(
      `${lading.url}/jwt/auth?service=registry.test&scope=${encodeURIComponent(scope)}`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${user}:${user} password`).toString('base64')}`,
        },
      },
    );
    return `Bearer ${((await response.json()) as { token: string }).token}`;
  };

  before(async () => {
    postgres = await startPostgres();
    work = await mkdtemp(join(tmpdir(), 'lading-projects-pg-'));
    await generateSigningKey({
      directory: work,
      algorithm: 'ES256',
      commonName: 'Lading test token signer',
      days: 1,
    });
    const database = await postgres.createDatabase();
    const yaml = (deletes: boolean) => `version: 0.1
storage:
  filesystem:
    rootdirectory: ${work}/data
  delete:
    enabled: ${String(deletes)}
http:
  addr: 127.0.0.1:0
auth:
  token:
    realm: http://127.0.0.1/jwt/auth
    service: registry.test
    issuer: lading-test
    rootcertbundle: ${work}/token.pem
lading:
  tokenservice:
    issuer: lading-test
    key: ${work}/token.key
    certificate: ${work}/token.pem
  projects:
    database:
      postgres: ${database}
      maxconnections: 4
    bcryptcost: 4
`;
    config = join(work, 'config.yml');
    await writeFile(config, yaml(true));
    // Both start at once on a fresh database: the migrations run once, under their lock.
    [lading, noDeletes] = await Promise.all([
      startLading({ config: yaml(true) }),
      startLading({ config: yaml(false) }),
    ]);
  });
  after(async () => {
    await Promise.all([lading.stop(), noDeletes.stop()]);
    await postgres.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('warns while the database has no users, and takes an administrator made by the CLI', async () => {
    // The server looks at the users once it listens, so the warning may follow a moment later.
    const warning = await lading.waitForLog((entry) =>
      String(entry.msg).includes('the projects database has no users yet'),
    );
    expect(warning.level).to.equal('warn');
    const created = await runLading(
      [
        'users',
        'create',
        'root',
        '--email',
        'root@example.com',
        '--admin',
        '--password-stdin',
        '-c',
        config,
      ],
      {},
      { input: 'root password\n' },
    );
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.equal('created root (administrator)\n');
    // Both servers read the same database.
    for (const server of [lading, noDeletes]) {
      const users = await api(server, 'GET', '/users');
      expect(users.status).to.equal(200);
      expect(users.body).to.have.nested.property('[0].username', 'root');
    }
  });

  it('grants through the token endpoint what the permission table says', async () => {
    for (const user of ['alice', 'bob']) {
      const created = await api(lading, 'POST', '/users', {
        username: user,
        email: `${user}@example.com`,
        password: `${user} password`,
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
    }
    expect((await api(lading, 'POST', '/projects', { path: 'demo' })).body).to.include({
      path: 'demo',
      visibility: 'private',
      container_registry_enabled: true,
    });
    expect(
      (await api(lading, 'PUT', '/projects/demo/members/alice', { role: 'developer' })).status,
    ).to.equal(200);

    expect(await granted('demo/app', 'alice')).to.deep.equal(['pull', 'push']);
    expect(await granted('demo/app', 'bob')).to.deep.equal([]);
    expect(await granted('demo/app')).to.deep.equal([]);
    expect(await granted('demo/app', 'root')).to.deep.equal(['delete', 'pull', 'push']);
    // Not in any project: administrators only.
    expect(await granted('elsewhere/app', 'alice')).to.deep.equal([]);

    expect(
      (await api(lading, 'PATCH', '/projects/demo', { visibility: 'internal' })).status,
    ).to.equal(200);
    expect(await granted('demo/app', 'bob')).to.deep.equal(['pull']);
    expect(await granted('demo/app')).to.deep.equal([]);
  });

  it('answers 404 for an unknown repository or tag, and [] for a path the registry cannot name', async () => {
    await pushImage(
      lading.url,
      'demo/app',
      'v1',
      await bearer('repository:demo/app:pull,push', 'alice'),
    );
    const base = '/projects/demo/registry/repositories';
    const listed = await api(lading, 'GET', base);
    expect(listed.status).to.equal(200);
    expect(listed.body).to.have.length(1).and.nested.property('[0].path', 'demo/app');
    expect((await api(lading, 'GET', `${base}/demo%2Fapp/tags/v1`)).body).to.include({
      name: 'v1',
      path: 'demo/app:v1',
    });

    const unknownRepository = await api(lading, 'GET', `${base}/demo%2Fnothing/tags`);
    expect(unknownRepository).to.deep.equal({
      status: 404,
      body: { error: 'NOT_FOUND', message: 'repository not found' },
    });
    const badName = await api(lading, 'GET', `${base}/demo%2FNothing/tags`);
    expect(badName).to.deep.equal(unknownRepository);
    expect(await api(lading, 'GET', `${base}/demo%2Fapp/tags/v2`)).to.deep.equal({
      status: 404,
      body: { error: 'NOT_FOUND', message: 'tag not found' },
    });

    expect(
      (await api(lading, 'PATCH', '/settings', { allow_unnamable_paths: true })).status,
    ).to.equal(200);
    // Made and listed with the CLI, which says why its registry stays off.
    const created = await runLading(['projects', 'create', 'Odd_', '-c', config]);
    expect(created.code, created.stderr).to.equal(0);
    const [first, second] = created.stdout.split('\n');
    expect(first).to.equal('created project Odd_ (private, registry off)');
    const reason = String(second).replace(/^its registry stays disabled: /, '');
    expect(reason).to.contain('upper case').and.not.equal(second);
    expect((await api(lading, 'GET', '/projects/Odd_')).body).to.include({
      container_registry_enabled: false,
      registry_disabled_reason: reason,
    });
    const projects = await runLading(['projects', 'list', '-c', config]);
    expect(projects.stdout.trimEnd().split('\n').sort()).to.deep.equal(
      [`Odd_\tprivate\tregistry off\t(${reason})`, 'demo\tinternal\tregistry on'].sort(),
    );
    expect(await api(lading, 'GET', '/projects/Odd_/registry/repositories')).to.deep.equal({
      status: 200,
      body: [],
    });
  });

  it('refuses tag and repository deletes with storage.delete.enabled false, and deletes with it true', async () => {
    const tag = '/projects/demo/registry/repositories/demo%2Fapp/tags/v1';
    const forbidden = {
      error: 'FORBIDDEN',
      message: 'deletes are disabled on this registry (storage.delete.enabled: false)',
    };
    expect(await api(noDeletes, 'DELETE', tag)).to.deep.equal({ status: 403, body: forbidden });
    expect(
      await api(noDeletes, 'DELETE', '/projects/demo/registry/repositories/demo%2Fapp'),
    ).to.deep.equal({ status: 403, body: forbidden });
    expect((await api(noDeletes, 'GET', tag)).status).to.equal(200);

    expect(await api(lading, 'DELETE', tag)).to.deep.equal({
      status: 200,
      body: { repository: 'demo/app', deleted: ['v1'] },
    });
    expect((await api(noDeletes, 'GET', tag)).status).to.equal(404);
  });
});
