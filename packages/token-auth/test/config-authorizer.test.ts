import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import {
  createConfigAuthorizer,
  grantWithin,
  loadConfigAuthorizer,
  parseScopes,
  type ConfigAuthorizerOptions,
  type ConfigRule,
} from '../src/index.js';

// Made by Apache's `htpasswd -nbB -C 4 bob hunter2`: the `$2y$` form htpasswd files hold.
const bobHash = '$2y$04$BfEW9/NapFCqcWkc1WEFY.uXuNdqKDrA0T4QeYCilFNHy03l1xOjm';

const rules: ConfigRule[] = [
  { match: { type: 'repository', name: 'public/**' }, actions: ['pull'] },
  { match: { account: '*', name: 'shared/*' }, actions: ['pull'] },
  { match: { account: '*', name: '${account}/**' }, actions: ['*'] },
  { match: { account: 'ci-*', type: 'repository', name: 'builds/*' }, actions: ['pull', 'push'] },
  { match: { account: 'ci-*', name: 'builds/*' }, actions: ['pull'] },
  { match: { account: 'alice', type: 'registry', name: 'catalog' }, actions: ['*'] },
  { match: { account: 'admin' }, actions: ['*'] },
  { match: { name: 'home/${account}' }, actions: ['pull'] },
];

const options: ConfigAuthorizerOptions = {
  users: {
    alice: bcrypt.hashSync('wonderland', 4),
    bob: bobHash,
    'ci-runner': bcrypt.hashSync('token', 4),
    admin: bcrypt.hashSync('root', 4),
    'a.b': bcrypt.hashSync('dots', 4),
  },
  rules,
};

describe('the config authorizer', () => {
  const authorizer = createConfigAuthorizer(options);
  const grant = (name: string | undefined, scopes: string) =>
    authorizer.authorize(name === undefined ? undefined : { name }, parseScopes(scopes));

  describe('authenticate', () => {
    it('accepts the right password, $2y$ hashes from htpasswd included', async () => {
      expect(await authorizer.authenticate('alice', 'wonderland')).to.deep.equal({
        name: 'alice',
      });
      expect(await authorizer.authenticate('bob', 'hunter2')).to.deep.equal({ name: 'bob' });
    });

    it('answers undefined for a wrong password and for an unknown user alike', async () => {
      expect(await authorizer.authenticate('alice', 'wrong')).to.equal(undefined);
      expect(await authorizer.authenticate('bob', '')).to.equal(undefined);
      expect(await authorizer.authenticate('mallory', 'wonderland')).to.equal(undefined);
      expect(await authorizer.authenticate('', '')).to.equal(undefined);
      expect(await authorizer.authenticate('constructor', 'x')).to.equal(undefined);
      expect(await authorizer.authenticate('__proto__', 'x')).to.equal(undefined);
    });

    it('takes as long for an unknown user as for a wrong password', async function () {
      this.timeout(30_000);
      const slow = createConfigAuthorizer({
        users: { alice: bcrypt.hashSync('wonderland', 10) },
        rules: [],
      });
      await slow.authenticate('nobody', 'x'); // the decoy hash is ready from here on
      const time = async (user: string): Promise<number> => {
        const samples: number[] = [];
        for (let i = 0; i < 3; i++) {
          const start = process.hrtime.bigint();
          await slow.authenticate(user, 'wrong');
          samples.push(Number(process.hrtime.bigint() - start));
        }
        return samples.sort((a, b) => a - b)[1]!;
      };
      const known = await time('alice');
      const unknown = await time('nobody');
      // Both pay a full cost-10 bcrypt comparison; without the decoy, unknown would be ~0.
      // Wide bounds: CI machines are noisy, and the case it guards against is a ratio near 0.
      expect(unknown / known).to.be.within(0.2, 5);
    });
  });

  describe('authorize', () => {
    it('grants anonymous requests only what rules without account allow', async () => {
      expect(
        await grant(undefined, 'repository:public/a/b:pull,push repository:shared/x:pull'),
      ).to.deep.equal([{ type: 'repository', name: 'public/a/b', actions: ['pull'] }]);
      expect(await grant(undefined, 'repository:alice/app:pull')).to.deep.equal([]);
      // `${account}` in a rule open to anyone still needs someone signed in.
      expect(await grant(undefined, 'repository:home/x:pull')).to.deep.equal([]);
      expect(await grant('bob', 'repository:home/bob:pull repository:home/x:pull')).to.deep.equal(
        parseScopes('repository:home/bob:pull'),
      );
    });

    it('grants "*" accounts to any signed-in user, with * staying within a path component', async () => {
      expect(await grant('bob', 'repository:shared/x:pull,push')).to.deep.equal([
        { type: 'repository', name: 'shared/x', actions: ['pull'] },
      ]);
      expect(await grant('bob', 'repository:shared/x/y:pull')).to.deep.equal([]);
    });

    it('substitutes ${account}, literally, for a personal namespace', async () => {
      expect(await grant('alice', 'repository:alice/app/sub:pull,push,delete')).to.deep.equal([
        { type: 'repository', name: 'alice/app/sub', actions: ['pull', 'push', 'delete'] },
      ]);
      expect(await grant('alice', 'repository:alice/app:*')).to.deep.equal([
        { type: 'repository', name: 'alice/app', actions: ['*'] },
      ]);
      expect(await grant('alice', 'repository:bob/app:pull')).to.deep.equal([]);
      expect(await grant('alice', 'repository:alice:pull')).to.deep.equal([]);
      expect(await grant('a.b', 'repository:a.b/x:pull repository:axb/x:pull')).to.deep.equal([
        { type: 'repository', name: 'a.b/x', actions: ['pull'] },
      ]);
    });

    it('matches account globs and types, adding rules up', async () => {
      expect(
        await grant(
          'ci-runner',
          'repository:builds/app:pull,push,delete repository:builds/a/b:pull',
        ),
      ).to.deep.equal([{ type: 'repository', name: 'builds/app', actions: ['pull', 'push'] }]);
      expect(await grant('bob', 'repository:builds/app:pull')).to.deep.equal([]);
      expect(await grant('alice', 'registry:catalog:*')).to.deep.equal([
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ]);
      expect(await grant('bob', 'registry:catalog:*')).to.deep.equal([]);
    });

    it('does not hand out * for a list of actions, and hands out anything for *', async () => {
      expect(await grant('ci-runner', 'repository:builds/app:*')).to.deep.equal([]);
      expect(
        await grant('admin', 'repository:x/y:* registry:catalog:* repository:z:pull'),
      ).to.deep.equal(parseScopes('repository:x/y:* registry:catalog:* repository:z:pull'));
    });

    it('keeps the class of a requested resource and matches rules on its type', async () => {
      expect(await grant(undefined, 'repository(plugin):public/p:pull')).to.deep.equal([
        { type: 'repository', class: 'plugin', name: 'public/p', actions: ['pull'] },
      ]);
    });
  });

  it('resolves accounts that still exist', async () => {
    expect(await authorizer.resolve('alice')).to.deep.equal({ name: 'alice' });
    expect(await authorizer.resolve('mallory')).to.equal(undefined);
    expect(await authorizer.resolve('toString')).to.equal(undefined);
  });

  it('cuts any grant to what was requested (grantWithin)', () => {
    const requested = parseScopes('repository:a:pull,push repository:b:* repository:c:pull');
    const granted = parseScopes(
      'repository:a:* repository:b:pull repository:d:pull registry:catalog:*',
    );
    expect(grantWithin(granted, requested)).to.deep.equal(parseScopes('repository:a:pull,push'));
  });

  it('refuses a malformed configuration, saying where', () => {
    const hash = bcrypt.hashSync('x', 4);
    const cases: [unknown, RegExp][] = [
      [null, /expected an object/],
      [{ users: [], rules: [] }, /"users" must map/],
      [{ users: { a: 'plain' }, rules: [] }, /users\.a is not a bcrypt hash/],
      [{ users: { a: '$1$abc' }, rules: [] }, /bcrypt/],
      [{ users: { 'a:b': hash }, rules: [] }, /user name "a:b"/],
      [{ users: { '': hash }, rules: [] }, /user name ""/],
      [{ users: {}, rules: {} }, /"rules" must be a list/],
      [{ users: {}, rules: [{ actions: ['pull'] }] }, /rules\[0\] needs "match"/],
      [{ users: {}, rules: [{ match: { name: 7 }, actions: [] }] }, /rules\[0\]\.match\.name/],
      [{ users: {}, rules: [{ match: { account: '' }, actions: [] }] }, /match\.account/],
      [{ users: {}, rules: [{ match: { repo: 'x' }, actions: [] }] }, /match\.repo is unknown/],
      [{ users: {}, rules: [{ match: {}, actions: 'pull' }] }, /actions must list/],
      [{ users: {}, rules: [{ match: {}, actions: ['Pull'] }] }, /actions must list/],
      [{ users: {}, rules: [{}, { match: {}, actions: [''] }] }, /rules\[0\]/],
    ];
    for (const [config, message] of cases) {
      expect(
        () => createConfigAuthorizer(config as ConfigAuthorizerOptions),
        String(message),
      ).to.throw(TypeError, message);
    }
  });

  describe('loadConfigAuthorizer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lading-authorizer-'));
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads the same shape from a JSON file', async () => {
      const path = join(dir, 'auth.json');
      writeFileSync(path, JSON.stringify(options));
      const loaded = await loadConfigAuthorizer(path);
      expect(await loaded.authenticate('bob', 'hunter2')).to.deep.equal({ name: 'bob' });
      expect(
        await loaded.authorize({ name: 'bob' }, parseScopes('repository:bob/x:push')),
      ).to.deep.equal(parseScopes('repository:bob/x:push'));
    });

    it('names the file when it cannot be read or is wrong', async () => {
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{"users": ');
      const wrong = join(dir, 'wrong.json');
      writeFileSync(wrong, '{"users": {}, "rules": "all"}');
      for (const [path, message] of [
        [broken, /broken\.json: not readable as JSON/],
        [join(dir, 'missing.json'), /missing\.json: not readable/],
        [wrong, /wrong\.json: "rules" must be a list/],
      ] as const) {
        let caught: unknown;
        try {
          await loadConfigAuthorizer(path);
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(TypeError).with.property('message').that.matches(message);
      }
    });
  });
});
