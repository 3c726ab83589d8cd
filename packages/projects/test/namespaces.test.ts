import { expect } from 'chai';
import type { Kysely } from 'kysely';
import { UnnamablePathError, type Namespace } from '../src/index.js';
import type { Tables } from '../src/schema.js';
import {
  describeEachDialectStored,
  expectInvalid,
  expectProjectsError,
  rejection,
} from './support/stored.js';

const password = 'correct horse battery';

describeEachDialectStored('groups and projects', ({ model, db, clock }) => {
  const paths = async () => (await model().namespaces.list()).map((namespace) => namespace.path);

  describe('create', () => {
    it('makes private groups and projects, with the registry from containerRegistryDefault', async () => {
      const group = await model().namespaces.createGroup({ path: 'team' });
      expect(group).to.deep.equal({
        id: group.id,
        kind: 'group',
        path: 'team',
        visibility: 'private',
        containerRegistryEnabled: false,
        createdAt: clock.now,
      });
      const project = await model().namespaces.createProject({ path: 'team/app' });
      expect(project).to.deep.equal({
        id: project.id,
        kind: 'project',
        path: 'team/app',
        parentId: group.id,
        visibility: 'private',
        containerRegistryEnabled: true,
        createdAt: clock.now,
      });

      await model().settings.update({ containerRegistryDefault: false });
      expect(
        (await model().namespaces.createProject({ path: 'team/off' })).containerRegistryEnabled,
      ).to.equal(false);
      const asked = await model().namespaces.createProject({
        path: 'team/on',
        containerRegistryEnabled: true,
      });
      expect(asked.containerRegistryEnabled).to.equal(true);
      await model().settings.update({ containerRegistryDefault: true });
      const refused = await model().namespaces.createProject({
        path: 'solo',
        visibility: 'public',
        containerRegistryEnabled: false,
      });
      expect(refused).to.include({ containerRegistryEnabled: false, visibility: 'public' });
      expect(refused.parentId).to.equal(undefined);
    });

    it('finds, gets (of a kind), lists and looks up by id', async () => {
      const group = await model().namespaces.createGroup({ path: 'team' });
      const project = await model().namespaces.createProject({ path: 'team/app' });
      await model().namespaces.createGroup({ path: 'team/sub' });
      expect(await model().namespaces.find('team/app')).to.deep.equal(project);
      expect(await model().namespaces.get('team/app', 'project')).to.deep.equal(project);
      expect(await model().namespaces.get('team')).to.deep.equal(group);
      expect(await model().namespaces.byId(project.id)).to.deep.equal(project);
      expect(await model().namespaces.byId(project.id + 1000)).to.equal(undefined);
      expect(await model().namespaces.find('nope')).to.equal(undefined);
      await expectProjectsError(
        model().namespaces.get('team/app', 'group'),
        'NOT_FOUND',
        'group "team/app" not found',
      );
      await expectProjectsError(
        model().namespaces.get('team', 'project'),
        'NOT_FOUND',
        'project "team"',
      );
      await expectProjectsError(
        model().namespaces.get('nope'),
        'NOT_FOUND',
        'group or project "nope"',
      );
      expect(await paths()).to.deep.equal(['team', 'team/app', 'team/sub']);
      expect((await model().namespaces.list('group')).map((each) => each.path)).to.deep.equal([
        'team',
        'team/sub',
      ]);
      expect((await model().namespaces.list('project')).map((each) => each.path)).to.deep.equal([
        'team/app',
      ]);
    });

    it('refuses a registry setting on a group', async () => {
      await expectInvalid(
        model().namespaces.createGroup({ path: 'team', containerRegistryEnabled: true }),
        'containerRegistryEnabled',
        'groups have none',
      );
      expect(await paths()).to.deep.equal([]);
    });

    it('needs the parent to exist and to be a group', async () => {
      await expectInvalid(
        model().namespaces.createProject({ path: 'missing/app' }),
        'path',
        'group "missing" does not exist',
      );
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createProject({ path: 'team/app' });
      await expectInvalid(
        model().namespaces.createProject({ path: 'team/app/inner' }),
        'path',
        '"team/app" is a project; a project can only be in a group',
      );
      await expectInvalid(
        model().namespaces.createGroup({ path: 'team/app/inner' }),
        'path',
        'a group can only be in a group',
      );
      await expectInvalid(
        model().namespaces.createProject({ path: 'team/missing/app' }),
        'path',
        'group "team/missing" does not exist',
      );
      expect(await paths()).to.deep.equal(['team', 'team/app']);
    });

    it('refuses a path the forge refuses, and an unknown visibility', async () => {
      await expectInvalid(model().namespaces.createGroup({ path: 'a b' }), 'path', 'U+0020');
      await expectInvalid(model().namespaces.createGroup({ path: '' }), 'path', 'empty');
      await expectInvalid(
        model().namespaces.createGroup({
          path: 'team',
          visibility: 'secret' as 'private',
        }),
        'visibility',
        '"secret"',
      );
      expect(await paths()).to.deep.equal([]);
    });

    it('refuses anything more visible than its group', async () => {
      await model().namespaces.createGroup({ path: 'team', visibility: 'internal' });
      await expectInvalid(
        model().namespaces.createProject({ path: 'team/app', visibility: 'public' }),
        'visibility',
        'public is more visible than its group "team" (internal)',
      );
      await expectInvalid(
        model().namespaces.createGroup({ path: 'team/sub', visibility: 'public' }),
        'visibility',
      );
      await model().namespaces.createProject({ path: 'team/app', visibility: 'internal' });
      await model().namespaces.createGroup({ path: 'team/sub' });
      await expectInvalid(
        model().namespaces.createProject({ path: 'team/sub/app', visibility: 'internal' }),
        'visibility',
        '"team/sub" (private)',
      );
      expect(await paths()).to.deep.equal(['team', 'team/app', 'team/sub']);
    });

    it('refuses a taken path as CONFLICT, whatever kind holds it', async () => {
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createProject({ path: 'team/app' });
      await expectProjectsError(model().namespaces.createGroup({ path: 'team' }), 'CONFLICT');
      await expectProjectsError(
        model().namespaces.createProject({ path: 'team' }),
        'CONFLICT',
        '"team" exists',
      );
      await expectProjectsError(
        model().namespaces.createGroup({ path: 'team/app' }),
        'CONFLICT',
        '"team/app" exists',
      );
      expect(await paths()).to.deep.equal(['team', 'team/app']);
    });
  });

  describe('paths the registry cannot name', () => {
    it('are refused with UnnamablePathError naming the character', async () => {
      const group = await rejection(model().namespaces.createGroup({ path: 'Team' }));
      expect(group).to.be.instanceOf(UnnamablePathError);
      expect(group).to.include({
        code: 'INVALID',
        field: 'path',
        path: 'Team',
        reason: '"T" at position 1 is upper case; image names are lower case only',
      });
      await model().namespaces.createGroup({ path: 'team' });
      const project = await rejection(model().namespaces.createProject({ path: 'team/my_-app' }));
      expect(project).to.be.instanceOf(UnnamablePathError);
      expect((project as UnnamablePathError).reason).to.equal(
        '"-" at position 9 follows "_"; separators are ".", "_", "__" or a run of "-", not mixed',
      );
      expect(await paths()).to.deep.equal(['team']);
    });

    it('are taken when allowUnnamablePaths is set, with the registry off and the reason kept', async () => {
      await model().settings.update({ allowUnnamablePaths: true });
      const group = await model().namespaces.createGroup({ path: 'Team' });
      expect(group.registryDisabledReason).to.equal(
        '"T" at position 1 is upper case; image names are lower case only',
      );
      const project = await model().namespaces.createProject({
        path: 'Team/app',
        containerRegistryEnabled: true,
      });
      expect(project.containerRegistryEnabled).to.equal(false);
      expect(project.registryDisabledReason).to.equal(group.registryDisabledReason);
      await model().namespaces.createGroup({ path: 'team' });
      const trailing = await model().namespaces.createProject({ path: 'team/app-' });
      expect(trailing).to.include({
        containerRegistryEnabled: false,
        registryDisabledReason:
          '"-" at position 9 ends a path component; components must end with a letter or digit',
      });
      expect((await model().namespaces.get('team/app-')).registryDisabledReason).to.equal(
        trailing.registryDisabledReason,
      );
    });

    it('cannot have their registry enabled later, saying why', async () => {
      await model().settings.update({ allowUnnamablePaths: true });
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createProject({ path: 'team/App' });
      const error = await rejection(
        model().namespaces.update('team/App', { containerRegistryEnabled: true }),
      );
      expect(error).to.be.instanceOf(UnnamablePathError);
      expect((error as UnnamablePathError).reason).to.equal(
        '"A" at position 6 is upper case; image names are lower case only',
      );
      expect((error as UnnamablePathError).message).to.include('"team/App" cannot name');
      // Turning it off (again) and changing visibility are fine.
      const updated = await model().namespaces.update('team/App', {
        containerRegistryEnabled: false,
        visibility: 'private',
      });
      expect(updated.containerRegistryEnabled).to.equal(false);
      // Refusing new such paths later does not stop the project's other updates.
      await model().settings.update({ allowUnnamablePaths: false });
      await model().namespaces.update('team/App', { visibility: 'private' });
    });
  });

  describe('update', () => {
    it('changes visibility and the registry switch; nothing asked, nothing changed', async () => {
      await model().namespaces.createGroup({ path: 'team', visibility: 'public' });
      const project = await model().namespaces.createProject({ path: 'team/app' });
      expect(await model().namespaces.update('team/app', {})).to.deep.equal(project);
      const updated = await model().namespaces.update('team/app', {
        visibility: 'public',
        containerRegistryEnabled: false,
      });
      expect(updated).to.deep.equal({
        ...project,
        visibility: 'public',
        containerRegistryEnabled: false,
      });
      expect(await model().namespaces.get('team/app')).to.deep.equal(updated);
    });

    it('refuses an unknown path, a registry switch on a group and an unknown visibility', async () => {
      await model().namespaces.createGroup({ path: 'team' });
      await expectProjectsError(
        model().namespaces.update('nope', { visibility: 'public' }),
        'NOT_FOUND',
      );
      await expectInvalid(
        model().namespaces.update('team', { containerRegistryEnabled: true }),
        'containerRegistryEnabled',
      );
      await expectInvalid(
        model().namespaces.update('team', { visibility: 'everyone' as 'public' }),
        'visibility',
        '"everyone"',
      );
    });

    it('keeps everything within its group: no child more visible, no group less', async () => {
      await model().namespaces.createGroup({ path: 'team', visibility: 'internal' });
      await model().namespaces.createGroup({ path: 'team/sub', visibility: 'internal' });
      await model().namespaces.createProject({ path: 'team/sub/app', visibility: 'internal' });
      await expectInvalid(
        model().namespaces.update('team/sub/app', { visibility: 'public' }),
        'visibility',
        'more visible than its group "team/sub" (internal)',
      );
      await expectInvalid(
        model().namespaces.update('team', { visibility: 'private' }),
        'visibility',
        '"team/sub" is internal; make it no more visible than private first',
      );
      await expectInvalid(
        model().namespaces.update('team/sub', { visibility: 'private' }),
        'visibility',
        '"team/sub/app" is internal',
      );
      expect((await model().namespaces.get('team')).visibility).to.equal('internal');
      await model().namespaces.update('team/sub/app', { visibility: 'private' });
      await model().namespaces.update('team/sub', { visibility: 'private' });
      await model().namespaces.update('team', { visibility: 'private' });
      await model().namespaces.update('team', { visibility: 'public' });
      await model().namespaces.update('team/sub', { visibility: 'internal' });
      expect(
        (await model().namespaces.list()).map((each) => `${each.path}:${each.visibility}`),
      ).to.deep.equal(['team:public', 'team/sub:internal', 'team/sub/app:private']);
    });
  });

  describe('rename', () => {
    async function tree(): Promise<Record<string, Namespace>> {
      await model().users.create({ username: 'alice', email: 'a@example.com', password });
      const made: Record<string, Namespace> = {};
      made.team = await model().namespaces.createGroup({ path: 'team' });
      made.app = await model().namespaces.createProject({ path: 'team/app' });
      made.sub = await model().namespaces.createGroup({ path: 'team/sub' });
      made.deep = await model().namespaces.createProject({ path: 'team/sub/deep' });
      made.teamwork = await model().namespaces.createGroup({ path: 'teamwork' });
      made.other = await model().namespaces.createProject({ path: 'teamwork/app' });
      await model().members.set('team/sub/deep', 'alice', 'developer');
      await model().deployTokens.create('team/sub/deep', { name: 'ci', scopes: ['read_registry'] });
      return made;
    }

    it('moves a group and everything below it, keeping ids, parents, members and tokens', async () => {
      const made = await tree();
      const renamed = await model().namespaces.rename('team', 'crew');
      expect(renamed).to.deep.equal({ ...made.team, path: 'crew' });
      expect(await paths()).to.deep.equal([
        'crew',
        'crew/app',
        'crew/sub',
        'crew/sub/deep',
        'teamwork',
        'teamwork/app',
      ]);
      expect(await model().namespaces.get('crew/sub/deep')).to.deep.equal({
        ...made.deep,
        path: 'crew/sub/deep',
      });
      expect(await model().namespaces.get('crew/app')).to.deep.equal({
        ...made.app,
        path: 'crew/app',
      });
      expect((await model().members.list('crew/sub/deep')).map((m) => m.username)).to.deep.equal([
        'alice',
      ]);
      expect((await model().deployTokens.list('crew/sub/deep'))[0]?.projectPath).to.equal(
        'crew/sub/deep',
      );
      expect(await model().namespaces.projectOf('crew/sub/deep/image')).to.include({
        id: made.deep?.id,
      });
    });

    it('renames a project within its group', async () => {
      await tree();
      const renamed = await model().namespaces.rename('team/sub/deep', 'team/sub/deeper');
      expect(renamed.path).to.equal('team/sub/deeper');
      expect(await model().namespaces.find('team/sub/deep')).to.equal(undefined);
    });

    it('keeps the parent: moving to another group or out of it is refused', async () => {
      await tree();
      await expectInvalid(
        model().namespaces.rename('team/app', 'teamwork/app2'),
        'path',
        '"teamwork/app2" is not in the same group as "team/app"',
      );
      await expectInvalid(model().namespaces.rename('team/app', 'app'), 'path', 'same group');
      await expectInvalid(model().namespaces.rename('team', 'crew/team'), 'path', 'same group');
      await expectInvalid(model().namespaces.rename('team/app', 'team/a b'), 'path', 'U+0020');
      await expectProjectsError(model().namespaces.rename('nope', 'nope2'), 'NOT_FOUND');
    });

    it('refuses a clash as CONFLICT and moves nothing', async () => {
      const before = await tree();
      await expectProjectsError(
        model().namespaces.rename('team', 'teamwork'),
        'CONFLICT',
        '"teamwork" exists',
      );
      await expectProjectsError(
        model().namespaces.rename('team/sub', 'team/app'),
        'CONFLICT',
        '"team/app" exists',
      );
      expect(await paths()).to.deep.equal([
        'team',
        'team/app',
        'team/sub',
        'team/sub/deep',
        'teamwork',
        'teamwork/app',
      ]);
      expect(await model().namespaces.get('team/sub/deep')).to.deep.equal(before.deep);
    });

    it('refuses a new name the registry cannot take, unless allowed, then recomputes the reason', async () => {
      await tree();
      const refused = await rejection(model().namespaces.rename('team', 'Team'));
      expect(refused).to.be.instanceOf(UnnamablePathError);
      expect(await paths()).to.include('team/sub/deep');

      await model().settings.update({ allowUnnamablePaths: true });
      await model().namespaces.rename('team', 'Team');
      const reason = '"T" at position 1 is upper case; image names are lower case only';
      for (const path of ['Team', 'Team/app', 'Team/sub', 'Team/sub/deep']) {
        expect((await model().namespaces.get(path)).registryDisabledReason, path).to.equal(reason);
      }
      expect((await model().namespaces.get('Team/sub/deep')).containerRegistryEnabled).to.equal(
        false,
      );
      await expectProjectsError(
        model().namespaces.update('Team/app', { containerRegistryEnabled: true }),
        'INVALID',
        reason,
      );

      // Named properly again: the reason goes; the registry stays off until switched on.
      await model().namespaces.rename('Team', 'team');
      const deep = await model().namespaces.get('team/sub/deep');
      expect(deep.registryDisabledReason).to.equal(undefined);
      expect(deep.containerRegistryEnabled).to.equal(false);
      const enabled = await model().namespaces.update('team/sub/deep', {
        containerRegistryEnabled: true,
      });
      expect(enabled.containerRegistryEnabled).to.equal(true);
    });
  });

  describe('change: a rename and other changes at once', () => {
    it('writes nothing when any change is refused', async () => {
      await model().namespaces.createGroup({ path: 'team', visibility: 'internal' });
      await model().namespaces.createProject({ path: 'team/app', visibility: 'internal' });
      await expectInvalid(
        model().namespaces.change('team/app', { path: 'team/web', visibility: 'public' }),
        'visibility',
      );
      expect(await paths()).to.deep.equal(['team', 'team/app']);
      expect((await model().namespaces.get('team/app')).visibility).to.equal('internal');
    });

    it('renames a project to a name the registry takes and enables its registry in one step', async () => {
      await model().settings.update({ allowUnnamablePaths: true });
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createProject({ path: 'team/App' });
      const changed = await model().namespaces.change('team/App', {
        path: 'team/app',
        containerRegistryEnabled: true,
      });
      expect(changed).to.include({ path: 'team/app', containerRegistryEnabled: true });
      expect(changed.registryDisabledReason).to.equal(undefined);
      const refused = await rejection(
        model().namespaces.change('team/app', { path: 'team/Web', containerRegistryEnabled: true }),
      );
      expect(refused).to.be.instanceOf(UnnamablePathError);
      expect((refused as UnnamablePathError).path).to.equal('team/Web');
      expect(await paths()).to.deep.equal(['team', 'team/app']);
    });
  });

  describe('delete', () => {
    it('removes the namespace, everything below it, their members and deploy tokens', async () => {
      await model().users.create({ username: 'alice', email: 'a@example.com', password });
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createGroup({ path: 'team/sub' });
      await model().namespaces.createProject({ path: 'team/sub/app' });
      await model().namespaces.createProject({ path: 'team/app' });
      await model().namespaces.createProject({ path: 'team/apps' });
      await model().namespaces.createGroup({ path: 'team-b' });
      await model().namespaces.createProject({ path: 'team-b/app' });
      for (const path of ['team', 'team/sub', 'team/sub/app', 'team/app', 'team-b/app']) {
        await model().members.set(path, 'alice', 'developer');
      }
      for (const path of ['team/sub/app', 'team/app', 'team/apps', 'team-b/app']) {
        await model().deployTokens.create(path, { name: path, scopes: ['read_registry'] });
      }

      await model().namespaces.delete('team/app');
      expect(await paths()).to.deep.equal([
        'team',
        'team-b',
        'team-b/app',
        'team/apps',
        'team/sub',
        'team/sub/app',
      ]);

      await model().namespaces.delete('team');
      expect(await paths()).to.deep.equal(['team-b', 'team-b/app']);
      const kept = (await model().namespaces.get('team-b/app')).id;
      const members = await db().selectFrom('members').select('namespace_id').execute();
      expect(members.map((row) => row.namespace_id)).to.deep.equal([kept]);
      const tokens = await db()
        .selectFrom('deploy_tokens')
        .select(['project_id', 'name'])
        .execute();
      expect(tokens).to.deep.equal([{ project_id: kept, name: 'team-b/app' }]);
      await expectProjectsError(model().namespaces.delete('team'), 'NOT_FOUND');
    });
  });

  describe('paths with "_" (and "%", from older rows) are taken literally', () => {
    it('deletes and renames "a_b" without touching "axb"', async () => {
      await model().namespaces.createGroup({ path: 'a_b' });
      await model().namespaces.createProject({ path: 'a_b/p' });
      await model().namespaces.createGroup({ path: 'axb' });
      await model().namespaces.createProject({ path: 'axb/p' });
      await model().namespaces.rename('a_b', 'a_c');
      expect(await paths()).to.deep.equal(['a_c', 'a_c/p', 'axb', 'axb/p']);
      await model().namespaces.delete('a_c');
      expect(await paths()).to.deep.equal(['axb', 'axb/p']);
    });

    it('deletes and renames "p%q" without touching "pzzq"', async () => {
      // The forge refuses "%" now; a row could only come from elsewhere.
      await plant(db(), 'p%q', ['p%q/x']);
      await plant(db(), 'pzzq', ['pzzq/x']);
      await plant(db(), 'p', ['p/q']);
      await model().namespaces.rename('p%q', 'pq');
      expect(await paths()).to.deep.equal(['p', 'p/q', 'pq', 'pq/x', 'pzzq', 'pzzq/x']);
      await plant(db(), 'p%', ['p%/x']);
      await model().namespaces.delete('p%');
      expect(await paths()).to.deep.equal(['p', 'p/q', 'pq', 'pq/x', 'pzzq', 'pzzq/x']);
    });
  });

  describe('projectOf and lineage', () => {
    it('finds the project whose path is a whole-component prefix of the repository', async () => {
      await model().namespaces.createGroup({ path: 'a' });
      const ab = await model().namespaces.createProject({ path: 'a/b' });
      await model().namespaces.createGroup({ path: 'a/g' });
      const agc = await model().namespaces.createProject({ path: 'a/g/c' });
      const of = async (repository: string) => (await model().namespaces.projectOf(repository))?.id;
      expect(await of('a/b')).to.equal(ab.id);
      expect(await of('a/b/c')).to.equal(ab.id);
      expect(await of('a/b/c/d/e')).to.equal(ab.id);
      expect(await of('a/g/c/x')).to.equal(agc.id);
      expect(await of('a/bc')).to.equal(undefined);
      expect(await of('a/b.c')).to.equal(undefined);
      expect(await of('a/g')).to.equal(undefined);
      expect(await of('a/g/x')).to.equal(undefined);
      expect(await of('a')).to.equal(undefined);
      expect(await of('b')).to.equal(undefined);
      expect(await of('')).to.equal(undefined);
    });

    it('picks the longest prefix when projects nest (rows the forge would not make)', async () => {
      await plant(db(), 'a', [], 'project');
      await plant(db(), 'a/b', [], 'project');
      const outer = await model().namespaces.get('a');
      const inner = await model().namespaces.get('a/b');
      expect((await model().namespaces.projectOf('a/b/c'))?.id).to.equal(inner.id);
      expect((await model().namespaces.projectOf('a/b'))?.id).to.equal(inner.id);
      expect((await model().namespaces.projectOf('a/bc'))?.id).to.equal(outer.id);
    });

    it('gives the lineage root first', async () => {
      const team = await model().namespaces.createGroup({ path: 'team' });
      const sub = await model().namespaces.createGroup({ path: 'team/sub' });
      await model().namespaces.createGroup({ path: 'team/subway' });
      const app = await model().namespaces.createProject({ path: 'team/sub/app' });
      expect(await model().namespaces.lineage(app)).to.deep.equal([team.id, sub.id, app.id]);
      expect(await model().namespaces.lineage(team)).to.deep.equal([team.id]);
    });
  });
});

/** Inserts a namespace row (and children) directly, as an older version or a hand might have. */
async function plant(
  db: Kysely<Tables>,
  path: string,
  children: readonly string[],
  kind: 'group' | 'project' = 'group',
): Promise<void> {
  const row = {
    visibility: 'private',
    container_registry_enabled: 0,
    registry_disabled_reason: null,
    created_at: new Date().toISOString(),
  };
  const parent = await db
    .insertInto('namespaces')
    .values({ ...row, kind, path, parent_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const child of children) {
    await db
      .insertInto('namespaces')
      .values({ ...row, kind: 'project', path: child, parent_id: parent.id })
      .execute();
  }
}
