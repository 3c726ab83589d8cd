import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { parseHtpasswd } from '../src/auth/htpasswd.js';
import { startLading } from './support/lading-process.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const withAuth = (auth: string) => `version: 0.1
storage:
  inmemory: {}
http:
  addr: 127.0.0.1:0
auth:
${auth}`;

describe('authentication schemes', function () {
  this.timeout(60_000);

  it('htpasswd: a Basic challenge without or with wrong credentials, through with right ones', async () => {
    const htpasswd = `# users\nalice:${bcrypt.hashSync('wonderland', 4).replace('$2b$', '$2y$')}\nbob:${bcrypt.hashSync('builder', 4)}\n`;
    const lading = await startLading({
      config: withAuth('  htpasswd:\n    realm: Lading test\n    path: {dir}/htpasswd\n'),
      files: { htpasswd },
    });
    try {
      const anonymous = await fetch(`${lading.url}/v2/`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.equal('Basic realm="Lading test"');
      const body = (await anonymous.json()) as { errors: { code: string }[] };
      expect(body.errors[0]?.code).to.equal('UNAUTHORIZED');
      for (const [user, password] of [
        ['alice', 'wrong'],
        ['mallory', 'wonderland'],
        ['alice', ''],
      ] as const) {
        expect(
          (await fetch(`${lading.url}/v2/`, { headers: { authorization: basic(user, password) } }))
            .status,
          `${user}:${password}`,
        ).to.equal(401);
      }
      expect(
        (await fetch(`${lading.url}/v2/`, { headers: { authorization: 'Basic !!!' } })).status,
      ).to.equal(401);
      for (const [user, password] of [
        ['alice', 'wonderland'],
        ['bob', 'builder'],
      ] as const) {
        const response = await fetch(`${lading.url}/v2/_catalog`, {
          headers: { authorization: basic(user, password) },
        });
        expect(response.status, user).to.equal(200);
      }
    } finally {
      await lading.stop();
    }
  });

  it('htpasswd: takes a changed file without a restart', async () => {
    const lading = await startLading({
      config: withAuth('  htpasswd:\n    realm: r\n    path: {dir}/htpasswd\n'),
      files: { htpasswd: `alice:${bcrypt.hashSync('one', 4)}\n` },
    });
    try {
      expect(
        (await fetch(`${lading.url}/v2/`, { headers: { authorization: basic('carol', 'two') } }))
          .status,
      ).to.equal(401);
      await writeFile(join(lading.directory, 'htpasswd'), `carol:${bcrypt.hashSync('two', 4)}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(
        (await fetch(`${lading.url}/v2/`, { headers: { authorization: basic('carol', 'two') } }))
          .status,
      ).to.equal(200);
      expect(
        (await fetch(`${lading.url}/v2/`, { headers: { authorization: basic('alice', 'one') } }))
          .status,
      ).to.equal(401);
    } finally {
      await lading.stop();
    }
  });

  it('htpasswd: refuses a file that is not bcrypt, naming the line', async () => {
    expect(() => parseHtpasswd('alice:{SHA}abc\n', '/etc/htpasswd')).to.throw(
      '/etc/htpasswd:1: expected "user:<bcrypt hash>"',
    );
    expect(
      parseHtpasswd('\n# comment\nbob:$2y$05$abcdefghijklmnopqrstuu\n', 'f').get('bob'),
    ).to.match(/^\$2y\$/);
    const result = await startLading({
      config: withAuth('  htpasswd:\n    realm: r\n    path: {dir}/htpasswd\n'),
      files: { htpasswd: 'alice:plain\n' },
    }).then(
      async (lading) => {
        await lading.stop();
        return 'started';
      },
      (error: unknown) => String(error),
    );
    expect(result).to.contain('only bcrypt is supported');
  });

  it('silly: any Authorization header passes; none gets a Bearer challenge with the scope', async () => {
    const lading = await startLading({
      config: withAuth(
        '  silly:\n    realm: https://auth.example.com/token\n    service: registry.example.com\n',
      ),
    });
    try {
      const anonymous = await fetch(`${lading.url}/v2/library/app/tags/list`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.equal(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:library/app:pull"',
      );
      const base = await fetch(`${lading.url}/v2/`);
      expect(base.headers.get('www-authenticate')).to.equal(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com"',
      );
      expect(
        (
          await fetch(`${lading.url}/v2/library/app/tags/list`, {
            headers: { authorization: 'Bearer anything' },
          })
        ).status,
      ).to.equal(404);
    } finally {
      await lading.stop();
    }
  });
});
