import { createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import { ensureDebianPackages, freeLoopbackPort, writeOciLayout } from '@lading/registry-peers';
import { libtrustKeyId, parseChallenge } from '@lading/token-auth';
import { expect } from 'chai';
import { runLading, startLading, type LadingProcess } from './support/lading-process.js';
import { aliceAndBobThroughSkopeo } from './support/skopeo-token-flow.js';
import { basic, selfServingTokenConfig, tokenServiceFiles } from './support/token-keys.js';

async function token(lading: LadingProcess, scope: string, credentials?: string): Promise<string> {
  const response = await fetch(
    `${lading.url}/jwt/auth?service=registry.test&scope=${encodeURIComponent(scope)}`,
    {
      headers: credentials === undefined ? {} : { authorization: credentials },
    },
  );
  expect(response.status).to.equal(200);
  return ((await response.json()) as { token: string }).token;
}

describe('token authentication in the running server', function () {
  this.timeout(120_000);
  let lading: LadingProcess;

  before(async () => {
    await ensureDebianPackages({ openssl: 'openssl' });
    lading = await startLading({
      config: selfServingTokenConfig(await freeLoopbackPort()),
      files: tokenServiceFiles(),
    });
  });
  after(() => lading.stop());

  it('challenges with the realm built from the request, the service and the scope', async () => {
    const response = await fetch(`${lading.url}/v2/alice/app/tags/list`);
    expect(response.status).to.equal(401);
    const challenge = parseChallenge(response.headers.get('www-authenticate') ?? '');
    expect(challenge?.scheme.toLowerCase()).to.equal('bearer');
    expect(challenge?.params).to.deep.equal({
      realm: `${lading.url}/jwt/auth`,
      service: 'registry.test',
      scope: 'repository:alice/app:pull',
    });
  });

  it('lets a token with the right scope through, and refuses others with insufficient_scope', async () => {
    const content = Buffer.from('alice layer');
    const push = await token(
      lading,
      'repository:alice/app:pull,push',
      basic('alice', 'alice password'),
    );
    const pushed = await fetch(
      `${lading.url}/v2/alice/app/blobs/uploads/?digest=${digestOf(content)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${push}` },
        body: content,
      },
    );
    expect(pushed.status).to.equal(201);
    const pullOnly = await token(
      lading,
      'repository:alice/app:pull,push',
      basic('bob', 'bob password'),
    );
    const refused = await fetch(`${lading.url}/v2/alice/app/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pullOnly}` },
    });
    expect(refused.status).to.equal(401);
    expect(refused.headers.get('www-authenticate')).to.contain('error="insufficient_scope"');
    const pulled = await fetch(`${lading.url}/v2/alice/app/blobs/${digestOf(content)}`, {
      headers: { authorization: `Bearer ${pullOnly}` },
    });
    expect(pulled.status).to.equal(200);
    const elsewhere = await fetch(`${lading.url}/v2/bob/app/blobs/${digestOf(content)}`, {
      headers: { authorization: `Bearer ${push}` },
    });
    expect(elsewhere.status, 'a token for one repository used on another').to.equal(401);
  });

  it('needs registry:catalog:* for the catalog, and refuses wrong credentials a token', async () => {
    const admin = await token(lading, 'registry:catalog:*', basic('admin', 'admin password'));
    expect(
      (await fetch(`${lading.url}/v2/_catalog`, { headers: { authorization: `Bearer ${admin}` } }))
        .status,
    ).to.equal(200);
    const alice = await token(lading, 'registry:catalog:*', basic('alice', 'alice password'));
    expect(
      (await fetch(`${lading.url}/v2/_catalog`, { headers: { authorization: `Bearer ${alice}` } }))
        .status,
    ).to.equal(401);
    const wrong = await fetch(
      `${lading.url}/jwt/auth?service=registry.test&scope=repository:alice/app:pull`,
      { headers: { authorization: basic('alice', 'nope') } },
    );
    expect(wrong.status).to.equal(401);
    expect(JSON.stringify(await wrong.json())).to.not.contain('token"');
  });

  it('works with skopeo logging in through the token flow', async () => {
    const work = await mkdtemp(join(tmpdir(), 'lading-token-skopeo-'));
    try {
      const image = await writeOciLayout(join(work, 'layout'), {
        tag: '1',
        layers: [{ files: { a: 'token flow' } }],
      });
      const outcome = await aliceAndBobThroughSkopeo(
        lading.host,
        join(work, 'layout'),
        'alice/web',
      );
      expect(outcome.pulledDigest).to.equal(image.manifestDigest);
      expect(outcome.bobPush).to.not.equal('pushed');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('lading keys generate', function () {
  this.timeout(60_000);

  it('writes a private key (0600) and a certificate, prints the key id and the config, and never overwrites', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lading-keygen-'));
    try {
      const result = await runLading(['keys', 'generate', '--out', directory]);
      expect(result.code, result.stderr).to.equal(0);
      const certificate = await readFile(join(directory, 'token.pem'), 'utf8');
      expect(((await stat(join(directory, 'token.key'))).mode & 0o777).toString(8)).to.equal('600');
      expect(result.stdout).to.contain(`key id: ${libtrustKeyId(createPublicKey(certificate))}`);
      expect(result.stdout).to.contain('rootcertbundle:').and.contain('tokenservice:');
      const again = await runLading(['keys', 'generate', '--out', directory]);
      expect(again.code).to.equal(1);
      expect(again.stderr).to.contain('refusing to overwrite');
      const rsa = await runLading([
        'keys',
        'generate',
        '--out',
        join(directory, 'rsa'),
        '--algorithm',
        'RS256',
        '--days',
        '30',
      ]);
      expect(rsa.code, rsa.stderr).to.equal(0);
      expect(
        createPublicKey(await readFile(join(directory, 'rsa', 'token.pem'), 'utf8'))
          .asymmetricKeyType,
      ).to.equal('rsa');
      expect((await runLading(['keys', 'generate', '--algorithm', 'HS256'])).stderr).to.contain(
        'expected ES256, ES384 or RS256',
      );
      expect((await runLading(['keys', 'generate', '--days', '0'])).stderr).to.contain('--days 0');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
