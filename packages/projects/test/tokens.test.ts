import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  deployTokenPrefix,
  deployTokenUsername,
  personalAccessTokenPrefix,
  type TokenScope,
} from '../src/index.js';
import { describeEachDialectStored, expectInvalid, expectProjectsError } from './support/stored.js';

const password = 'correct horse battery';
const hour = 3600_000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describeEachDialectStored('personal access tokens', ({ model, db, clock }) => {
  beforeEach(async () => {
    await model().users.create({ username: 'alice', email: 'alice@example.com', password });
    await model().users.create({ username: 'bob', email: 'bob@example.com', password });
  });

  it('gives the secret once, with its prefix, and stores only its SHA-256', async () => {
    const alice = await model().users.get('alice');
    const { token, record } = await model().accessTokens.create('alice', {
      name: 'laptop',
      scopes: ['read_registry', 'write_registry'],
    });
    expect(token).to.match(new RegExp(`^${personalAccessTokenPrefix}[A-Za-z0-9_-]{43}$`));
    expect(record).to.deep.equal({
      id: record.id,
      name: 'laptop',
      scopes: ['read_registry', 'write_registry'],
      userId: alice.id,
      username: 'alice',
      createdAt: clock.now,
    });
    const rows = await db().selectFrom('personal_access_tokens').selectAll().execute();
    expect(rows).to.have.length(1);
    expect(rows[0]?.token_hash).to.equal(sha256(token));
    expect(JSON.stringify(rows)).not.to.include(token.slice(personalAccessTokenPrefix.length));
    // Nothing that reads tokens back gives the secret again.
    expect(JSON.stringify(await model().accessTokens.list('alice'))).not.to.include(token);
    expect(await model().accessTokens.get(record.id)).to.deep.equal(record);

    const second = await model().accessTokens.create('alice', { name: 'ci', scopes: ['api'] });
    expect(second.token).not.to.equal(token);
  });

  it('lists a user’s tokens in order, and only theirs', async () => {
    const one = await model().accessTokens.create('alice', { name: 'one', scopes: ['api'] });
    await model().accessTokens.create('bob', { name: 'bobs', scopes: ['api'] });
    const two = await model().accessTokens.create('alice', {
      name: 'two',
      scopes: ['read_registry'],
      expiresAt: new Date(clock.now.getTime() + hour),
    });
    expect(await model().accessTokens.list('alice')).to.deep.equal([one.record, two.record]);
    expect(two.record.expiresAt).to.deep.equal(new Date(clock.now.getTime() + hour));
    await expectProjectsError(model().accessTokens.list('carol'), 'NOT_FOUND', 'user "carol"');
    await expectProjectsError(
      model().accessTokens.create('carol', { name: 'x', scopes: ['api'] }),
      'NOT_FOUND',
    );
    await expectProjectsError(
      model().accessTokens.get(two.record.id + 100),
      'NOT_FOUND',
      `personal access token ${two.record.id + 100}`,
    );
  });

  it('refuses bad names, no scopes, unknown scopes, and expiry not in the future', async () => {
    const create = (spec: { name?: string; scopes?: readonly string[]; expiresAt?: Date }) =>
      model().accessTokens.create('alice', {
        name: spec.name ?? 'token',
        scopes: (spec.scopes ?? ['api']) as TokenScope[],
        ...(spec.expiresAt === undefined ? {} : { expiresAt: spec.expiresAt }),
      });
    await expectInvalid(create({ name: '' }), 'name');
    await expectInvalid(create({ name: '   ' }), 'name');
    await expectInvalid(create({ name: 'x'.repeat(256) }), 'name', '1 to 255');
    await expectInvalid(create({ scopes: [] }), 'scopes', 'at least one');
    await expectInvalid(create({ scopes: ['read_registry', 'sudo'] }), 'scopes', '"sudo"');
    await expectInvalid(create({ scopes: ['READ_REGISTRY'] }), 'scopes');
    await expectInvalid(
      create({ expiresAt: new Date(clock.now.getTime() - 1) }),
      'expiresAt',
      'in the past',
    );
    await expectInvalid(create({ expiresAt: clock.now }), 'expiresAt', 'in the past');
    await expectInvalid(create({ expiresAt: new Date('soon') }), 'expiresAt', 'not a date');
    expect(await model().accessTokens.list('alice')).to.deep.equal([]);
    await create({ name: 'x'.repeat(255), expiresAt: new Date(clock.now.getTime() + 1) });
  });

  it('finds a usable token by its secret and notes when it was used', async () => {
    const { token, record } = await model().accessTokens.create('alice', {
      name: 'ci',
      scopes: ['api'],
    });
    clock.advance(hour);
    const found = await model().accessTokens.findUsable(token);
    expect(found?.id).to.equal(record.id);
    expect((await model().accessTokens.get(record.id)).lastUsedAt).to.deep.equal(clock.now);
    clock.advance(hour);
    await model().accessTokens.findUsable(token);
    expect((await model().accessTokens.get(record.id)).lastUsedAt).to.deep.equal(clock.now);
    expect((await model().accessTokens.usable(record.id))?.id).to.equal(record.id);
  });

  it('finds nothing for a wrong, foreign or unprefixed secret', async () => {
    const { token } = await model().accessTokens.create('alice', { name: 'ci', scopes: ['api'] });
    const body = token.slice(personalAccessTokenPrefix.length);
    expect(await model().accessTokens.findUsable(body)).to.equal(undefined);
    expect(await model().accessTokens.findUsable(`${deployTokenPrefix}${body}`)).to.equal(
      undefined,
    );
    expect(await model().accessTokens.findUsable(`${token}x`)).to.equal(undefined);
    expect(await model().accessTokens.findUsable(personalAccessTokenPrefix)).to.equal(undefined);
    expect(await model().accessTokens.findUsable('')).to.equal(undefined);
    expect(await model().accessTokens.usable(12345)).to.equal(undefined);
    expect(await model().accessTokens.usable(Number.NaN)).to.equal(undefined);
  });

  it('revokes a token at once; a second revocation keeps the first time', async () => {
    const { token, record } = await model().accessTokens.create('alice', {
      name: 'ci',
      scopes: ['api'],
    });
    clock.advance(hour);
    const revoked = await model().accessTokens.revoke(record.id);
    expect(revoked).to.deep.equal({ ...record, revokedAt: clock.now });
    expect(await model().accessTokens.findUsable(token)).to.equal(undefined);
    expect(await model().accessTokens.usable(record.id)).to.equal(undefined);
    const first = clock.now;
    clock.advance(hour);
    expect((await model().accessTokens.revoke(record.id)).revokedAt).to.deep.equal(first);
    await expectProjectsError(model().accessTokens.revoke(record.id + 100), 'NOT_FOUND');
    // A revoked token is not noted as used.
    expect((await model().accessTokens.get(record.id)).lastUsedAt).to.equal(undefined);
  });

  it('stops a token when it expires', async () => {
    const { token, record } = await model().accessTokens.create('alice', {
      name: 'ci',
      scopes: ['api'],
      expiresAt: new Date(clock.now.getTime() + hour),
    });
    clock.advance(hour - 1);
    expect((await model().accessTokens.findUsable(token))?.id).to.equal(record.id);
    clock.advance(1);
    expect(await model().accessTokens.findUsable(token)).to.equal(undefined);
    expect(await model().accessTokens.usable(record.id)).to.equal(undefined);
  });
});

describeEachDialectStored('deploy tokens', ({ model, db, clock }) => {
  beforeEach(async () => {
    await model().namespaces.createGroup({ path: 'team' });
    await model().namespaces.createProject({ path: 'team/app' });
    await model().namespaces.createProject({ path: 'team/other' });
  });

  it('gives the secret once, a lading+deploy-token-<id> username, and stores the SHA-256', async () => {
    const project = await model().namespaces.get('team/app');
    const { token, record } = await model().deployTokens.create('team/app', {
      name: 'ci',
      scopes: ['read_registry'],
    });
    expect(token).to.match(new RegExp(`^${deployTokenPrefix}[A-Za-z0-9_-]{43}$`));
    expect(record).to.deep.equal({
      id: record.id,
      name: 'ci',
      scopes: ['read_registry'],
      projectId: project.id,
      projectPath: 'team/app',
      username: `lading+deploy-token-${record.id}`,
      createdAt: clock.now,
    });
    expect(deployTokenUsername(record.id)).to.equal(record.username);
    const rows = await db().selectFrom('deploy_tokens').selectAll().execute();
    expect(rows.map((row) => [row.username, row.token_hash])).to.deep.equal([
      [record.username, sha256(token)],
    ]);
    expect(JSON.stringify(rows)).not.to.include(token.slice(deployTokenPrefix.length));
    expect(await model().deployTokens.get(record.id)).to.deep.equal(record);

    const second = await model().deployTokens.create('team/app', {
      name: 'ci',
      scopes: ['write_registry'],
    });
    expect(second.record.username).to.equal(`lading+deploy-token-${second.record.id}`);
    expect(second.record.id).not.to.equal(record.id);
    expect(await model().deployTokens.list('team/app')).to.deep.equal([record, second.record]);
    expect(await model().deployTokens.list('team/other')).to.deep.equal([]);
  });

  it('refuses api scope, unknown scopes, expiry in the past, groups and unknown projects', async () => {
    await expectInvalid(
      model().deployTokens.create('team/app', { name: 'ci', scopes: ['api'] }),
      'scopes',
      '"api" is not one of read_registry, write_registry',
    );
    await expectInvalid(
      model().deployTokens.create('team/app', { name: 'ci', scopes: ['sudo' as TokenScope] }),
      'scopes',
    );
    await expectInvalid(
      model().deployTokens.create('team/app', {
        name: 'ci',
        scopes: ['read_registry'],
        expiresAt: new Date(clock.now.getTime() - hour),
      }),
      'expiresAt',
    );
    await expectInvalid(
      model().deployTokens.create('team/app', { name: '', scopes: ['read_registry'] }),
      'name',
    );
    await expectProjectsError(
      model().deployTokens.create('team', { name: 'ci', scopes: ['read_registry'] }),
      'NOT_FOUND',
      'project "team"',
    );
    await expectProjectsError(
      model().deployTokens.create('team/nope', { name: 'ci', scopes: ['read_registry'] }),
      'NOT_FOUND',
    );
    await expectProjectsError(model().deployTokens.list('team'), 'NOT_FOUND');
    await expectProjectsError(model().deployTokens.get(999), 'NOT_FOUND', 'deploy token 999');
    expect(await db().selectFrom('deploy_tokens').selectAll().execute()).to.deep.equal([]);
  });

  it('finds a usable token only with its own username', async () => {
    const { token, record } = await model().deployTokens.create('team/app', {
      name: 'ci',
      scopes: ['write_registry'],
    });
    const other = await model().deployTokens.create('team/other', {
      name: 'ci',
      scopes: ['write_registry'],
    });
    expect(await model().deployTokens.findUsable(record.username, token)).to.deep.equal(record);
    expect(await model().deployTokens.findUsable(other.record.username, token)).to.equal(undefined);
    expect(await model().deployTokens.findUsable('alice', token)).to.equal(undefined);
    expect(await model().deployTokens.findUsable(record.username, other.token)).to.equal(undefined);
    expect(await model().deployTokens.findUsable(record.username, `${token}x`)).to.equal(undefined);
    expect(
      await model().deployTokens.findUsable(record.username, token.slice(deployTokenPrefix.length)),
    ).to.equal(undefined);
    expect((await model().deployTokens.usable(record.id))?.id).to.equal(record.id);
    expect(await model().deployTokens.usable(9999)).to.equal(undefined);
  });

  it('stops a token when revoked or expired', async () => {
    const revoked = await model().deployTokens.create('team/app', {
      name: 'revoked',
      scopes: ['read_registry'],
    });
    const expiring = await model().deployTokens.create('team/app', {
      name: 'expiring',
      scopes: ['read_registry'],
      expiresAt: new Date(clock.now.getTime() + hour),
    });
    clock.advance(1000);
    const after = await model().deployTokens.revoke(revoked.record.id);
    expect(after).to.deep.equal({ ...revoked.record, revokedAt: clock.now });
    expect(await model().deployTokens.findUsable(revoked.record.username, revoked.token)).to.equal(
      undefined,
    );
    expect(await model().deployTokens.usable(revoked.record.id)).to.equal(undefined);
    const first = clock.now;
    clock.advance(1000);
    expect((await model().deployTokens.revoke(revoked.record.id)).revokedAt).to.deep.equal(first);
    await expectProjectsError(model().deployTokens.revoke(9999), 'NOT_FOUND');

    expect(
      (await model().deployTokens.findUsable(expiring.record.username, expiring.token))?.id,
    ).to.equal(expiring.record.id);
    clock.advance(hour);
    expect(
      await model().deployTokens.findUsable(expiring.record.username, expiring.token),
    ).to.equal(undefined);
    expect(await model().deployTokens.usable(expiring.record.id)).to.equal(undefined);
  });

  it('follows its project through a rename and goes with it on delete', async () => {
    const { token, record } = await model().deployTokens.create('team/app', {
      name: 'ci',
      scopes: ['read_registry'],
    });
    await model().namespaces.rename('team/app', 'team/renamed');
    expect((await model().deployTokens.get(record.id)).projectPath).to.equal('team/renamed');
    expect((await model().deployTokens.findUsable(record.username, token))?.projectPath).to.equal(
      'team/renamed',
    );
    await model().namespaces.delete('team/renamed');
    expect(await model().deployTokens.findUsable(record.username, token)).to.equal(undefined);
    await expectProjectsError(model().deployTokens.get(record.id), 'NOT_FOUND');
  });
});
