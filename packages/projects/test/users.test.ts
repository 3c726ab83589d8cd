import { expect } from 'chai';
import { minPasswordLength, randomPassword } from '../src/index.js';
import { describeEachDialectStored, expectInvalid, expectProjectsError } from './support/stored.js';

const password = 'correct horse battery';

describeEachDialectStored('users', ({ model, db, clock }) => {
  const alice = { username: 'alice', email: 'alice@example.com', password };

  describe('create, find, get, list', () => {
    it('creates a user, not an admin and not blocked unless asked, stamped with the clock', async () => {
      const user = await model().users.create(alice);
      expect(user).to.deep.equal({
        id: user.id,
        username: 'alice',
        email: 'alice@example.com',
        admin: false,
        blocked: false,
        createdAt: clock.now,
      });
      const admin = await model().users.create({
        username: 'root',
        email: 'root@example.com',
        password,
        admin: true,
      });
      expect(admin.admin).to.equal(true);
      expect(admin.id).not.to.equal(user.id);
    });

    it('finds and gets by name and by id; an unknown name is undefined, or NOT_FOUND for get', async () => {
      const created = await model().users.create(alice);
      expect(await model().users.find('alice')).to.deep.equal(created);
      expect(await model().users.get('alice')).to.deep.equal(created);
      expect(await model().users.byId(created.id)).to.deep.equal(created);
      expect(await model().users.find('bob')).to.equal(undefined);
      expect(await model().users.byId(created.id + 1000)).to.equal(undefined);
      await expectProjectsError(model().users.get('bob'), 'NOT_FOUND', 'user "bob" not found');
    });

    it('lists users by name', async () => {
      for (const username of ['carol', 'alice', 'bob']) {
        await model().users.create({ username, email: `${username}@example.com`, password });
      }
      expect((await model().users.list()).map((user) => user.username)).to.deep.equal([
        'alice',
        'bob',
        'carol',
      ]);
    });

    it('stores a bcrypt hash, never the password', async () => {
      await model().users.create(alice);
      const row = await db()
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'alice')
        .executeTakeFirstOrThrow();
      expect(row.password_hash).to.match(/^\$2[aby]\$04\$/);
      expect(row.password_hash).not.to.include(password);
    });
  });

  describe('refusals on create', () => {
    it('refuses a taken username, and a taken email, as CONFLICT', async () => {
      await model().users.create(alice);
      await expectProjectsError(
        model().users.create({ ...alice, email: 'other@example.com' }),
        'CONFLICT',
        '"alice"',
      );
      await expectProjectsError(
        model().users.create({ ...alice, username: 'alice2' }),
        'CONFLICT',
        'alice@example.com',
      );
      expect(await model().users.list()).to.have.length(1);
    });

    for (const username of ['', '-alice', '.alice', '_alice', 'al ice', 'al+ice', 'alicé', 'a/b']) {
      it(`refuses the username ${JSON.stringify(username)}`, async () => {
        await expectInvalid(
          model().users.create({ ...alice, username }),
          'username',
          JSON.stringify(username),
        );
      });
    }

    it('takes usernames up to 255 characters, and no longer', async () => {
      await model().users.create({ ...alice, username: `a${'b'.repeat(254)}` });
      await expectInvalid(
        model().users.create({ ...alice, username: `a${'b'.repeat(255)}`, email: 'x@example.com' }),
        'username',
      );
      await model().users.create({ ...alice, username: 'A.b_c-9', email: 'y@example.com' });
    });

    for (const email of ['', 'alice', 'alice@', '@example.com', 'al ice@example.com', 'a@b@c']) {
      it(`refuses the email ${JSON.stringify(email)}`, async () => {
        await expectInvalid(model().users.create({ ...alice, email }), 'email', 'not an email');
      });
    }

    it('refuses an email over 254 characters', async () => {
      const email = `${'a'.repeat(243)}@example.com`;
      expect(email).to.have.length(255);
      await expectInvalid(model().users.create({ ...alice, email }), 'email');
      await model().users.create({ ...alice, email: email.slice(1) });
    });

    it('refuses passwords under 8 characters and over 72 bytes, naming the field', async () => {
      await expectInvalid(
        model().users.create({ ...alice, password: 'seven77' }),
        'password',
        'at least 8',
      );
      await expectInvalid(
        model().users.create({ ...alice, password: 'x'.repeat(73) }),
        'password',
        '72 bytes',
      );
      // 37 characters, 74 bytes: bcrypt counts bytes.
      await expectInvalid(
        model().users.create({ ...alice, password: 'é'.repeat(37) }),
        'password',
        '72 bytes',
      );
      expect(await model().users.list()).to.deep.equal([]);
      await model().users.create({ ...alice, password: 'x'.repeat(72) });
      await model().users.create({ username: 'bob', email: 'b@example.com', password: '12345678' });
    });
  });

  describe('update', () => {
    it('changes email, admin and blocked, and returns the user unchanged when asked nothing', async () => {
      const created = await model().users.create(alice);
      expect(await model().users.update('alice', {})).to.deep.equal(created);
      const updated = await model().users.update('alice', {
        email: 'a@example.org',
        admin: true,
        blocked: true,
      });
      expect(updated).to.deep.equal({
        ...created,
        email: 'a@example.org',
        admin: true,
        blocked: true,
      });
      expect(await model().users.get('alice')).to.deep.equal(updated);
      const back = await model().users.update('alice', { admin: false, blocked: false });
      expect(back).to.include({ admin: false, blocked: false, email: 'a@example.org' });
    });

    it('refuses an unknown user, a bad email, a bad password and a taken email', async () => {
      await model().users.create(alice);
      await model().users.create({ username: 'bob', email: 'bob@example.com', password });
      await expectProjectsError(model().users.update('nobody', { admin: true }), 'NOT_FOUND');
      await expectInvalid(model().users.update('alice', { email: 'nope' }), 'email');
      await expectInvalid(model().users.update('alice', { password: 'short' }), 'password');
      await expectInvalid(
        model().users.update('alice', { password: 'y'.repeat(73) }),
        'password',
        '72 bytes',
      );
      await expectProjectsError(
        model().users.update('alice', { email: 'bob@example.com' }),
        'CONFLICT',
        'bob@example.com',
      );
      expect((await model().users.get('alice')).email).to.equal('alice@example.com');
    });

    it('makes a changed password the only one that works', async () => {
      await model().users.create(alice);
      await model().users.update('alice', { password: 'a new passphrase' });
      expect(await model().users.authenticate('alice', password)).to.equal(undefined);
      expect((await model().users.authenticate('alice', 'a new passphrase'))?.username).to.equal(
        'alice',
      );
    });
  });

  describe('authenticate', () => {
    it('returns the user for the right password only', async () => {
      const created = await model().users.create(alice);
      expect(await model().users.authenticate('alice', password)).to.deep.equal(created);
      expect(await model().users.authenticate('alice', 'wrong password')).to.equal(undefined);
      expect(await model().users.authenticate('alice', '')).to.equal(undefined);
      expect(await model().users.authenticate('alice', password.toUpperCase())).to.equal(undefined);
      // bcrypt reads 72 bytes; a longer guess that starts with the password must not pass.
      expect(await model().users.authenticate('alice', password + 'x'.repeat(80))).to.equal(
        undefined,
      );
    });

    it('does not let a 72-byte password match itself followed by more', async () => {
      const longest = 'p'.repeat(72);
      await model().users.create({ ...alice, password: longest });
      expect((await model().users.authenticate('alice', longest))?.username).to.equal('alice');
      expect(await model().users.authenticate('alice', `${longest}x`)).to.equal(undefined);
      expect(await model().users.authenticate('alice', longest.slice(1))).to.equal(undefined);
    });

    it('returns undefined for an unknown user, whatever the password', async () => {
      await model().users.create(alice);
      expect(await model().users.authenticate('bob', password)).to.equal(undefined);
      expect(await model().users.authenticate('Alice', password)).to.equal(undefined);
      expect(await model().users.authenticate('', '')).to.equal(undefined);
    });

    it('refuses a blocked user with the right password, until unblocked', async () => {
      await model().users.create(alice);
      await model().users.update('alice', { blocked: true });
      expect(await model().users.authenticate('alice', password)).to.equal(undefined);
      await model().users.update('alice', { blocked: false });
      expect((await model().users.authenticate('alice', password))?.username).to.equal('alice');
    });
  });

  describe('delete', () => {
    it('removes the user; an unknown user is NOT_FOUND', async () => {
      await model().users.create(alice);
      await model().users.delete('alice');
      expect(await model().users.find('alice')).to.equal(undefined);
      await expectProjectsError(model().users.delete('alice'), 'NOT_FOUND', '"alice"');
      await model().users.create(alice);
    });

    it('removes their memberships and personal access tokens, and only theirs', async () => {
      const gone = await model().users.create(alice);
      const kept = await model().users.create({
        username: 'bob',
        email: 'bob@example.com',
        password,
      });
      await model().namespaces.createGroup({ path: 'team' });
      await model().namespaces.createProject({ path: 'team/app' });
      for (const username of ['alice', 'bob']) {
        await model().members.set('team', username, 'developer');
        await model().members.set('team/app', username, 'maintainer');
      }
      const { token } = await model().accessTokens.create('alice', {
        name: 'ci',
        scopes: ['api'],
      });
      await model().accessTokens.create('bob', { name: 'ci', scopes: ['api'] });

      await model().users.delete('alice');

      const members = await db().selectFrom('members').select(['user_id']).execute();
      expect(members.map((row) => row.user_id)).to.deep.equal([kept.id, kept.id]);
      const tokens = await db().selectFrom('personal_access_tokens').select('user_id').execute();
      expect(tokens.map((row) => row.user_id)).to.deep.equal([kept.id]);
      expect(await model().accessTokens.findUsable(token)).to.equal(undefined);
      // A new account of the same name inherits nothing.
      const again = await model().users.create(alice);
      expect(again.id).not.to.equal(gone.id);
      expect((await model().members.list('team')).map((member) => member.username)).to.deep.equal([
        'bob',
      ]);
      expect(await model().accessTokens.list('alice')).to.deep.equal([]);
    });
  });
});

describe('randomPassword', () => {
  it('gives 24 URL-safe characters, new each time, within what a password may be', () => {
    const made = new Set(Array.from({ length: 20 }, () => randomPassword()));
    expect(made.size).to.equal(20);
    for (const password of made) {
      expect(password).to.match(/^[A-Za-z0-9_-]{24}$/);
      expect(password.length).to.be.at.least(minPasswordLength);
    }
  });
});
