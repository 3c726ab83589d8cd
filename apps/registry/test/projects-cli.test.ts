import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultSettings, registryDisabledNote } from '@lading/projects';
import { runLading, startLading, type LadingProcess } from './support/lading-process.js';
import { pushImage } from './support/push-image.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Every `lading users|groups|projects|members|tokens|deploy-tokens|settings`
 * command as a real process on a config with a SQLite projects database. A
 * server on the same config and storage root holds the images that make
 * renames and deletes refuse, and answers the checks the CLI cannot make on
 * itself (a password that works, a membership that is gone). Commands that do
 * not depend on each other run side by side: each process costs over a second.
 */
describe('the lading projects commands', function () {
  this.timeout(120_000);
  let work: string;
  let config: string;
  let bare: string;
  let lading: LadingProcess;
  let rootPassword = '';

  const cli = (args: string[], input?: string): Promise<Run> =>
    runLading([...args, '-c', config], {}, input === undefined ? {} : { input });
  /** Exit code 0 and nothing on stderr, or the test fails showing both. */
  const ok = (run: Run): Run => {
    expect({ code: run.code, stderr: run.stderr }, run.stdout).to.deep.equal({
      code: 0,
      stderr: '',
    });
    return run;
  };
  /** Exit code 1 with `lading: MESSAGE` and nothing on stdout. */
  const refused = (run: Run, message: string): void => {
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: `lading: ${message}\n`,
    });
  };
  const json = (run: Run): Record<string, unknown> =>
    JSON.parse(ok(run).stdout) as Record<string, unknown>;
  const api = async (method: string, path: string, auth = `root:${rootPassword}`) => {
    const response = await fetch(`${lading.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as unknown,
    };
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'lading-projects-cli-'));
    config = join(work, 'config.yml');
    bare = join(work, 'bare.yml');
    const storage = `version: 0.1
storage:
  filesystem:
    rootdirectory: ${work}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
`;
    const yaml = `${storage}lading:
  projects:
    database:
      sqlite: ${work}/lading.db
    bcryptcost: 4
`;
    await writeFile(config, yaml);
    await writeFile(bare, storage);
    // The server opens (and migrates) the database before any command runs.
    lading = await startLading({ config: yaml });
  });
  after(async () => {
    await lading.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('creates, changes and lists users, reading passwords from stdin', async () => {
    const root = ok(
      await cli(['users', 'create', 'root', '--email', 'root@example.com', '--admin']),
    );
    const [first, password, note] = root.stdout.split('\n');
    expect(first).to.equal('created root (administrator)');
    expect(password).to.match(/^password: \S{16,}$/);
    expect(note).to.contain('shown once');
    rootPassword = String(password).slice('password: '.length);

    const [alice, noProjects] = await Promise.all([
      cli(
        ['users', 'create', 'alice', '--email', 'alice@example.com', '--password-stdin', '--json'],
        'alice password\n',
      ),
      runLading(['users', 'list', '-c', bare]),
    ]);
    const created = json(alice);
    expect(created).to.include({ username: 'alice', email: 'alice@example.com', admin: false });
    expect(created).not.to.have.property('password');
    refused(
      noProjects,
      'this config has no lading.projects section: there is no projects database to manage',
    );

    const updated = json(
      await cli(
        [
          'users',
          'update',
          'alice',
          '--email',
          'alice@example.org',
          '--admin',
          '--block',
          '--password-stdin',
          '--json',
        ],
        'new alice password\n',
      ),
    );
    expect(updated).to.include({ email: 'alice@example.org', admin: true, blocked: true });
    expect(ok(await cli(['users', 'list'])).stdout).to.equal(
      'alice\talice@example.org\tadmin\tblocked\nroot\troot@example.com\tadmin\n',
    );

    expect(ok(await cli(['users', 'update', 'alice', '--no-admin', '--unblock'])).stdout).to.equal(
      'updated alice\n',
    );
    // The new password signs her in (403: not an administrator); the old one no longer does.
    expect((await api('GET', '/users', 'alice:new alice password')).status).to.equal(403);
    expect((await api('GET', '/users', 'alice:alice password')).status).to.equal(401);
    expect((await api('GET', '/users/alice')).body).to.include({
      email: 'alice@example.org',
      admin: false,
      blocked: false,
    });
  });

  it('creates, renames and lists groups and projects, refusing a bad visibility', async () => {
    expect(
      ok(await cli(['groups', 'create', 'team', '--visibility', 'internal', '--owner', 'root']))
        .stdout,
    ).to.equal('created group team (internal)\n');
    const [badVisibility, noOwner, project] = await Promise.all([
      cli(['groups', 'create', 'other', '--visibility', 'secret']),
      cli(['groups', 'create', 'other', '--owner', 'nobody']),
      cli(['projects', 'create', 'team/app', '--no-registry', '--json']),
    ]);
    refused(badVisibility, '--visibility secret: expected public, internal or private');
    refused(noOwner, 'user "nobody" not found');
    // A command that fails makes nothing.
    expect((await api('GET', '/groups/other')).status).to.equal(404);
    expect(json(project)).to.include({
      path: 'team/app',
      visibility: 'private',
      containerRegistryEnabled: false,
    });

    expect(
      ok(await cli(['groups', 'update', 'team', '--visibility', 'public', '--rename', 'crew']))
        .stdout,
    ).to.equal('updated crew\n');
    // The project moved with its group.
    expect(ok(await cli(['projects', 'list'])).stdout).to.equal(
      'crew/app\tprivate\tregistry off\n',
    );
    expect((await api('GET', '/groups/crew')).body).to.include({
      path: 'crew',
      visibility: 'public',
    });
  });

  it('refuses to rename or delete a group or project that holds images', async () => {
    await pushImage(lading.url, 'crew/app/web', 'v1');
    const held = 'holds 1 registry repository (crew/app/web)';
    const [rename, deleteGroup, groups] = await Promise.all([
      cli(['projects', 'update', 'crew/app', '--rename', 'crew/api']),
      cli(['groups', 'delete', 'crew']),
      cli(['groups', 'list']),
    ]);
    expect(ok(groups).stdout).to.equal('crew\tpublic\n');
    refused(rename, `"crew/app" ${held}; delete them before it can be renamed`);
    refused(deleteGroup, `"crew" ${held}; delete them before it can be deleted`);
    expect((await api('GET', '/projects/crew%2Fapp')).status).to.equal(200);
    expect((await api('GET', '/groups/crew')).status).to.equal(200);

    const removed = await api(
      'DELETE',
      '/projects/crew%2Fapp/registry/repositories/crew%2Fapp%2Fweb',
    );
    expect(removed.status).to.equal(200);
    expect(
      ok(await cli(['projects', 'update', 'crew/app', '--rename', 'crew/api', '--no-registry']))
        .stdout,
    ).to.equal(`updated crew/api\n${registryDisabledNote}\n`);
  });

  it('sets, lists and removes members, refusing an unknown role', async () => {
    const [set, wizard, badUpdate, notAGroup] = await Promise.all([
      cli(['members', 'set', 'crew/api', 'alice', 'developer']),
      cli(['members', 'set', 'crew/api', 'alice', 'wizard']),
      cli(['projects', 'update', 'crew/api', '--rename', 'crew/gone', '--visibility', 'secret']),
      cli(['groups', 'update', 'crew/api', '--visibility', 'private']),
    ]);
    expect(ok(set).stdout).to.equal('alice is developer of crew/api\n');
    refused(wizard, 'role wizard: expected guest, reporter, developer, maintainer or owner');
    refused(badUpdate, '--visibility secret: expected public, internal or private');
    refused(notAGroup, 'group "crew/api" not found');
    // Neither renamed nor changed the project.
    expect((await api('GET', '/projects/crew%2Fapi')).body).to.include({
      path: 'crew/api',
      visibility: 'private',
    });
    const members: unknown = JSON.parse(
      ok(await cli(['members', 'list', 'crew/api', '--json'])).stdout,
    );
    expect(members).to.have.length(1);
    expect(members).to.have.nested.property('[0].username', 'alice');
    expect(members).to.have.nested.property('[0].role', 'developer');
    expect(ok(await cli(['members', 'remove', 'crew/api', 'alice'])).stdout).to.equal(
      'removed alice from crew/api\n',
    );
    expect((await api('GET', '/projects/crew%2Fapi/members')).body).to.deep.equal([]);
  });

  it('makes, lists and revokes personal access and deploy tokens', async () => {
    const [ci, badDate, badId, forever, expiring, writer] = await Promise.all([
      cli([
        'tokens',
        'create',
        'alice',
        '--name',
        'ci',
        '--scopes',
        'read_registry,api',
        '--expires',
        '2999-01-01T00:00:00Z',
        '--json',
      ]),
      cli([
        'tokens',
        'create',
        'alice',
        '--name',
        'bad',
        '--scopes',
        'api',
        '--expires',
        'tomorrow',
      ]),
      cli(['tokens', 'revoke', 'abc']),
      cli(['tokens', 'create', 'alice', '--name', 'forever', '--scopes', 'read_registry']),
      cli(['deploy-tokens', 'create', 'crew/api', '--name', 'deploy', '--scopes', 'read_registry']),
      cli([
        'deploy-tokens',
        'create',
        'crew/api',
        '--name',
        'push',
        '--scopes',
        'write_registry',
        '--json',
      ]),
    ]);
    const ciToken = json(ci);
    expect(ciToken).to.include({
      name: 'ci',
      username: 'alice',
      expiresAt: '2999-01-01T00:00:00.000Z',
    });
    expect(ciToken.token).to.match(/^ldpat-[\w-]{43}$/);
    refused(badDate, '--expires tomorrow: expected an ISO 8601 date');
    refused(badId, 'abc: expected a token id (a number)');
    const foreverId =
      /^token (\d+) for alice \(read_registry\):\nldpat-[\w-]{43}\n\(shown once/.exec(
        ok(forever).stdout,
      )?.[1];
    expect(foreverId, forever.stdout).to.be.a('string');
    const deployId =
      /^deploy token (\d+) for crew\/api \(read_registry\):\nusername: lading\+deploy-token-\1\npassword: \S+\n\(shown once\)\n$/.exec(
        ok(expiring).stdout,
      )?.[1];
    expect(deployId, expiring.stdout).to.be.a('string');
    const writerId = String(json(writer).id);

    const [revoked, revokedDeploy] = await Promise.all([
      cli(['tokens', 'revoke', String(foreverId)]),
      cli(['deploy-tokens', 'revoke', writerId]),
    ]);
    expect(ok(revoked).stdout).to.equal(`revoked token ${String(foreverId)} of alice\n`);
    expect(ok(revokedDeploy).stdout).to.equal(`revoked deploy token ${writerId} of crew/api\n`);

    const [tokens, deployTokens] = await Promise.all([
      cli(['tokens', 'list', 'alice']),
      cli(['deploy-tokens', 'list', 'crew/api']),
    ]);
    // One line per token, by id: the tokens were made side by side, in no fixed order.
    const byId = (run: Run) =>
      new Map(
        ok(run)
          .stdout.trimEnd()
          .split('\n')
          .map((line) => [line.split('\t')[0], line]),
      );
    const revokedAt = /\trevoked \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const personal = byId(tokens);
    expect([...personal.keys()].sort()).to.deep.equal([String(ciToken.id), foreverId].sort());
    expect(personal.get(String(ciToken.id))).to.equal(
      `${String(ciToken.id)}\tci\tread_registry,api\texpires 2999-01-01T00:00:00.000Z`,
    );
    expect(personal.get(String(foreverId)))
      .to.match(revokedAt)
      .and.satisfy((line: string) =>
        line.startsWith(`${String(foreverId)}\tforever\tread_registry\t`),
      );
    const deploy = byId(deployTokens);
    expect([...deploy.keys()].sort()).to.deep.equal([deployId, writerId].sort());
    expect(deploy.get(String(deployId))).to.equal(
      `${String(deployId)}\tlading+deploy-token-${String(deployId)}\tdeploy\tread_registry\tno expiry`,
    );
    expect(deploy.get(writerId))
      .to.match(revokedAt)
      .and.satisfy((line: string) =>
        line.startsWith(`${writerId}\tlading+deploy-token-${writerId}\tpush\twrite_registry\t`),
      );
  });

  it('shows and sets site settings, saying that disabling the registry keeps the images', async () => {
    const embedded = join(work, 'embedded');
    await mkdir(embedded);
    const [shown, unknown, embeddedDefault] = await Promise.all([
      cli(['settings', 'show']),
      cli(['settings', 'set', 'colour', 'blue']),
      // Without -c (or $REGISTRY_CONFIGURATION_PATH), the embedded default's ./data/lading.db.
      runLading(['settings', 'show', '--json'], {}, { cwd: embedded }),
    ]);
    expect(json(embeddedDefault)).to.deep.equal({ ...defaultSettings });
    expect((await stat(join(embedded, 'data/lading.db'))).isFile()).to.equal(true);
    expect(ok(shown).stdout).to.equal(
      'registryEnabled\ttrue\ncontainerRegistryDefault\ttrue\ntokenLifetimeSeconds\t300\nallowUnnamablePaths\tfalse\n',
    );
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/^lading: .*colour.*is not a setting/);
    expect(ok(await cli(['settings', 'set', 'registryEnabled', 'false'])).stdout).to.equal(
      `registryEnabled is now false\n${registryDisabledNote}\n`,
    );
    expect((await api('GET', '/settings')).body).to.include({ registry_enabled: false });
  });

  it('deletes users, projects and groups that hold no images', async () => {
    const [user, project, email] = await Promise.all([
      cli(['users', 'delete', 'alice']),
      cli(['projects', 'delete', 'crew/api', '--json']),
      cli(['users', 'update', 'root', '--email', 'root@example.net', '--json']),
    ]);
    expect(ok(user).stdout).to.equal('deleted alice\n');
    // Only the email changed: still an administrator, not blocked.
    expect(json(email)).to.include({ email: 'root@example.net', admin: true, blocked: false });
    expect(json(project)).to.deep.equal({ deleted: 'crew/api' });
    expect(ok(await cli(['groups', 'delete', 'crew'])).stdout).to.equal('deleted group crew\n');
    expect((await api('GET', '/users')).body).to.have.length(1);
    expect((await api('GET', '/users/alice')).status).to.equal(404);
    expect((await api('GET', '/groups')).body).to.deep.equal([]);
  });
});
