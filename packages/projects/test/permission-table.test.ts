import { expect } from 'chai';
import type { Access, Authorizer, TokenPrincipal } from '@lading/token-auth';
import { createProjectsAuthorizer, type ProjectsModel, type Visibility } from '../src/index.js';
import { dialects, openModel } from './support/dialects.js';

/**
 * The whole permission table, through the real authorizer on a real
 * database: every kind of principal × every visibility × every action ×
 * every setting that switches the registry off. Expected grants are written
 * out by hand, row by row, so a change of policy shows up here as a diff.
 */
type Grant = '' | 'pull' | 'pull,push' | 'pull,push,delete';
type Row = readonly [principal: string, onPublic: Grant, onInternal: Grant, onPrivate: Grant];

//                 principal                          public              internal            private
const table: readonly Row[] = [
  ['anonymous', 'pull', '', ''],
  ['signed in, not a member', 'pull', 'pull', ''],
  ['guest', 'pull', 'pull', ''],
  ['reporter', 'pull', 'pull', 'pull'],
  ['developer', 'pull,push', 'pull,push', 'pull,push'],
  ['maintainer', 'pull,push,delete', 'pull,push,delete', 'pull,push,delete'],
  ['owner', 'pull,push,delete', 'pull,push,delete', 'pull,push,delete'],
  ['admin, not a member', 'pull,push,delete', 'pull,push,delete', 'pull,push,delete'],
  ['developer of the group', 'pull,push', 'pull,push', 'pull,push'],
  [
    'guest of the project, maintainer of the group',
    'pull,push,delete',
    'pull,push,delete',
    'pull,push,delete',
  ],
  ['maintainer with a read_registry token', 'pull', 'pull', 'pull'],
  ['maintainer with a write_registry token', 'pull,push', 'pull,push', 'pull,push'],
  ['maintainer with an api token', 'pull,push,delete', 'pull,push,delete', 'pull,push,delete'],
  ['reporter with a write_registry token', 'pull', 'pull', 'pull'],
  ['read deploy token', 'pull', 'pull', 'pull'],
  ['write deploy token', 'pull,push', 'pull,push', 'pull,push'],
  ['write deploy token of another project', 'pull', '', ''],
  ['blocked owner', '', '', ''],
  ['owner with an expired token', '', '', ''],
  ['owner with a revoked token', '', '', ''],
  ['expired write deploy token', '', '', ''],
  ['revoked write deploy token', '', '', ''],
];

const visibilities: readonly Visibility[] = ['public', 'internal', 'private'];

/** Settings under which nobody gets anything, whatever the row says. */
const switchedOff = [
  'the registry disabled for the site',
  'the registry disabled for the project',
] as const;

const password = 'correct horse battery';
const project = 'team/app';
const repository = `${project}/backend`;

interface World {
  readonly model: ProjectsModel;
  readonly authorizer: Authorizer;
  /** Principal name → the password or token it signs in with. */
  readonly credentials: Map<string, { username: string; secret: string }>;
}

async function buildWorld(
  model: ProjectsModel,
  world: { clock: Date },
): Promise<World['credentials']> {
  const credentials = new Map<string, { username: string; secret: string }>();
  const user = async (principal: string, options: { admin?: boolean } = {}): Promise<string> => {
    const username = principal.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
    await model.users.create({ username, email: `${username}@example.com`, password, ...options });
    credentials.set(principal, { username, secret: password });
    return username;
  };
  await model.namespaces.createGroup({ path: 'team', visibility: 'public' });
  await model.namespaces.createProject({ path: project, visibility: 'public' });
  await model.namespaces.createProject({ path: 'team/other', visibility: 'public' });
  await user('signed in, not a member');
  for (const role of ['guest', 'reporter', 'developer', 'maintainer', 'owner'] as const) {
    await model.members.set(project, await user(role), role);
  }
  await user('admin, not a member', { admin: true });
  await model.members.set('team', await user('developer of the group'), 'developer');
  const mixed = await user('guest of the project, maintainer of the group');
  await model.members.set(project, mixed, 'guest');
  await model.members.set('team', mixed, 'maintainer');

  // Tokens of "expired" rows expire in an hour; the test runs two hours later.
  const expiry = (principal: string) =>
    principal.includes('expired') ? { expiresAt: new Date(world.clock.getTime() + 3600_000) } : {};
  const tokenOf = async (
    principal: string,
    owner: string,
    scopes: ('read_registry' | 'write_registry' | 'api')[],
  ) => {
    const { token, record } = await model.accessTokens.create(owner, {
      name: principal,
      scopes,
      ...expiry(principal),
    });
    credentials.set(principal, { username: owner, secret: token });
    return record;
  };
  await tokenOf('maintainer with a read_registry token', 'maintainer', ['read_registry']);
  await tokenOf('maintainer with a write_registry token', 'maintainer', ['write_registry']);
  await tokenOf('maintainer with an api token', 'maintainer', ['api']);
  await tokenOf('reporter with a write_registry token', 'reporter', ['write_registry']);
  await tokenOf('owner with an expired token', 'owner', ['api']);
  const revoked = await tokenOf('owner with a revoked token', 'owner', ['api']);
  await model.accessTokens.revoke(revoked.id);

  const deploy = async (
    principal: string,
    path: string,
    scopes: ('read_registry' | 'write_registry')[],
  ) => {
    const { token, record } = await model.deployTokens.create(path, {
      name: principal,
      scopes,
      ...expiry(principal),
    });
    credentials.set(principal, { username: record.username, secret: token });
    return record;
  };
  await deploy('read deploy token', project, ['read_registry']);
  await deploy('write deploy token', project, ['write_registry']);
  await deploy('write deploy token of another project', 'team/other', ['write_registry']);
  await deploy('expired write deploy token', project, ['write_registry']);
  const revokedDeploy = await deploy('revoked write deploy token', project, ['write_registry']);
  await model.deployTokens.revoke(revokedDeploy.id);

  await model.members.set(project, await user('blocked owner'), 'owner');
  await model.users.update('blocked-owner', { blocked: true });
  return credentials;
}

/** What `principal` gets when asking for everything on the repository; '' when it cannot sign in. */
async function grantFor(world: World, principal: string): Promise<Grant> {
  let signedIn: TokenPrincipal | undefined;
  if (principal !== 'anonymous') {
    const credential = world.credentials.get(principal);
    if (credential === undefined) throw new Error(`no credentials for ${principal}`);
    signedIn = await world.authorizer.authenticate(credential.username, credential.secret);
    if (signedIn === undefined) return '';
  }
  const asked: Access = {
    type: 'repository',
    name: repository,
    actions: ['pull', 'push', 'delete'],
  };
  const granted = await world.authorizer.authorize(signedIn, [asked]);
  return (granted[0]?.actions.join(',') ?? '') as Grant;
}

for (const dialect of dialects) {
  describe(`the permission table (${dialect.name})`, function () {
    this.timeout(120_000);
    const clock = { clock: new Date('2026-01-01T00:00:00Z') };
    let world: World;

    before(async () => {
      const model = await openModel(dialect, { now: () => clock.clock });
      const credentials = await buildWorld(model, clock);
      world = { model, authorizer: createProjectsAuthorizer(model), credentials };
      clock.clock = new Date(clock.clock.getTime() + 2 * 3600_000);
    });
    after(async () => {
      await world.model.close();
    });

    for (const visibility of visibilities) {
      it(`grants by role and token on ${article(visibility)} project`, async () => {
        await world.model.namespaces.update(project, { visibility });
        const column = visibilities.indexOf(visibility) + 1;
        const actual: string[] = [];
        const expected: string[] = [];
        for (const row of table) {
          expected.push(`${row[0]}: ${row[column] ?? ''}`);
          actual.push(`${row[0]}: ${await grantFor(world, row[0])}`);
        }
        expect(actual).to.deep.equal(expected);
      });

      for (const setting of switchedOff) {
        it(`grants nothing to anyone on ${article(visibility)} project with ${setting}`, async () => {
          await world.model.namespaces.update(project, { visibility });
          const restore = await switchOff(world, setting);
          try {
            const actual: string[] = [];
            for (const row of table) actual.push(`${row[0]}: ${await grantFor(world, row[0])}`);
            expect(actual).to.deep.equal(table.map((row) => `${row[0]}: `));
          } finally {
            await restore();
          }
        });
      }
    }

    it('gives the catalog to admins only, whatever token they sign in with', async () => {
      const catalog: Access = { type: 'registry', name: 'catalog', actions: ['*'] };
      const actual: string[] = [];
      for (const [principal] of table) {
        const credential = world.credentials.get(principal);
        const signedIn =
          credential === undefined
            ? undefined
            : await world.authorizer.authenticate(credential.username, credential.secret);
        if (principal !== 'anonymous' && signedIn === undefined) continue;
        const granted = await world.authorizer.authorize(signedIn, [catalog]);
        if (granted.length > 0) actual.push(principal);
      }
      expect(actual).to.deep.equal(['admin, not a member']);
    });
  });
}

async function switchOff(
  world: World,
  setting: (typeof switchedOff)[number],
): Promise<() => Promise<void>> {
  const { model } = world;
  if (setting === 'the registry disabled for the site') {
    await model.settings.update({ registryEnabled: false });
    return async () => {
      await model.settings.update({ registryEnabled: true });
    };
  }
  await model.namespaces.update(project, { containerRegistryEnabled: false });
  return async () => {
    await model.namespaces.update(project, { containerRegistryEnabled: true });
  };
}

function article(visibility: Visibility): string {
  return visibility === 'internal' ? 'an internal' : `a ${visibility}`;
}
