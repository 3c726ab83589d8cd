import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Agent } from 'undici';
import { authenticate, resolveAuthVersion, SwiftAuthError } from '../src/swift-auth.js';
import type { SwiftAuthOptions } from '../src/swift-options.js';
import { localSwift } from './support/swift-target.js';

// ---------------------------------------------------------------------------------------------
// A fake Keystone: records every request and answers as Keystone would, or as a test says.

interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none (v1). */
  readonly body: unknown;
}

interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface FakeKeystone {
  /** `http://127.0.0.1:<port>`, no path. */
  readonly url: string;
  readonly requests: SeenRequest[];
  answer: (request: SeenRequest) => Reply;
  close(): Promise<void>;
}

async function startFakeKeystone(): Promise<FakeKeystone> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      fake.requests.push(seen);
      const reply = fake.answer(seen);
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  const url = await listen(server);
  const fake: FakeKeystone = {
    url,
    requests: [],
    answer: keystoneAnswer,
    close: () => closeServer(server),
  };
  return fake;
}

/** What Keystone says to a good password login: v3 at …/auth/tokens, v2.0 at …/tokens. */
function keystoneAnswer(request: SeenRequest): Reply {
  if (request.path.endsWith('/auth/tokens')) return v3Token(v3Catalog);
  if (request.path.endsWith('/tokens')) return v2Access(v2Catalog);
  return { status: 404, body: '{"error":{"message":"Not found","code":404}}' };
}

function v3Token(catalog: unknown[]): Reply {
  const token = {
    methods: ['password'],
    expires_at: '2031-01-02T03:04:05.000000Z',
    project: { id: 'p-123', name: 'demo', domain: { id: 'default', name: 'Default' } },
    catalog,
  };
  return {
    status: 201,
    headers: { 'x-subject-token': 'v3-token' },
    body: JSON.stringify({ token }),
  };
}

function v2Access(catalog: unknown[]): Reply {
  const token = {
    id: 'v2-token',
    expires: '2031-01-02T03:04:05Z',
    tenant: { id: 't-456', name: 'demo' },
  };
  return { status: 200, body: JSON.stringify({ access: { token, serviceCatalog: catalog } }) };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

// An identity service first, so that a client ignoring the type would pick its URL.
const identityV3 = {
  type: 'identity',
  endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'https://keystone.one/v3' }],
};

const v3Catalog = [
  identityV3,
  {
    type: 'object-store',
    endpoints: [
      {
        interface: 'admin',
        region_id: 'RegionOne',
        region: 'RegionOne',
        url: 'https://admin.one/v1',
      },
      {
        interface: 'internal',
        region_id: 'RegionOne',
        region: 'RegionOne',
        url: 'https://internal.one/v1/AUTH_p',
      },
      {
        interface: 'public',
        region_id: 'RegionOne',
        region: 'RegionOne',
        url: 'https://public.one/v1/AUTH_p/',
      },
      // Newer Keystones: region_id only. Two in one region: the first must win.
      { interface: 'public', region_id: 'RegionTwo', url: 'https://public.two/v1/AUTH_p' },
      { interface: 'public', region_id: 'RegionTwo', url: 'https://second.two/v1/AUTH_p' },
      // Older ones: the deprecated region only.
      { interface: 'internal', region: 'Legacy', url: 'https://internal.legacy/v1/AUTH_p' },
    ],
  },
];

const v2Catalog = [
  {
    type: 'identity',
    endpoints: [{ region: 'RegionOne', publicURL: 'https://keystone.one/v2.0' }],
  },
  {
    type: 'object-store',
    endpoints: [
      {
        region: 'RegionOne',
        publicURL: 'https://public.one/v1/AUTH_t',
        internalURL: 'https://internal.one/v1/AUTH_t',
        adminURL: 'https://admin.one/v1',
      },
      {
        region: 'RegionTwo',
        publicURL: 'https://public.two/v1/AUTH_t/',
        internalURL: 'https://internal.two/v1/AUTH_t',
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------

/** The SwiftAuthError a login rejects with (fails the test when it resolves or throws another). */
async function authError(login: Promise<unknown>): Promise<SwiftAuthError> {
  const error = await login.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).to.be.instanceOf(SwiftAuthError);
  return error as SwiftAuthError;
}

const password = 'correct-horse-battery';

describe('swift auth', () => {
  const agent = new Agent();

  after(() => agent.close());

  describe('resolveAuthVersion', () => {
    it('guesses from the path when the version is unset or 0', () => {
      expect(resolveAuthVersion('https://k/v3', undefined)).to.equal(3);
      expect(resolveAuthVersion('https://k/identity/v3/', 0)).to.equal(3);
      expect(resolveAuthVersion('https://k/v2.0', undefined)).to.equal(2);
      expect(resolveAuthVersion('https://k:5000/v2.0/tokens', 0)).to.equal(2);
      expect(resolveAuthVersion('http://s/auth/v1.0', undefined)).to.equal(1);
      expect(resolveAuthVersion('http://s/auth', 0)).to.equal(1);
    });

    it('looks at the path only, not the host', () => {
      expect(resolveAuthVersion('https://v3.example/auth/v1.0', 0)).to.equal(1);
    });

    it('takes an explicit version over the URL', () => {
      expect(resolveAuthVersion('https://k/v3', 1)).to.equal(1);
      expect(resolveAuthVersion('https://k/v3', 2)).to.equal(2);
      expect(resolveAuthVersion('http://s/auth/v1.0', 3)).to.equal(3);
    });
  });

  describe('v1 against a real Swift (TempAuth)', () => {
    let swift: { authUrl: string; user: string; key: string };

    before(async () => {
      swift = (await localSwift()).swift;
    });

    it('logs in, and the token opens the account', async () => {
      const session = await authenticate(
        { authUrl: swift.authUrl, username: swift.user, password: swift.key },
        agent,
        10_000,
      );
      expect(Object.keys(session).sort()).to.deep.equal(['storageUrl', 'token']);
      expect(session.storageUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v1\/AUTH_\w+$/);
      const withToken = await fetch(session.storageUrl, {
        method: 'HEAD',
        headers: { 'x-auth-token': session.token },
      });
      expect(withToken.status).to.be.within(200, 299);
      // The HEAD does look at the token: a made-up one is refused.
      const withoutToken = await fetch(session.storageUrl, {
        method: 'HEAD',
        headers: { 'x-auth-token': 'AUTH_tk0000' },
      });
      expect(withoutToken.status).to.equal(401);
    });

    it('refuses a wrong key with 401, without quoting it', async () => {
      const wrongKey = 'not-the-key-4711';
      const error = await authError(
        authenticate(
          { authUrl: swift.authUrl, username: swift.user, password: wrongKey },
          agent,
          10_000,
        ),
      );
      expect(error.status).to.equal(401);
      expect(error.name).to.equal('SwiftAuthError');
      expect(error.message).to.contain('v1').and.contain(swift.authUrl);
      expect(error.message).to.not.contain(wrongKey);
    });
  });

  describe('against a fake auth service', () => {
    let keystone: FakeKeystone;

    beforeEach(async () => {
      keystone = await startFakeKeystone();
    });

    afterEach(() => keystone.close());

    const v3 = (options: Partial<SwiftAuthOptions> = {}, timeoutMs = 5_000) =>
      authenticate(
        { authUrl: `${keystone.url}/v3`, username: 'alice', password, ...options },
        agent,
        timeoutMs,
      );
    const v2 = (options: Partial<SwiftAuthOptions> = {}) =>
      authenticate(
        { authUrl: `${keystone.url}/v2.0`, username: 'alice', password, ...options },
        agent,
        5_000,
      );
    const onlyRequest = () => {
      expect(keystone.requests).to.have.length(1);
      return keystone.requests[0]!;
    };

    describe('v1', () => {
      const v1 = () =>
        authenticate(
          { authUrl: `${keystone.url}/auth/v1.0`, username: 'acct:bob', password },
          agent,
          5_000,
        );

      it('sends the user and key as headers, takes 204, and strips the slash off the URL', async () => {
        keystone.answer = () => ({
          status: 204,
          headers: { 'x-auth-token': 'AUTH_tk1', 'x-storage-url': 'https://s/v1/AUTH_acct/' },
        });
        expect(await v1()).to.deep.equal({
          token: 'AUTH_tk1',
          storageUrl: 'https://s/v1/AUTH_acct',
        });
        const request = onlyRequest();
        expect([request.method, request.path]).to.deep.equal(['GET', '/auth/v1.0']);
        expect(request.headers['x-auth-user']).to.equal('acct:bob');
        expect(request.headers['x-auth-key']).to.equal(password);
      });

      it('rejects a success that lacks the storage URL', async () => {
        keystone.answer = () => ({ status: 200, headers: { 'x-auth-token': 'AUTH_tk1' } });
        const error = await authError(v1());
        expect(error.message).to.contain('X-Storage-Url').and.not.contain('X-Auth-Token');
        expect(error.status).to.equal(undefined);
      });
    });

    describe('v3 request bodies', () => {
      const user = (domain?: object) => ({ name: 'alice', password, domain });
      const body = (userDomain?: object, scope?: object) =>
        JSON.parse(
          JSON.stringify({
            auth: {
              identity: { methods: ['password'], password: { user: user(userDomain) } },
              scope,
            },
          }),
        ) as unknown;
      const cases: [string, Partial<SwiftAuthOptions>, unknown][] = [
        ['unscoped, no domain', {}, body()],
        ['user domain by name', { domain: 'Users' }, body({ name: 'Users' })],
        [
          'user domain by id, which wins over the name',
          { domainId: 'd-1', domain: 'Users' },
          body({ id: 'd-1' }),
        ],
        [
          'project by id, which wins over the name',
          { tenantId: 'p-1', tenant: 'demo', domain: 'Users' },
          body({ name: 'Users' }, { project: { id: 'p-1' } }),
        ],
        [
          'project by name in tenantDomain',
          { tenant: 'demo', tenantDomain: 'Projects', domain: 'Users' },
          body({ name: 'Users' }, { project: { name: 'demo', domain: { name: 'Projects' } } }),
        ],
        [
          'project by name in tenantDomainId, which wins over tenantDomain',
          { tenant: 'demo', tenantDomainId: 'pd-1', tenantDomain: 'Projects', domainId: 'd-1' },
          body({ id: 'd-1' }, { project: { name: 'demo', domain: { id: 'pd-1' } } }),
        ],
        [
          "project by name in the user's domain id",
          { tenant: 'demo', domainId: 'd-1', domain: 'Users' },
          body({ id: 'd-1' }, { project: { name: 'demo', domain: { id: 'd-1' } } }),
        ],
        [
          "project by name in the user's domain name",
          { tenant: 'demo', domain: 'Users' },
          body({ name: 'Users' }, { project: { name: 'demo', domain: { name: 'Users' } } }),
        ],
        [
          'project by name, no domain anywhere',
          { tenant: 'demo' },
          body(undefined, { project: { name: 'demo' } }),
        ],
        [
          'trust, which wins over any project',
          { trustId: 'trust-1', tenantId: 'p-1', tenant: 'demo', domain: 'Users' },
          body({ name: 'Users' }, { 'OS-TRUST:trust': { id: 'trust-1' } }),
        ],
        ['empty strings as unset', { tenant: '', tenantId: '', domain: '', trustId: '' }, body()],
      ];
      for (const [name, options, expected] of cases) {
        it(name, async () => {
          await v3(options);
          expect(onlyRequest().body).to.deep.equal(expected);
        });
      }

      it('POSTs JSON to <authUrl>/auth/tokens', async () => {
        await v3();
        const request = onlyRequest();
        expect([request.method, request.path]).to.deep.equal(['POST', '/v3/auth/tokens']);
        expect(request.headers['content-type']).to.equal('application/json');
      });
    });

    describe('v2 request bodies', () => {
      const credentials = { username: 'alice', password };

      it('POSTs JSON to <authUrl>/tokens with the tenant name', async () => {
        await v2({ tenant: 'demo' });
        const request = onlyRequest();
        expect([request.method, request.path]).to.deep.equal(['POST', '/v2.0/tokens']);
        expect(request.headers['content-type']).to.equal('application/json');
        expect(request.body).to.deep.equal({
          auth: { passwordCredentials: credentials, tenantName: 'demo' },
        });
      });

      it('sends the tenant id', async () => {
        await v2({ tenantId: 't-1' });
        expect(onlyRequest().body).to.deep.equal({
          auth: { passwordCredentials: credentials, tenantId: 't-1' },
        });
      });

      it('sends no tenant when none is set', async () => {
        await v2();
        expect(onlyRequest().body).to.deep.equal({ auth: { passwordCredentials: credentials } });
      });

      it('rejects a trust without sending anything', async () => {
        const error = await authError(v2({ trustId: 'trust-1' }));
        expect(error.message).to.contain('trustId').and.contain('v3');
        expect(keystone.requests).to.deep.equal([]);
      });
    });

    describe('the token URL', () => {
      const pathFor = async (authPath: string, authVersion?: 2 | 3) => {
        keystone.requests.length = 0;
        await authenticate(
          { authUrl: `${keystone.url}${authPath}`, username: 'alice', password, authVersion },
          agent,
          5_000,
        );
        return onlyRequest().path;
      };

      it('appends the tokens path once, without a double slash', async () => {
        expect(await pathFor('/v3')).to.equal('/v3/auth/tokens');
        expect(await pathFor('/identity/v3/')).to.equal('/identity/v3/auth/tokens');
        expect(await pathFor('/v3/auth/tokens')).to.equal('/v3/auth/tokens');
        expect(await pathFor('/identity', 3)).to.equal('/identity/auth/tokens');
        expect(await pathFor('/v2.0')).to.equal('/v2.0/tokens');
        expect(await pathFor('/v2.0/')).to.equal('/v2.0/tokens');
        expect(await pathFor('/v2.0/tokens')).to.equal('/v2.0/tokens');
      });
    });

    describe('v3 sessions and catalog choice', () => {
      it('takes the token from X-Subject-Token, and the project and expiry from the body', async () => {
        expect(await v3({ tenant: 'demo', domain: 'Default' })).to.deep.equal({
          token: 'v3-token',
          storageUrl: 'https://public.one/v1/AUTH_p',
          tenantId: 'p-123',
          expiresAt: new Date('2031-01-02T03:04:05Z'),
        });
      });

      it('picks the wanted interface', async () => {
        expect((await v3({ endpointType: 'public' })).storageUrl).to.equal(
          'https://public.one/v1/AUTH_p',
        );
        expect((await v3({ endpointType: 'internal' })).storageUrl).to.equal(
          'https://internal.one/v1/AUTH_p',
        );
        expect((await v3({ endpointType: 'admin' })).storageUrl).to.equal('https://admin.one/v1');
      });

      it('filters by region (region_id or region), the first match winning', async () => {
        expect((await v3({ region: 'RegionTwo' })).storageUrl).to.equal(
          'https://public.two/v1/AUTH_p',
        );
        expect((await v3({ region: 'Legacy', endpointType: 'internal' })).storageUrl).to.equal(
          'https://internal.legacy/v1/AUTH_p',
        );
      });

      it('names what it wanted and what the catalog offers when nothing matches', async () => {
        const error = await authError(v3({ region: 'Legacy', endpointType: 'admin' }));
        expect(error.message).to.contain('admin in Legacy');
        for (const offer of [
          'admin in RegionOne',
          'internal in RegionOne',
          'public in RegionOne',
          'public in RegionTwo',
          'internal in Legacy',
        ]) {
          expect(error.message).to.contain(offer);
        }
        expect(error.message).to.not.contain('keystone.one');
        expect(error.status).to.equal(undefined);
      });

      it('says so when there is no object-store service', async () => {
        keystone.answer = () => v3Token([identityV3]);
        const error = await authError(v3());
        expect(error.message).to.contain('no object-store service');
      });

      it('rejects an answer without X-Subject-Token', async () => {
        keystone.answer = () => ({ ...v3Token(v3Catalog), headers: {} });
        const error = await authError(v3());
        expect(error.message).to.contain('X-Subject-Token');
      });

      it('rejects malformed JSON', async () => {
        keystone.answer = () => ({ ...v3Token(v3Catalog), body: '{"token": {"catalog": [' });
        const error = await authError(v3());
        expect(error.message).to.contain('not valid JSON');
        expect(error.cause).to.be.instanceOf(SyntaxError);
      });
    });

    describe('v2 sessions and catalog choice', () => {
      it('takes token, tenant and expiry from access.token', async () => {
        expect(await v2({ tenant: 'demo' })).to.deep.equal({
          token: 'v2-token',
          storageUrl: 'https://public.one/v1/AUTH_t',
          tenantId: 't-456',
          expiresAt: new Date('2031-01-02T03:04:05Z'),
        });
      });

      it('maps the interface to publicURL, internalURL and adminURL', async () => {
        expect((await v2({ endpointType: 'internal' })).storageUrl).to.equal(
          'https://internal.one/v1/AUTH_t',
        );
        expect((await v2({ endpointType: 'admin' })).storageUrl).to.equal('https://admin.one/v1');
      });

      it('filters by region and strips the trailing slash', async () => {
        expect((await v2({ region: 'RegionTwo' })).storageUrl).to.equal(
          'https://public.two/v1/AUTH_t',
        );
        expect((await v2({ region: 'RegionTwo', endpointType: 'internal' })).storageUrl).to.equal(
          'https://internal.two/v1/AUTH_t',
        );
      });

      it('lists what the catalog offers when nothing matches', async () => {
        const error = await authError(v2({ region: 'RegionTwo', endpointType: 'admin' }));
        expect(error.message).to.contain('admin in RegionTwo');
        for (const offer of [
          'public in RegionOne',
          'admin in RegionOne',
          'internal in RegionTwo',
        ]) {
          expect(error.message).to.contain(offer);
        }
      });

      it('says so when there is no object-store service', async () => {
        keystone.answer = () => v2Access([]);
        const error = await authError(v2());
        expect(error.message).to.contain('no object-store service');
      });

      it('rejects an answer without access.token.id', async () => {
        keystone.answer = () => ({ status: 200, body: JSON.stringify({ access: {} }) });
        const error = await authError(v2());
        expect(error.message).to.contain('access.token.id');
      });

      it('rejects malformed JSON', async () => {
        keystone.answer = () => ({ status: 200, body: '<html>gateway says hi</html>' });
        const error = await authError(v2());
        expect(error.message).to.contain('not valid JSON');
      });
    });

    describe('refusals and failures', () => {
      it("carries Keystone's status and message, never the password", async () => {
        keystone.answer = () => ({
          status: 401,
          body: JSON.stringify({
            error: {
              code: 401,
              title: 'Unauthorized',
              message: 'The request you have made requires authentication.',
            },
          }),
        });
        const error = await authError(v3());
        expect(error.status).to.equal(401);
        expect(error.message).to.contain('The request you have made requires authentication.');
        expect(error.message).to.contain('v3').and.contain(`${keystone.url}/v3/auth/tokens`);
        expect(error.message).to.not.contain(password);
      });

      it('blanks the password when the service echoes it', async () => {
        keystone.answer = () => ({
          status: 400,
          body: JSON.stringify({ error: { message: `bad password ${password} for alice` } }),
        });
        const error = await authError(v2());
        expect(error.status).to.equal(400);
        expect(error.message).to.contain('bad password *** for alice');
        expect(error.message).to.not.contain(password);
      });

      it('quotes the first 300 characters of a body that is not Keystone JSON', async () => {
        keystone.answer = () => ({ status: 503, body: `${'x'.repeat(300)}BEYOND` });
        const error = await authError(v3());
        expect(error.status).to.equal(503);
        expect(error.message).to.contain('x'.repeat(300)).and.not.contain('BEYOND');
      });

      it('gives up on a server that never answers within the timeout', async () => {
        const silent = createServer(() => {
          // Never answers.
        });
        const url = await listen(silent);
        try {
          const started = Date.now();
          const error = await authError(
            authenticate({ authUrl: `${url}/v3`, username: 'alice', password }, agent, 300),
          );
          expect(Date.now() - started).to.be.within(250, 2_000);
          expect(error.message).to.contain('300 ms');
          expect(error.status).to.equal(undefined);
          expect(error.cause).to.not.equal(undefined);
        } finally {
          await closeServer(silent);
        }
      });

      it('wraps a refused connection, keeping the cause', async () => {
        const closed = createServer();
        const url = await listen(closed);
        await closeServer(closed);
        const error = await authError(
          authenticate({ authUrl: `${url}/auth/v1.0`, username: 'a:b', password }, agent, 5_000),
        );
        expect(error.message).to.contain('ECONNREFUSED');
        expect(error.status).to.equal(undefined);
        expect(error.cause).to.be.instanceOf(Error);
      });

      it('rejects an auth URL that is not a URL, sending nothing', async () => {
        const error = await authError(
          authenticate({ authUrl: 'keystone/v3', username: 'alice', password }, agent, 5_000),
        );
        expect(error.message).to.contain('keystone/v3');
      });

      it('reads every answer, so that one connection serves login after login', async () => {
        // Bodies larger than a stream buffer: one left unread would hold the only socket.
        const padding = 'p'.repeat(256 * 1024);
        const answers: Reply[] = [
          { status: 401, body: JSON.stringify({ error: { message: 'no' }, padding }) },
          {
            status: 200,
            headers: { 'x-auth-token': 't', 'x-storage-url': 'https://s/v1/A' },
            body: padding,
          },
          { status: 500, body: padding },
          {
            ...v3Token(v3Catalog),
            body: JSON.stringify({ token: { catalog: v3Catalog }, padding }),
          },
          { status: 201, body: padding },
        ];
        keystone.answer = () => answers[keystone.requests.length - 1]!;
        const single = new Agent({ connections: 1 });
        // Far below the timeout: an unread body would free its socket only when aborted.
        const timeoutMs = 3_000;
        const started = Date.now();
        try {
          const login = (authVersion: 1 | 3) =>
            authenticate(
              { authUrl: `${keystone.url}/v3`, username: 'alice', password, authVersion },
              single,
              timeoutMs,
            ).then(
              (session) => session.storageUrl,
              (error: unknown) => (error as SwiftAuthError).status ?? (error as Error).message,
            );
          expect(await login(3)).to.equal(401);
          expect(await login(1)).to.equal('https://s/v1/A');
          expect(await login(1)).to.equal(500);
          expect(await login(3)).to.equal('https://public.one/v1/AUTH_p');
          expect(await login(3)).to.contain('X-Subject-Token');
          expect(Date.now() - started).to.be.below(timeoutMs / 2);
        } finally {
          await single.close();
        }
      });
    });
  });
});
