import { expect } from 'chai';
import type { Role } from '../src/index.js';
import { describeEachDialect } from './support/dialects.js';
import { expectInvalid, expectProjectsError } from './support/stored.js';

const password = 'correct horse battery';

describeEachDialect('members', ({ model }) => {
  beforeEach(async () => {
    for (const username of ['alice', 'bob', 'carol']) {
      await model().users.create({ username, email: `${username}@example.com`, password });
    }
    await model().namespaces.createGroup({ path: 'team' });
    await model().namespaces.createGroup({ path: 'team/sub' });
    await model().namespaces.createProject({ path: 'team/sub/app' });
    await model().namespaces.createProject({ path: 'team/other' });
    await model().namespaces.createGroup({ path: 'teamwork' });
  });

  const listed = async (path: string) =>
    (await model().members.list(path)).map((member) => `${member.username}:${member.role}`);

  it('adds a member and changes the role of one, listing direct members by name', async () => {
    const alice = await model().users.get('alice');
    const added = await model().members.set('team/sub/app', 'alice', 'developer');
    expect(added).to.deep.equal({
      username: 'alice',
      userId: alice.id,
      role: 'developer',
      createdAt: added.createdAt,
    });
    expect(added.createdAt).to.be.instanceOf(Date);
    await model().members.set('team/sub/app', 'carol', 'guest');
    await model().members.set('team/sub/app', 'bob', 'owner');
    const changed = await model().members.set('team/sub/app', 'alice', 'maintainer');
    expect(changed).to.deep.equal({ ...added, role: 'maintainer' });
    expect(await listed('team/sub/app')).to.deep.equal([
      'alice:maintainer',
      'bob:owner',
      'carol:guest',
    ]);
    // Group members are not listed as the project's own.
    await model().members.set('team', 'carol', 'owner');
    expect(await listed('team/sub/app')).to.include('carol:guest');
    expect(await listed('team')).to.deep.equal(['carol:owner']);
    expect(await listed('team/sub')).to.deep.equal([]);
  });

  it('removes a member; removing a non-member is NOT_FOUND', async () => {
    await model().members.set('team', 'alice', 'developer');
    await model().members.set('team', 'bob', 'developer');
    await model().members.remove('team', 'alice');
    expect(await listed('team')).to.deep.equal(['bob:developer']);
    await expectProjectsError(
      model().members.remove('team', 'alice'),
      'NOT_FOUND',
      'member "alice" of "team"',
    );
    await expectProjectsError(model().members.remove('team/sub', 'bob'), 'NOT_FOUND');
  });

  it('refuses an unknown role, user or path', async () => {
    await expectInvalid(
      model().members.set('team', 'alice', 'admin' as Role),
      'role',
      'not "admin"',
    );
    await expectProjectsError(
      model().members.set('team', 'nobody', 'guest'),
      'NOT_FOUND',
      'user "nobody"',
    );
    await expectProjectsError(
      model().members.set('nowhere', 'alice', 'guest'),
      'NOT_FOUND',
      '"nowhere"',
    );
    await expectProjectsError(model().members.remove('team', 'nobody'), 'NOT_FOUND', '"nobody"');
    await expectProjectsError(model().members.remove('nowhere', 'alice'), 'NOT_FOUND');
    await expectProjectsError(model().members.list('nowhere'), 'NOT_FOUND');
    expect(await listed('team')).to.deep.equal([]);
  });

  it('takes the strongest role over the project and its groups, and nothing from elsewhere', async () => {
    const project = await model().namespaces.get('team/sub/app');
    const lineage = await model().namespaces.lineage(project);
    const effective = async (username: string) =>
      model().members.effectiveRole((await model().users.get(username)).id, lineage);

    // alice: guest on the project, maintainer of the top group.
    await model().members.set('team/sub/app', 'alice', 'guest');
    await model().members.set('team', 'alice', 'maintainer');
    // bob: developer of the middle group, reporter on the project.
    await model().members.set('team/sub', 'bob', 'developer');
    await model().members.set('team/sub/app', 'bob', 'reporter');
    // carol: owner of a sibling project and of a group whose name starts the same.
    await model().members.set('team/other', 'carol', 'owner');
    await model().members.set('teamwork', 'carol', 'owner');

    expect(await effective('alice')).to.equal('maintainer');
    expect(await effective('bob')).to.equal('developer');
    expect(await effective('carol')).to.equal(undefined);
    expect(await model().members.effectiveRole((await model().users.get('alice')).id, [])).to.equal(
      undefined,
    );

    // The project's own role counts when it is the strongest.
    await model().members.set('team/sub/app', 'bob', 'owner');
    expect(await effective('bob')).to.equal('owner');
    await model().members.remove('team', 'alice');
    expect(await effective('alice')).to.equal('guest');
  });
});
