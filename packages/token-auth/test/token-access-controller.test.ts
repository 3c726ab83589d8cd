import { expect } from 'chai';
import {
  AuthorizationError,
  createTokenAccessController,
  createTokenIssuer,
  createTokenVerifier,
  parseChallenge,
  parseScopes,
  type Access,
  type AccessController,
  type AuthRequest,
  type TokenAccessControllerOptions,
} from '../src/index.js';
import { pki } from './support/pki.js';

const realm = 'https://auth.example.com/jwt/auth';
const service = 'container_registry';
const issuer = 'gitlab-issuer';

function setup(options: Partial<TokenAccessControllerOptions> = {}) {
  const tokens = createTokenIssuer({ privateKey: pki().rsa.key, issuer });
  const verifier = createTokenVerifier({ issuer, service, rootCertificates: pki().rsa.certPem });
  const controller = createTokenAccessController({ realm, service, verifier, ...options });
  const token = (scopes: string, subject = 'alice'): string =>
    tokens.issue({ subject, audience: service, access: parseScopes(scopes) }).token;
  return { tokens, controller, token };
}

const need = (scopes: string): Access[] => parseScopes(scopes);

function request(headers: AuthRequest['headers'] = {}): AuthRequest {
  return { method: 'GET', headers };
}

async function refusal(
  controller: AccessController,
  req: AuthRequest,
  access: Access[],
): Promise<{ error: AuthorizationError; params: Record<string, string> }> {
  let caught: unknown;
  try {
    await controller.authorize(req, access);
  } catch (error) {
    caught = error;
  }
  expect(caught).to.be.instanceOf(AuthorizationError);
  const error = caught as AuthorizationError;
  expect(error.code).to.equal('UNAUTHORIZED');
  const challenge = parseChallenge(error.challenge ?? '');
  expect(challenge?.scheme).to.equal('Bearer');
  return { error, params: challenge?.params ?? {} };
}

describe('the token access controller', () => {
  it('challenges a request without a token, naming the scope it needs', async () => {
    const { controller } = setup();
    const { error, params } = await refusal(
      controller,
      request(),
      need('repository:group/app:pull,push'),
    );
    expect(error.challenge).to.equal(
      `Bearer realm="${realm}",service="${service}",scope="repository:group/app:pull,push"`,
    );
    expect(params).to.not.have.property('error');
    expect(error.detail).to.deep.equal([
      { Type: 'repository', Name: 'group/app', Action: 'pull' },
      { Type: 'repository', Name: 'group/app', Action: 'push' },
    ]);
  });

  it('challenges /v2/ without scope, and still needs a valid token there', async () => {
    const { controller, token } = setup();
    const { error } = await refusal(controller, request(), []);
    expect(error.challenge).to.equal(`Bearer realm="${realm}",service="${service}"`);
    const ok = await controller.authorize(request({ authorization: `Bearer ${token('')}` }), []);
    expect(ok).to.deep.equal({ name: 'alice' });
    const { params } = await refusal(controller, request({ authorization: 'Bearer x.y.z' }), []);
    expect(params.error).to.equal('invalid_token');
  });

  it('takes other schemes as no token (a Basic header left from a login)', async () => {
    const { controller } = setup();
    const { params } = await refusal(
      controller,
      request({ authorization: 'Basic YTpi' }),
      need('repository:a:pull'),
    );
    expect(params).to.deep.equal({ realm, service, scope: 'repository:a:pull' });
  });

  it('lets a token through that grants what is needed, the scheme in any case', async () => {
    const { controller, token } = setup();
    const granted = token('repository:group/app:pull,push registry:catalog:*');
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      expect(
        await controller.authorize(
          request({ authorization: `${scheme} ${granted}` }),
          need('repository:group/app:push'),
        ),
      ).to.deep.equal({ name: 'alice' });
    }
    expect(
      await controller.authorize(
        request({ authorization: [`Bearer ${granted}`] }),
        need('registry:catalog:*'),
      ),
    ).to.deep.equal({ name: 'alice' });
    const anonymous = token('repository:public/app:pull', '');
    expect(
      await controller.authorize(
        request({ authorization: `Bearer ${anonymous}` }),
        need('repository:public/app:pull'),
      ),
    ).to.deep.equal({});
    const star = token('repository:group/app:*');
    expect(
      await controller.authorize(
        request({ authorization: `Bearer ${star}` }),
        need('repository:group/app:delete'),
      ),
    ).to.deep.equal({ name: 'alice' });
  });

  it('answers a pull-only token used to push with insufficient_scope', async () => {
    const { controller, token } = setup();
    const { error, params } = await refusal(
      controller,
      request({ authorization: `Bearer ${token('repository:group/app:pull')}` }),
      need('repository:group/app:pull,push'),
    );
    expect(params).to.deep.equal({
      realm,
      service,
      scope: 'repository:group/app:pull,push',
      error: 'insufficient_scope',
    });
    expect(error.message).to.equal(
      'insufficient scope: the token does not grant repository:group/app:push',
    );
  });

  it('answers a token for one repository used on another with insufficient_scope', async () => {
    const { controller, token } = setup();
    const { params } = await refusal(
      controller,
      request({ authorization: `Bearer ${token('repository:group/app:pull,push')}` }),
      need('repository:group/other:pull'),
    );
    expect(params.error).to.equal('insufficient_scope');
    // Several needs (a cross-repository mount): every one must be granted.
    const { error } = await refusal(
      controller,
      request({ authorization: `Bearer ${token('repository:a:pull,push')}` }),
      need('repository:a:pull,push repository:b:pull'),
    );
    expect(error.message).to.match(/does not grant repository:b:pull$/);
  });

  it('answers invalid tokens with invalid_token, saying why', async () => {
    const { controller, tokens, token } = setup();
    const expired = createTokenIssuer({
      privateKey: pki().rsa.key,
      issuer,
      now: () => new Date(Date.now() - 3600_000),
    }).issue({ audience: service, access: need('repository:a:pull') }).token;
    const otherService = tokens.issue({ audience: 'other', access: need('repository:a:pull') });
    const refresh = tokens.issueRefreshToken({ subject: 'alice', service, lifetimeSeconds: 600 });
    for (const [bad, why] of [
      [expired, /expired/],
      [otherService.token, /audience/],
      [refresh, /not a bearer token/],
      [`${token('repository:a:pull').slice(0, -4)}AAAA`, /signature/],
    ] as const) {
      const { error, params } = await refusal(
        controller,
        request({ authorization: `Bearer ${bad}` }),
        need('repository:a:pull'),
      );
      expect(params.error).to.equal('invalid_token');
      expect(params.scope).to.equal('repository:a:pull');
      expect(error.message).to.match(why);
    }
  });

  it('refuses oversized and malformed Authorization headers without parsing them', async () => {
    const { controller, token } = setup();
    const good = token('repository:a:pull');
    for (const authorization of [
      `Bearer ${good}${'A'.repeat(9000)}`,
      `Basic ${'A'.repeat(9000)}`,
      'Bearer',
      'Bearer ',
      `Bearer ${good} extra`,
      `Bearer "${good}"`,
      `Bearer\t${good}`,
      [`Bearer ${good}`, `Bearer ${good}`],
      [],
    ]) {
      const { params } = await refusal(
        controller,
        request({ authorization }),
        need('repository:a:pull'),
      );
      expect(params.error, String(authorization).slice(0, 40)).to.equal('invalid_token');
    }
  });

  it('passes on errors that are not about the token', async () => {
    const controller = createTokenAccessController({
      realm,
      service,
      verifier: {
        verify() {
          throw new Error('boom');
        },
      },
    });
    let caught: unknown;
    try {
      await controller.authorize(request({ authorization: 'Bearer a.b.c' }), []);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.an('error').with.property('message', 'boom');
  });

  describe('with autoredirect', () => {
    it('builds the realm from Host and X-Forwarded-Proto (default https)', async () => {
      const { controller } = setup({ autoredirect: {} });
      const { params } = await refusal(
        controller,
        request({ host: 'registry.example.com:5000' }),
        need('repository:a:pull'),
      );
      expect(params.realm).to.equal('https://registry.example.com:5000/auth/token');
      const proxied = await refusal(
        controller,
        request({ host: 'registry.example.com', 'x-forwarded-proto': 'http, https' }),
        [],
      );
      expect(proxied.params.realm).to.equal('http://registry.example.com/auth/token');
    });

    it('falls back to the protocol the request came in on, under X-Forwarded-Proto', async () => {
      const { controller } = setup({ autoredirect: { path: '/jwt/auth' } });
      const plain = { ...request({ host: '127.0.0.1:5000' }), protocol: 'http' as const };
      expect((await refusal(controller, plain, [])).params.realm).to.equal(
        'http://127.0.0.1:5000/jwt/auth',
      );
      const proxied = {
        ...request({ host: 'registry.example.com', 'x-forwarded-proto': 'https' }),
        protocol: 'http' as const,
      };
      expect((await refusal(controller, proxied, [])).params.realm).to.equal(
        'https://registry.example.com/jwt/auth',
      );
    });

    it('takes the path, and keeps the configured realm for a missing or odd Host', async () => {
      const { controller } = setup({ autoredirect: { path: '/jwt/auth' } });
      const custom = await refusal(
        controller,
        request({ host: '[::1]:5000', 'x-forwarded-proto': 'gopher' }),
        [],
      );
      expect(custom.params.realm).to.equal('https://[::1]:5000/jwt/auth');
      for (const host of [undefined, 'evil.com/path', 'a b', 'x"y', ['a.com', 'b.com']]) {
        const { params } = await refusal(controller, request({ host }), []);
        expect(params.realm, String(host)).to.equal(realm);
      }
      expect(() => setup({ autoredirect: { path: 'auth' } })).to.throw(TypeError, /start with/);
    });
  });
});
