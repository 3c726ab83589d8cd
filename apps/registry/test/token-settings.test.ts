import { createPublicKey, X509Certificate } from 'node:crypto';
import { ensureDebianPackages, freeLoopbackPort } from '@lading/registry-peers';
import { libtrustKeyId, parseChallenge } from '@lading/token-auth';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { withPki } from './support/pki.js';
import { basic, selfServingTokenConfig, signingKey, usersFile } from './support/token-keys.js';

/** The registry's answer to alice's token for pulling alice/app: 404 once the token is trusted. */
async function pullWithToken(lading: LadingProcess, realm: string): Promise<number> {
  const token = await issued(realm);
  const response = await fetch(`${lading.url}/v2/alice/app/tags/list`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

async function issued(realm: string): Promise<string> {
  const response = await fetch(`${realm}?service=registry.test&scope=repository:alice/app:pull`, {
    headers: { authorization: basic('alice', 'alice password') },
  });
  expect(response.status).to.equal(200);
  return ((await response.json()) as { token: string }).token;
}

function header(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

describe('auth.token and lading.tokenservice settings in the running server', function () {
  this.timeout(60_000);
  before(() => ensureDebianPackages({ openssl: 'openssl' }));

  it('trusts keys from auth.token.jwks and builds the realm from the request with autoredirect', async () => {
    const { key, certificate } = signingKey();
    const publicKey = createPublicKey(certificate);
    const jwks = {
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid: libtrustKeyId(publicKey) }],
    };
    const lading = await startLading({
      config: selfServingTokenConfig(await freeLoopbackPort(), {
        trust: ['jwks: {dir}/jwks.json', 'autoredirect: true', 'autoredirectpath: /jwt/auth'],
      }),
      files: { 'token.key': key, 'jwks.json': JSON.stringify(jwks), 'users.json': usersFile() },
    });
    try {
      // The configured realm is plain http; behind a TLS proxy autoredirect must say https.
      const challenged = await fetch(`${lading.url}/v2/`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(challenged.status).to.equal(401);
      const realm = parseChallenge(challenged.headers.get('www-authenticate') ?? '')?.params.realm;
      expect(realm, 'the realm comes from Host and X-Forwarded-Proto').to.equal(
        `https://${lading.host}/jwt/auth`,
      );
      expect(
        await pullWithToken(lading, `${lading.url}/jwt/auth`),
        'a trusted token reaches the API',
      ).to.equal(404);
    } finally {
      await lading.stop();
    }
  });

  it('sends tokenservice.certificate as x5c, which the registry follows to its root bundle', async () => {
    const pki = withPki((pki) => {
      const ca = { extensions: ['basicConstraints=critical,CA:TRUE'] };
      pki
        .selfSigned('root', '/CN=Forge Root', ca)
        .signed('intermediate', '/CN=Forge Intermediate', 'root', ca)
        .signed('signer', '/CN=Forge token signer', 'intermediate');
      return {
        root: pki.text('root.pem'),
        chain: `${pki.text('signer.pem')}${pki.text('intermediate.pem')}`,
        key: pki.text('signer.key'),
      };
    });
    const lading = await startLading({
      config: selfServingTokenConfig(await freeLoopbackPort(), {
        trust: ['rootcertbundle: {dir}/root.pem'],
        tokenService: ['certificate: {dir}/chain.pem'],
      }),
      files: {
        'token.key': pki.key,
        'chain.pem': pki.chain,
        'root.pem': pki.root,
        'users.json': usersFile(),
      },
    });
    try {
      const realm = `${lading.url}/jwt/auth`;
      const x5c = header(await issued(realm)).x5c as string[];
      expect(
        x5c.map((der) => new X509Certificate(Buffer.from(der, 'base64')).subject),
      ).to.deep.equal(['CN=Forge token signer', 'CN=Forge Intermediate']);
      expect(await pullWithToken(lading, realm)).to.equal(404);
    } finally {
      await lading.stop();
    }
  });
});
