import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import express from 'express';
import {
  createConfigAuthorizer,
  createTokenAccessController,
  createTokenIssuer,
  createTokenRouter,
  createTokenVerifier,
  isAuthorizationError,
  parseChallenge,
  parseScopes,
  type Authorizer,
  type ConfigRule,
  type TokenIssuer,
  type TokenRouterOptions,
} from '../src/index.js';
import { pki } from './support/pki.js';
import { decodeToken, refusal } from './support/tokens.js';

const issuerName = 'lading-issuer';
const service = 'container_registry';

const rules: ConfigRule[] = [
  { match: { name: 'public/**' }, actions: ['pull'] },
  { match: { account: '*', name: '${account}/**' }, actions: ['*'] },
  { match: { account: 'alice', name: 'team/**' }, actions: ['pull', 'push'] },
];
const users = {
  alice: bcrypt.hashSync('wonderland', 4),
  bob: bcrypt.hashSync('builder', 4),
};

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

async function serve(
  options: Partial<TokenRouterOptions> & { issuer: TokenIssuer },
): Promise<Running> {
  const app = express();
  app.use(
    '/jwt/auth',
    createTokenRouter({
      authorizer: createConfigAuthorizer({ users, rules }),
      services: [service],
      ...options,
    }),
  );
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => {
      resolve(listening);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/jwt/auth`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

type Json = Record<string, unknown>;

describe('the token endpoint', () => {
  const issuer = createTokenIssuer({ privateKey: pki().rsa.key, issuer: issuerName });
  const verifier = createTokenVerifier({
    issuer: issuerName,
    service,
    rootCertificates: pki().rsa.certPem,
  });
  let server: Running;

  before(async () => {
    server = await serve({ issuer });
  });
  after(async () => {
    await server.close();
  });

  async function get(
    query: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const response = await fetch(`${server.url}?${query}`, { headers });
    return {
      status: response.status,
      body: (await response.json()) as Json,
      headers: response.headers,
    };
  }

  async function post(
    form: Record<string, string> | string,
    url = server.url,
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<{ status: number; body: Json }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  const q = (params: Record<string, string | string[]>): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      for (const item of [value].flat()) search.append(name, item);
    }
    return search.toString();
  };

  describe('GET', () => {
    it('issues anonymous tokens for what anonymous users may have', async () => {
      const { status, body, headers } = await get(
        q({ service, scope: 'repository:public/app:pull,push' }),
      );
      expect(status).to.equal(200);
      expect(headers.get('cache-control')).to.equal('no-store');
      expect(body.token).to.be.a('string').and.equal(body.access_token);
      expect(body.expires_in).to.equal(300);
      expect(body.issued_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(body).to.not.have.property('refresh_token');
      const verified = verifier.verify(String(body.token));
      expect(verified.subject).to.equal('');
      expect(verified.access).to.deep.equal(parseScopes('repository:public/app:pull'));
    });

    it('issues tokens to users with Basic credentials, account included', async () => {
      const { status, body } = await get(
        q({
          service,
          account: 'alice',
          client_id: 'docker',
          scope: 'repository:alice/app:pull,push',
        }),
        basic('alice', 'wonderland'),
      );
      expect(status).to.equal(200);
      const verified = verifier.verify(String(body.token));
      expect(verified.subject).to.equal('alice');
      expect(verified.access).to.deep.equal(parseScopes('repository:alice/app:pull,push'));
    });

    it('reads repeated and space-separated scopes, merging them and ignoring malformed ones', async () => {
      const { body } = await get(
        q({
          service,
          scope: [
            'repository:alice/app:pull',
            'repository:alice/app:push repository:team/x:pull',
            'repository:Team/X:pull',
          ],
        }),
        basic('alice', 'wonderland'),
      );
      expect(verifier.verify(String(body.token)).access).to.deep.equal(
        parseScopes('repository:alice/app:pull,push repository:team/x:pull'),
      );
    });

    it('answers a partial or empty grant with 200 and fewer access entries', async () => {
      const partial = await get(
        q({
          service,
          scope: 'repository:alice/app:pull repository:bob/app:pull,push repository:team/x:delete',
        }),
        basic('alice', 'wonderland'),
      );
      expect(partial.status).to.equal(200);
      expect(verifier.verify(String(partial.body.token)).access).to.deep.equal(
        parseScopes('repository:alice/app:pull'),
      );
      const empty = await get(q({ service, scope: 'repository:alice/app:push' }));
      expect(empty.status).to.equal(200);
      expect(verifier.verify(String(empty.body.token)).access).to.deep.equal([]);
      // No scope at all: a token for /v2/ only.
      const none = await get(q({ service }), basic('bob', 'builder'));
      expect(verifier.verify(String(none.body.token))).to.deep.include({
        subject: 'bob',
        access: [],
      });
    });

    it('refuses wrong credentials with 401 and a Basic challenge, never a token', async () => {
      for (const headers of [
        basic('alice', 'nope'),
        basic('mallory', 'wonderland'),
        { authorization: 'Basic !!!' },
        { authorization: 'Basic YWxpY2U=' },
        { authorization: 'Bearer abc' },
        { authorization: `Basic ${'A'.repeat(5000)}` },
      ]) {
        const {
          status,
          body,
          headers: answer,
        } = await get(q({ service, scope: 'repository:public/app:pull' }), headers);
        expect(status, String(headers.authorization).slice(0, 20)).to.equal(401);
        expect(answer.get('www-authenticate')).to.equal('Basic realm="Lading token service"');
        expect(body).to.not.have.property('token');
        expect((body.errors as Json[])[0]).to.include({ code: 'UNAUTHORIZED' });
        expect(JSON.stringify(body)).to.not.include('wonderland');
      }
    });

    it('takes empty Basic credentials (podman before a login) as anonymous', async () => {
      const { status, body } = await get(q({ service }), basic('', ''));
      expect(status).to.equal(200);
      expect(verifier.verify(String(body.token)).subject).to.equal('');
    });

    it('refuses an account other than the Basic user with 401', async () => {
      const { status, body } = await get(
        q({ service, account: 'bob' }),
        basic('alice', 'wonderland'),
      );
      expect(status).to.equal(401);
      expect(body).to.not.have.property('token');
    });

    it('ignores account without credentials', async () => {
      const { status, body } = await get(q({ service, account: 'alice' }));
      expect(status).to.equal(200);
      expect(verifier.verify(String(body.token)).subject).to.equal('');
    });

    it('answers an unknown, missing or repeated service with 400', async () => {
      for (const query of [
        q({ service: 'other' }),
        q({ scope: 'repository:public/app:pull' }),
        q({ service: [service, service] }),
      ]) {
        const { status, body } = await get(query);
        expect(status, query).to.equal(400);
        expect((body.errors as Json[])[0]).to.include({ code: 'INVALID_REQUEST' });
      }
      const { body } = await get(q({ service: 'other' }));
      expect((body.errors as Json[])[0]?.message).to.match(
        /unknown service "other"; known: container_registry/,
      );
    });

    it('refuses a bad client_id, a repeated account and an oversized URL', async () => {
      for (const query of [
        q({ service, client_id: 'bad\u0001id' }),
        q({ service, client_id: 'x'.repeat(257) }),
        q({ service, client_id: ['a', 'b'] }),
        q({ service, account: ['a', 'b'] }),
      ]) {
        expect((await get(query)).status, query).to.equal(400);
      }
      const long = await get(q({ service, scope: `repository:public/${'a'.repeat(9000)}:pull` }));
      expect(long.status).to.equal(414);
    });

    it('adds a refresh token with offline_token=true, for users only', async () => {
      const { body } = await get(
        q({
          service,
          offline_token: 'true',
          client_id: 'docker',
          scope: 'repository:alice/a:pull',
        }),
        basic('alice', 'wonderland'),
      );
      expect(body.refresh_token).to.be.a('string');
      // A refresh token is no bearer token.
      refusal(() => verifier.verify(String(body.refresh_token)), 'wrong_type');
      expect(decodeToken(String(body.refresh_token)).payload).to.not.have.property('access');
      const anonymous = await get(q({ service, offline_token: 'true' }));
      expect(anonymous.body).to.not.have.property('refresh_token');
      const notAsked = await get(
        q({ service, offline_token: 'false' }),
        basic('alice', 'wonderland'),
      );
      expect(notAsked.body).to.not.have.property('refresh_token');
    });
  });

  describe('POST (OAuth2)', () => {
    const passwordGrant = {
      grant_type: 'password',
      username: 'alice',
      password: 'wonderland',
      service,
      client_id: 'docker',
      scope: 'repository:alice/app:pull,push repository:bob/app:pull',
    };

    it('issues tokens for the password grant, with a refresh token when offline', async () => {
      const { status, body } = await post({ ...passwordGrant, access_type: 'offline' });
      expect(status).to.equal(200);
      expect(body.scope).to.equal('repository:alice/app:pull,push');
      expect(body.expires_in).to.equal(300);
      expect(body.issued_at).to.be.a('string');
      expect(body).to.not.have.property('token');
      expect(verifier.verify(String(body.access_token))).to.deep.include({
        subject: 'alice',
        access: parseScopes('repository:alice/app:pull,push'),
      });
      expect(body.refresh_token).to.be.a('string');
      const online = await post(passwordGrant);
      expect(online.body).to.not.have.property('refresh_token');
    });

    it('answers wrong credentials with 400 invalid_grant', async () => {
      for (const form of [
        { ...passwordGrant, password: 'nope' },
        { ...passwordGrant, username: 'mallory' },
      ]) {
        const { status, body } = await post(form);
        expect(status).to.equal(400);
        expect(body).to.deep.equal({
          error: 'invalid_grant',
          error_description: 'invalid username or password',
        });
      }
    });

    it('answers incomplete or odd requests per RFC 6749', async () => {
      const { grant_type: _grant, ...noGrant } = passwordGrant;
      const { client_id: _client, ...noClient } = passwordGrant;
      const { password: _password, ...noPassword } = passwordGrant;
      const cases: [Record<string, string> | string, string, string?][] = [
        [noGrant, 'invalid_request'],
        [noClient, 'invalid_request'],
        [noPassword, 'invalid_request'],
        [{ ...passwordGrant, username: '' }, 'invalid_request'],
        [{ ...passwordGrant, service: 'other' }, 'invalid_request'],
        [{ ...passwordGrant, client_id: 'bad\u0007' }, 'invalid_request'],
        [{ ...passwordGrant, grant_type: 'authorization_code' }, 'unsupported_grant_type'],
        [{ ...passwordGrant, grant_type: 'refresh_token' }, 'invalid_request'],
        [`${new URLSearchParams(passwordGrant).toString()}&service=${service}`, 'invalid_request'],
        [JSON.stringify(passwordGrant), 'invalid_request', 'application/json'],
        ['', 'invalid_request', 'text/plain'],
      ];
      for (const [form, error, contentType] of cases) {
        const { status, body } = await post(form, server.url, contentType);
        expect(status, JSON.stringify(form)).to.equal(400);
        expect(body.error, JSON.stringify(form)).to.equal(error);
      }
    });

    it('refuses a body in an unsupported charset with 415', async () => {
      const { status, body } = await post(
        passwordGrant,
        server.url,
        'application/x-www-form-urlencoded; charset=koi8-r',
      );
      expect(status).to.equal(415);
      expect(body.error).to.equal('invalid_request');
    });

    it('refuses oversized bodies with 413', async () => {
      const { status, body } = await post({ ...passwordGrant, scope: 'x'.repeat(9000) });
      expect(status).to.equal(413);
      expect(body.error).to.equal('invalid_request');
      const many = Array.from({ length: 40 }, (_, i) => `p${String(i)}=1`).join('&');
      expect((await post(many)).status).to.equal(413);
    });

    it('trades a refresh token for new access tokens, re-authorizing the account', async () => {
      const { body: first } = await post({ ...passwordGrant, access_type: 'offline' });
      const refreshToken = String(first.refresh_token);
      const refreshed = await post({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        service,
        client_id: 'docker',
        scope: 'repository:alice/other:pull repository:team/x:push',
      });
      expect(refreshed.status).to.equal(200);
      expect(refreshed.body.scope).to.equal('repository:alice/other:pull repository:team/x:push');
      expect(refreshed.body).to.not.have.property('refresh_token');
      expect(verifier.verify(String(refreshed.body.access_token)).subject).to.equal('alice');
      const rotated = await post({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        service,
        client_id: 'docker',
        access_type: 'offline',
      });
      expect(rotated.body.refresh_token).to.be.a('string').and.not.equal(refreshToken);
      expect(rotated.body.scope).to.equal('');
    });

    it('refuses a refresh token used as an access token, at the verifier and at the registry', async () => {
      const { body } = await post({ ...passwordGrant, access_type: 'offline' });
      const refreshToken = String(body.refresh_token);
      refusal(() => verifier.verify(refreshToken), 'wrong_type');
      const controller = createTokenAccessController({ realm: server.url, service, verifier });
      let caught: unknown;
      try {
        await controller.authorize(
          { method: 'GET', headers: { authorization: `Bearer ${refreshToken}` } },
          [],
        );
      } catch (error) {
        caught = error;
      }
      expect(isAuthorizationError(caught)).to.equal(true);
      const params = parseChallenge(
        isAuthorizationError(caught) ? (caught.challenge ?? '') : '',
      )?.params;
      expect(params?.error).to.equal('invalid_token');
    });

    it('refuses an access token, a tampered token and garbage as refresh tokens', async () => {
      const { body } = await post({ ...passwordGrant, access_type: 'offline' });
      const refreshToken = String(body.refresh_token);
      const [h, p, s] = refreshToken.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...decodeToken(refreshToken).payload, sub: 'bob' }),
      ).toString('base64url');
      for (const candidate of [
        String(body.access_token),
        `${String(h)}.${forgedPayload}.${String(s)}`,
        `${String(h)}.${String(p)}.${String(s).slice(0, -3)}AAA`,
        'not-a-token',
      ]) {
        const refused = await post({
          grant_type: 'refresh_token',
          refresh_token: candidate,
          service,
          client_id: 'docker',
        });
        expect(refused.status).to.equal(400);
        expect(refused.body.error).to.equal('invalid_grant');
        expect(refused.body).to.not.have.property('access_token');
      }
    });

    it('refuses a refresh token for another service, or one whose account was removed', async () => {
      const two = await serve({ issuer, services: [service, 'dependency_proxy'] });
      const revokedBob = await serve({
        issuer,
        authorizer: createConfigAuthorizer({ users: { alice: users.alice }, rules }),
      });
      const narrowed = await serve({
        issuer,
        authorizer: createConfigAuthorizer({ users, rules: rules.slice(0, 1) }),
      });
      try {
        const { body } = await post(
          { ...passwordGrant, username: 'bob', password: 'builder', access_type: 'offline' },
          two.url,
        );
        const refreshToken = String(body.refresh_token);
        const refresh = (url: string, forService = service) =>
          post(
            {
              grant_type: 'refresh_token',
              refresh_token: refreshToken,
              service: forService,
              client_id: 'docker',
              scope: 'repository:bob/app:push repository:public/x:pull',
            },
            url,
          );
        const elsewhere = await refresh(two.url, 'dependency_proxy');
        expect(elsewhere.status).to.equal(400);
        expect(elsewhere.body.error_description).to.match(/another service/);
        const revoked = await refresh(revokedBob.url);
        expect(revoked.status).to.equal(400);
        expect(revoked.body).to.deep.equal({
          error: 'invalid_grant',
          error_description: 'the account of this refresh token may no longer sign in',
        });
        // Access taken away since the refresh token was made is not regained with it.
        const less = await refresh(narrowed.url);
        expect(less.status).to.equal(200);
        expect(less.body.scope).to.equal('repository:public/x:pull');
        expect(verifier.verify(String(less.body.access_token)).access).to.deep.equal(
          parseScopes('repository:public/x:pull'),
        );
      } finally {
        await Promise.all([two.close(), revokedBob.close(), narrowed.close()]);
      }
    });

    it('refuses an expired refresh token', async () => {
      let clock = Date.now();
      const ticking = createTokenIssuer({
        privateKey: pki().rsa.key,
        issuer: issuerName,
        now: () => new Date(clock),
      });
      const short = await serve({ issuer: ticking, refreshTokenLifetimeSeconds: 60 });
      try {
        const { body } = await post({ ...passwordGrant, access_type: 'offline' }, short.url);
        clock += 61_000;
        const refused = await post(
          {
            grant_type: 'refresh_token',
            refresh_token: String(body.refresh_token),
            service,
            client_id: 'x',
          },
          short.url,
        );
        expect(refused.status).to.equal(400);
        expect(refused.body.error_description).to.match(/expired/);
      } finally {
        await short.close();
      }
    });
  });

  it('never grants more than was asked, whatever the authorizer answers', async () => {
    const generous: Authorizer = {
      authenticate: (name) => Promise.resolve({ name }),
      authorize: () =>
        Promise.resolve(parseScopes('repository:a:* repository:b:pull,push registry:catalog:*')),
      resolve: (name) => Promise.resolve({ name }),
    };
    const lavish = await serve({ issuer, authorizer: generous });
    try {
      const response = await fetch(
        `${lavish.url}?${q({ service, scope: 'repository:a:pull repository:c:pull' })}`,
        { headers: basic('x', 'y') },
      );
      const body = (await response.json()) as Json;
      expect(verifier.verify(String(body.token)).access).to.deep.equal(
        parseScopes('repository:a:pull'),
      );
    } finally {
      await lavish.close();
    }
  });

  it("hands a principal's credential back to resolve on refresh, and takes its token lifetime", async () => {
    const resolved: (string | undefined)[] = [];
    const scoped: Authorizer = {
      authenticate: (name) => Promise.resolve({ name, credential: 'pat:7' }),
      authorize: (_principal, requested) => Promise.resolve([...requested]),
      resolve: (name, credential) => {
        resolved.push(credential);
        return Promise.resolve(credential === 'pat:7' ? { name, credential } : undefined);
      },
      tokenLifetimeSeconds: () => Promise.resolve(900),
    };
    const running = await serve({ issuer, authorizer: scoped });
    try {
      const form = { service, client_id: 'test', scope: 'repository:a:pull' };
      const first = await post(
        { ...form, grant_type: 'password', username: 'u', password: 'p', access_type: 'offline' },
        running.url,
      );
      expect(first.body.expires_in).to.equal(900);
      const claims = decodeToken(String(first.body.access_token)).payload;
      expect(Number(claims.exp) - Number(claims.iat)).to.equal(900);
      expect(decodeToken(String(first.body.refresh_token)).payload.credential).to.equal('pat:7');
      const refreshed = await post(
        { ...form, grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) },
        running.url,
      );
      expect(refreshed.status).to.equal(200);
      expect(resolved).to.deep.equal(['pat:7']);
    } finally {
      await running.close();
    }
  });

  it('refuses a per-token lifetime under a minute', () => {
    expect(() => issuer.issue({ audience: service, access: [], lifetimeSeconds: 59 })).to.throw(
      /at least 60/,
    );
  });

  it('answers 500 without detail when the authorizer fails, telling only onServerError', async () => {
    const failing: Authorizer = {
      authenticate: () => Promise.reject(new Error('ldap down: password=wonderland')),
      authorize: () => Promise.reject(new Error('db down')),
      resolve: () => Promise.resolve(undefined),
    };
    const reported: unknown[] = [];
    const broken = await serve({
      issuer,
      authorizer: failing,
      onServerError: (error) => reported.push(error),
    });
    const quiet = await serve({
      issuer: {
        ...issuer,
        verifyRefreshToken: () => {
          throw new Error('key store unavailable');
        },
      },
    });
    try {
      const anonymous = await fetch(`${broken.url}?service=${service}`);
      expect(anonymous.status).to.equal(500);
      expect(await anonymous.json()).to.deep.equal({
        errors: [{ code: 'UNKNOWN', message: 'internal error' }],
      });
      const signIn = await fetch(`${broken.url}?service=${service}`, { headers: basic('a', 'b') });
      expect(await signIn.text()).to.not.include('wonderland');
      const viaPost = await post(
        { grant_type: 'password', username: 'a', password: 'b', service, client_id: 'x' },
        broken.url,
      );
      expect(viaPost).to.deep.equal({
        status: 500,
        body: { error: 'server_error', error_description: 'internal error' },
      });
      expect(reported.map((error) => (error as Error).message)).to.deep.equal([
        'db down',
        'ldap down: password=wonderland',
        'ldap down: password=wonderland',
      ]);
      // An issuer failing on a refresh token is a server error, not a bad grant.
      const refresh = await post(
        { grant_type: 'refresh_token', refresh_token: 'a.b.c', service, client_id: 'x' },
        quiet.url,
      );
      expect(refresh.status).to.equal(500);
    } finally {
      await Promise.all([broken.close(), quiet.close()]);
    }
  });

  it('is configured with services that are not the issuer name, and a sane refresh lifetime', () => {
    const authorizer = createConfigAuthorizer({ users: {}, rules: [] });
    expect(() => createTokenRouter({ issuer, authorizer, services: [] })).to.throw(TypeError);
    expect(() => createTokenRouter({ issuer, authorizer, services: [''] })).to.throw(TypeError);
    expect(() => createTokenRouter({ issuer, authorizer, services: [issuerName] })).to.throw(
      TypeError,
      /issuer/,
    );
    expect(() =>
      createTokenRouter({
        issuer,
        authorizer,
        services: [service],
        refreshTokenLifetimeSeconds: 59,
      }),
    ).to.throw(TypeError, /refreshTokenLifetimeSeconds/);
  });
});
