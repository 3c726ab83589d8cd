import { readFile, stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { digestOf } from '@lading/oci';
import { ensureDebianPackages, skopeo, writeOciLayout } from '@lading/registry-peers';
import { runLading, startLading, type LadingProcess } from './support/lading-process.js';

/**
 * The embedded default end to end: first start makes a key and an admin,
 * the admin sets up a project through the CLI and the REST API, and skopeo
 * goes through the token flow as each kind of principal.
 */
describe('projects and permissions in the embedded default', function () {
  this.timeout(180_000);
  let work: string;
  let lading: LadingProcess;
  let adminPassword: string;
  let layout: string;

  const cli = (args: string[], input?: string) =>
    runLading(args, {}, { cwd: work, ...(input === undefined ? {} : { input }) });
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    auth = `admin:${adminPassword}`,
  ) => {
    const response = await fetch(`${lading.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as unknown,
    };
  };
  const copy = (credentials: string | undefined, source: string, destination: string) =>
    skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--src-tls-verify=false',
      ...(credentials === undefined ? ['--dest-no-creds'] : ['--dest-creds', credentials]),
      source,
      destination,
    ]).then(
      () => 'ok',
      (error: unknown) => String(error),
    );
  const inspect = (credentials: string | undefined, reference: string) =>
    skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...(credentials === undefined ? ['--no-creds'] : ['--creds', credentials]),
      `docker://${lading.host}/${reference}`,
    ]).then(
      (output) => digestOf(Buffer.from(output.stdout)),
      (error: unknown) => `refused: ${String(error)}`,
    );

  before(async () => {
    await ensureDebianPackages({ skopeo: 'skopeo' });
    work = await mkdtemp(join(tmpdir(), 'lading-projects-'));
    layout = join(work, 'image');
    await writeOciLayout(layout, {
      tag: '1',
      layers: [{ files: { 'hello.txt': 'hi\n' } }],
    });
    lading = await startLading({ cwd: work, env: { REGISTRY_HTTP_ADDR: '127.0.0.1:0' } });
    await lading.waitForStderr('Push a first image');
  });
  after(async () => {
    await lading.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('makes a signing key and an administrator on first start, the password printed once and kept owner-only', async () => {
    const printed = /password: (\S+)/.exec(lading.stderr())?.[1];
    expect(printed, lading.stderr()).to.be.a('string');
    adminPassword = String(printed);
    const file = join(work, 'data/initial-admin-password');
    expect((await readFile(file, 'utf8')).trim()).to.equal(adminPassword);
    for (const name of ['initial-admin-password', 'token.key', 'lading.db']) {
      expect((await stat(join(work, 'data', name))).mode & 0o777, name).to.equal(0o600);
    }
    expect((await api('GET', '/users')).status).to.equal(200);
  });

  it('sets up users, a private project, members and tokens from the CLI', async () => {
    for (const [user, role] of [
      ['alice', 'developer'],
      ['bob', 'reporter'],
      ['carol', undefined],
    ] as const) {
      const created = await cli(
        ['users', 'create', user, '--email', `${user}@example.com`, '--password-stdin'],
        `${user} password`,
      );
      expect(created.code, created.stderr).to.equal(0);
      if (role !== undefined && user === 'alice') {
        expect((await cli(['projects', 'create', 'demo', '--owner', 'admin'])).stdout).to.contain(
          'created project demo (private, registry on)',
        );
      }
      if (role !== undefined)
        expect((await cli(['members', 'set', 'demo', user, role])).code).to.equal(0);
    }
    const listed = await cli(['members', 'list', 'demo', '--json']);
    expect(JSON.parse(listed.stdout)).to.have.length(3);
  });

  it('lets each principal do what the permission table says, through skopeo and the token flow', async () => {
    const target = `docker://${lading.host}/demo/app`;
    expect(await copy('alice:alice password', `oci:${layout}:1`, `${target}:1`)).to.equal('ok');
    const digest = await inspect('alice:alice password', 'demo/app:1');
    expect(digest).to.match(/^sha256:/);
    expect(await inspect('bob:bob password', 'demo/app:1')).to.equal(digest);
    expect(await copy('bob:bob password', `oci:${layout}:1`, `${target}:2`)).to.contain('denied');
    expect(await inspect('carol:carol password', 'demo/app:1')).to.contain('refused');
    expect(await inspect(undefined, 'demo/app:1')).to.contain('refused');
    expect(await inspect('alice:wrong password', 'demo/app:1')).to.contain('refused');

    const token = await cli([
      'tokens',
      'create',
      'alice',
      '--name',
      'ci',
      '--scopes',
      'read_registry',
      '--json',
    ]);
    const pat = (JSON.parse(token.stdout) as { token: string }).token;
    expect(await inspect(`alice:${pat}`, 'demo/app:1')).to.equal(digest);
    expect(await copy(`alice:${pat}`, `oci:${layout}:1`, `${target}:3`)).to.contain('denied');
    expect((await cli(['tokens', 'revoke', '1'])).code).to.equal(0);
    expect(await inspect(`alice:${pat}`, 'demo/app:1')).to.contain('refused');

    const deploy = await cli([
      'deploy-tokens',
      'create',
      'demo',
      '--name',
      'deploy',
      '--scopes',
      'read_registry',
      '--json',
    ]);
    const { username, token: secret } = JSON.parse(deploy.stdout) as {
      username: string;
      token: string;
    };
    expect(await inspect(`${username}:${secret}`, 'demo/app:1')).to.equal(digest);

    await cli(['projects', 'update', 'demo', '--visibility', 'public']);
    expect(await inspect(undefined, 'demo/app:1')).to.equal(digest);
  });

  it('refuses everyone while the registry is disabled, and deletes no image doing it', async () => {
    const disabled = await cli(['projects', 'update', 'demo', '--no-registry']);
    expect(disabled.stdout).to.contain('no image was deleted');
    expect(await inspect('alice:alice password', 'demo/app:1')).to.contain('refused');
    expect(await inspect('admin:' + adminPassword, 'demo/app:1')).to.contain('refused');
    await cli(['projects', 'update', 'demo', '--registry']);
    expect(await inspect('alice:alice password', 'demo/app:1')).to.match(/^sha256:/);

    const site = await api('PATCH', '/settings', { registry_enabled: false });
    expect(site.body).to.have.property('note').that.contains('no image was deleted');
    expect(await inspect('alice:alice password', 'demo/app:1')).to.contain('refused');
    await api('PATCH', '/settings', { registry_enabled: true });
    expect(await inspect('alice:alice password', 'demo/app:1')).to.match(/^sha256:/);
  });

  it('lists, bulk-deletes and deletes through the projects registry API', async () => {
    const target = `docker://${lading.host}/demo/app`;
    for (const tag of ['v1', 'v2', 'latest', 'keep-me']) {
      expect(await copy('alice:alice password', `oci:${layout}:1`, `${target}:${tag}`)).to.equal(
        'ok',
      );
    }
    const repositories = await api('GET', '/projects/demo/registry/repositories?tags=true');
    expect(repositories.status).to.equal(200);
    const [repository] = repositories.body as { path: string; tags_count: number }[];
    expect(repository).to.include({ path: 'demo/app', tags_count: 5 });
    const tags = await api('GET', '/projects/demo/registry/repositories/demo%2Fapp/tags');
    const v1 = (tags.body as { name: string; digest: string; total_size: number }[]).find(
      (tag) => tag.name === 'v1',
    );
    expect(v1?.digest).to.match(/^sha256:/);
    expect(v1?.total_size).to.be.greaterThan(0);

    // bob is a reporter: he may read the API but not delete.
    expect(
      (
        await api(
          'DELETE',
          '/projects/demo/registry/repositories/demo%2Fapp/tags/v1',
          undefined,
          'bob:bob password',
        )
      ).status,
    ).to.equal(403);
    const bulk = await api(
      'DELETE',
      '/projects/demo/registry/repositories/demo%2Fapp/tags?name_regex_delete=.*&name_regex_keep=keep-.*',
    );
    expect(bulk.status).to.equal(200);
    expect((bulk.body as { deleted: string[] }).deleted.sort()).to.deep.equal(['1', 'v1', 'v2']);
    const left = await api('GET', '/projects/demo/registry/repositories/demo%2Fapp/tags');
    expect((left.body as { name: string }[]).map((tag) => tag.name).sort()).to.deep.equal([
      'keep-me',
      'latest',
    ]);

    expect((await api('DELETE', '/projects/demo')).status).to.equal(409);
    expect(
      (await api('DELETE', '/projects/demo/registry/repositories/demo%2Fapp')).status,
    ).to.equal(200);
    expect(await inspect('alice:alice password', 'demo/app:latest')).to.contain('refused');
    expect((await api('DELETE', '/projects/demo')).status).to.equal(204);
  });

  it('prints no password on the next start', async () => {
    const again = await startLading({ cwd: work, env: { REGISTRY_HTTP_ADDR: '127.0.0.1:0' } });
    try {
      await again.waitForStderr('Push a first image');
      expect(again.stderr()).to.contain('initial-admin-password').and.not.contain(adminPassword);
    } finally {
      await again.stop();
    }
  });
});
