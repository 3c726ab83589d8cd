import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPodman,
  ensureDebianPackages,
  freeLoopbackPort,
  skopeo,
  startDistribution,
  writeOciLayout,
} from '@lading/registry-peers';
import { expect } from 'chai';
import { runLading, startLading } from './support/lading-process.js';
import { withPki } from './support/pki.js';
import { aliceAndBobThroughSkopeo } from './support/skopeo-token-flow.js';
import {
  selfServingTokenConfig,
  signingKey,
  tokenServiceFiles,
  usersFile,
} from './support/token-keys.js';

const tokenService = (port: number) => `version: 0.1
storage:
  inmemory: {}
http:
  addr: 127.0.0.1:${String(port)}
lading:
  tokenservice:
    issuer: lading-test
    services: [registry.test]
    key: {dir}/token.key
    users: {dir}/users.json
`;

describe('tokens across registries', function () {
  this.timeout(120_000);
  before(() => ensureDebianPackages({ openssl: 'openssl' }));

  it('the token service alone, deciding by projects, in front of CNCF distribution', async () => {
    const { key, certificate } = signingKey('rsa');
    const work = await mkdtemp(join(tmpdir(), 'lading-token-projects-'));
    const lading = await startLading({
      config: `version: 0.1
storage:
  inmemory: {}
  maintenance:
    readonly:
      enabled: true
http:
  addr: 127.0.0.1:${String(await freeLoopbackPort())}
lading:
  tokenservice:
    issuer: lading-test
    services: [registry.test]
    key: {dir}/token.key
  projects:
    database:
      sqlite: {dir}/lading.db
    bcryptcost: 4
`,
      files: { 'token.key': key },
    });
    const configFile = join(lading.directory, 'config.yml');
    const cli = async (args: string[], input?: string) => {
      const result = await runLading(
        [...args, '-c', configFile],
        {},
        input === undefined ? {} : { input },
      );
      expect(result.code, result.stderr).to.equal(0);
    };
    await writeFile(join(work, 'token.pem'), certificate);
    const distribution = await startDistribution({
      rootDirectory: join(work, 'root'),
      token: {
        realm: `${lading.url}/jwt/auth`,
        service: 'registry.test',
        issuer: 'lading-test',
        rootcertbundle: join(work, 'token.pem'),
      },
    });
    try {
      for (const user of ['alice', 'bob']) {
        await cli(
          ['users', 'create', user, '--email', `${user}@example.com`, '--password-stdin'],
          `${user} password`,
        );
      }
      await cli(['projects', 'create', 'alice', '--owner', 'alice']);
      await cli(['members', 'set', 'alice', 'bob', 'reporter']);
      const image = await writeOciLayout(join(work, 'layout'), {
        tag: '1',
        layers: [{ files: { hello: 'decided by projects' } }],
      });
      const outcome = await aliceAndBobThroughSkopeo(
        distribution.host,
        join(work, 'layout'),
        'alice/app',
      );
      expect(outcome.pulledDigest).to.equal(image.manifestDigest);
      expect(outcome.bobPush).to.match(/denied|unauthorized|authentication required/i);
    } finally {
      await distribution.stop();
      await lading.stop();
      await rm(work, { recursive: true, force: true });
    }
  });

  it('CNCF distribution trusts tokens Lading issues: skopeo pushes and pulls through it', async () => {
    const { key, certificate } = signingKey('rsa');
    const work = await mkdtemp(join(tmpdir(), 'lading-token-dist-'));
    const lading = await startLading({
      config: tokenService(await freeLoopbackPort()),
      files: { 'token.key': key, 'users.json': usersFile() },
    });
    await writeFile(join(work, 'token.pem'), certificate);
    const distribution = await startDistribution({
      rootDirectory: join(work, 'root'),
      token: {
        realm: `${lading.url}/jwt/auth`,
        service: 'registry.test',
        issuer: 'lading-test',
        rootcertbundle: join(work, 'token.pem'),
      },
    });
    try {
      const image = await writeOciLayout(join(work, 'layout'), {
        tag: '1',
        layers: [{ files: { hello: 'through distribution' } }],
      });
      const outcome = await aliceAndBobThroughSkopeo(
        distribution.host,
        join(work, 'layout'),
        'alice/app',
      );
      expect(outcome.pulledDigest).to.equal(image.manifestDigest);
      expect(outcome.bobPush).to.match(/denied|unauthorized|authentication required/i);
      const wrong = await skopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--creds',
        'alice:wrong',
        `docker://${distribution.host}/alice/app:1`,
      ]).then(
        () => 'read',
        (error: unknown) => String(error),
      );
      expect(wrong).to.not.equal('read');
    } finally {
      await distribution.stop();
      await lading.stop();
      await rm(work, { recursive: true, force: true });
    }
  });

  it('Lading accepts tokens from an issuer it did not write, by kid and by x5c', async () => {
    const pki = testPki();
    const lading = await startLading({
      config: `version: 0.1
storage:
  inmemory: {}
http:
  addr: 127.0.0.1:0
auth:
  token:
    realm: https://forge.example.com/jwt/auth
    service: registry.test
    issuer: forge
    rootcertbundle: {dir}/bundle.pem
`,
      files: { 'bundle.pem': `${pki.rootCertificate}${pki.rsaCertificate}` },
    });
    try {
      const claims = (actions: string[]) => ({
        iss: 'forge',
        sub: 'carol',
        aud: 'registry.test',
        exp: Math.floor(Date.now() / 1000) + 300,
        nbf: Math.floor(Date.now() / 1000) - 5,
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        access: [{ type: 'repository', name: 'carol/app', actions }],
      });
      const byKid = jws(
        {
          alg: 'RS256',
          typ: 'JWT',
          kid: libtrustKeyIdFromSpec(createPublicKey(pki.rsaCertificate)),
        },
        claims(['pull']),
        pki.rsaKey,
      );
      const byChain = jws(
        {
          alg: 'ES256',
          typ: 'JWT',
          x5c: [pem2der(pki.leafCertificate), pem2der(pki.intermediateCertificate)],
        },
        claims(['pull']),
        pki.leafKey,
      );
      for (const [name, token] of [
        ['kid', byKid],
        ['x5c', byChain],
      ] as const) {
        const response = await fetch(`${lading.url}/v2/carol/app/tags/list`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status, name).to.equal(404);
        expect(
          ((await response.json()) as { errors: { code: string }[] }).errors[0]?.code,
          name,
        ).to.equal('NAME_UNKNOWN');
      }
      const untrusted = jws(
        { alg: 'ES256', typ: 'JWT', x5c: [pem2der(pki.leafCertificate)] },
        claims(['pull']),
        pki.leafKey,
      );
      expect(
        (
          await fetch(`${lading.url}/v2/carol/app/tags/list`, {
            headers: { authorization: `Bearer ${untrusted}` },
          })
        ).status,
        'x5c without its intermediate',
      ).to.equal(401);
    } finally {
      await lading.stop();
    }
  });

  it('podman logs in through the token flow, pushes and pulls', async () => {
    const lading = await startLading({
      config: selfServingTokenConfig(await freeLoopbackPort()),
      files: tokenServiceFiles(),
    });
    const podman = await createPodman();
    const work = await mkdtemp(join(tmpdir(), 'lading-token-podman-'));
    try {
      await writeOciLayout(join(work, 'layout'), {
        tag: '1',
        layers: [{ files: { podman: 'token flow' } }],
      });
      await podman.login(lading.host, 'alice', 'alice password');
      const id = await podman.pull(`oci:${join(work, 'layout')}:1`);
      await podman.tag(id, `${lading.host}/alice/podman:1`);
      const digest = await podman.push(
        `${lading.host}/alice/podman:1`,
        `${lading.host}/alice/podman:1`,
      );
      await podman.logout(lading.host);
      await podman.login(lading.host, 'bob', 'bob password');
      await podman.run(['rmi', '-f', id]);
      const pulled = await podman.pull(`${lading.host}/alice/podman:1`);
      expect(pulled).to.equal(id);
      expect(await podman.imageDigest(`${lading.host}/alice/podman:1`)).to.equal(digest);
      const push = await podman
        .push(`${lading.host}/alice/podman:1`, `${lading.host}/alice/podman:2`)
        .then(
          () => 'pushed',
          (error: unknown) => String(error),
        );
      expect(push, 'bob may not push to alice/').to.not.equal('pushed');
    } finally {
      await podman.dispose();
      await lading.stop();
      await rm(work, { recursive: true, force: true });
    }
  });
});

/** A JWS compact token, built from the spec with node:crypto alone. */
function jws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const ec = key.asymmetricKeyType === 'ec';
  const signature = sign(
    'sha256',
    Buffer.from(input),
    ec ? { key, dsaEncoding: 'ieee-p1363' } : key,
  );
  return `${input}.${signature.toString('base64url')}`;
}

/** libtrust's key ID, from its description: base32 of the first 240 bits of sha256(SPKI DER), in groups of 4. */
function libtrustKeyIdFromSpec(key: KeyObject): string {
  const bytes = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  const base32 = (bits.match(/.{5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
  return (base32.match(/.{4}/g) ?? []).join(':');
}

function pem2der(pem: string): string {
  return pem.replace(/-----[^-]+-----|\s/g, '');
}

/** A root CA, an intermediate and an EC leaf under it, and a self-signed RSA signer. */
function testPki() {
  return withPki((pki) => {
    const ca = { extensions: ['basicConstraints=critical,CA:TRUE'] };
    pki
      .selfSigned('root', '/CN=Forge Root', ca)
      .signed('intermediate', '/CN=Forge Intermediate', 'root', ca)
      .signed('leaf', '/CN=Forge token signer', 'intermediate')
      .selfSigned('rsa', '/CN=Forge RSA signer', { keyType: 'rsa' });
    return {
      rootCertificate: pki.text('root.pem'),
      intermediateCertificate: pki.text('intermediate.pem'),
      leafCertificate: pki.text('leaf.pem'),
      leafKey: createPrivateKey(pki.text('leaf.key')),
      rsaCertificate: pki.text('rsa.pem'),
      rsaKey: createPrivateKey(pki.text('rsa.key')),
    };
  });
}
