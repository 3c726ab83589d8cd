import { digestOf } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { AuthorizationError, type Access, type AccessController } from '@lading/token-auth';
import { expect } from 'chai';
import { errorCode, pushBlob, startRegistry } from './support.js';

describe('URLs', () => {
  it('are absolute from the request by default, behind a proxy from X-Forwarded-*, and keep the prefix', async () => {
    const registry = await startRegistry({ prefix: '/registry/' });
    try {
      const direct = await fetch(`${registry.url}/v2/library/app/blobs/uploads/`, {
        method: 'POST',
      });
      expect(direct.headers.get('location')).to.match(
        new RegExp(`^${registry.url}/v2/library/app/blobs/uploads/`),
      );
      expect(registry.url).to.match(/\/registry$/);
      const proxied = await fetch(`${registry.url}/v2/library/app/blobs/uploads/`, {
        method: 'POST',
        headers: {
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'registry.example.com, internal',
        },
      });
      expect(proxied.headers.get('location')).to.match(
        /^https:\/\/registry\.example\.com\/registry\/v2\/library\/app\/blobs\/uploads\//,
      );
    } finally {
      await registry.close();
    }
  });

  it('use http.host when set, and are paths only with relativeurls', async () => {
    const hosted = await startRegistry({ host: 'https://registry.example.com/' });
    const relative = await startRegistry({ relativeUrls: true });
    try {
      const withHost = await fetch(`${hosted.url}/v2/a/blobs/uploads/`, {
        method: 'POST',
        headers: { 'x-forwarded-host': 'ignored' },
      });
      expect(withHost.headers.get('location')).to.match(
        /^https:\/\/registry\.example\.com\/v2\/a\/blobs\/uploads\//,
      );
      const path = await fetch(`${relative.url}/v2/a/blobs/uploads/`, { method: 'POST' });
      expect(path.headers.get('location')).to.match(
        /^\/v2\/a\/blobs\/uploads\/[0-9a-f-]+\?_state=/,
      );
    } finally {
      await hosted.close();
      await relative.close();
    }
  });
});

/** An access controller that grants what `grants` lists to a Bearer token named in it. */
function tokenTable(grants: Record<string, string[]>): AccessController & { seen: Access[][] } {
  const seen: Access[][] = [];
  return {
    seen,
    authorize(request, access) {
      seen.push([...access]);
      const header = request.headers.authorization;
      const token = typeof header === 'string' ? header.replace(/^Bearer /, '') : undefined;
      const challenge = `Bearer realm="https://auth.example.com/token",service="registry",scope="${access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ')}"`;
      if (token === undefined || grants[token] === undefined) {
        return Promise.reject(
          new AuthorizationError('UNAUTHORIZED', 'authentication required', access, challenge),
        );
      }
      const granted = grants[token] ?? [];
      const missing = access.some((item) =>
        item.actions.some((action) => !granted.includes(`${item.type}:${item.name}:${action}`)),
      );
      if (missing)
        return Promise.reject(
          new AuthorizationError('DENIED', 'requested access to the resource is denied', access),
        );
      return Promise.resolve({ name: token });
    },
  };
}

describe('access control', () => {
  const content = Buffer.from('secret layer');
  const digest = digestOf(content);

  it('asks for pull, pull+push, delete and the catalog scope as distribution does', async () => {
    const controller = tokenTable({});
    const registry = await startRegistry({ accessController: controller });
    try {
      await fetch(`${registry.url}/v2/`);
      await fetch(`${registry.url}/v2/a/b/blobs/${digest}`);
      await fetch(`${registry.url}/v2/a/b/blobs/uploads/`, { method: 'POST' });
      await fetch(`${registry.url}/v2/a/b/manifests/v1`, { method: 'DELETE' });
      await fetch(`${registry.url}/v2/_catalog`);
      expect(controller.seen).to.deep.equal([
        [],
        [{ type: 'repository', name: 'a/b', actions: ['pull'] }],
        [{ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }],
        [{ type: 'repository', name: 'a/b', actions: ['delete'] }],
        [{ type: 'registry', name: 'catalog', actions: ['*'] }],
      ]);
    } finally {
      await registry.close();
    }
  });

  it('answers 401 UNAUTHORIZED with the challenge, 403 DENIED, and lets a granted request through', async () => {
    const driver: StorageDriver = createInMemoryDriver();
    const open = await startRegistry({ driver });
    await pushBlob(open.url, 'team/app', content);
    await open.close();
    const registry = await startRegistry({
      driver,
      accessController: tokenTable({ reader: ['repository:team/app:pull'] }),
    });
    try {
      const anonymous = await fetch(`${registry.url}/v2/team/app/blobs/${digest}`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.equal(
        'Bearer realm="https://auth.example.com/token",service="registry",scope="repository:team/app:pull"',
      );
      const body = (await anonymous.json()) as { errors: { code: string; detail: unknown }[] };
      expect(body.errors[0]?.code).to.equal('UNAUTHORIZED');
      expect(body.errors[0]?.detail).to.deep.equal([
        { Type: 'repository', Name: 'team/app', Action: 'pull' },
      ]);
      const allowed = await fetch(`${registry.url}/v2/team/app/blobs/${digest}`, {
        headers: { authorization: 'Bearer reader' },
      });
      expect(allowed.status).to.equal(200);
      const push = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, {
        method: 'POST',
        headers: { authorization: 'Bearer reader' },
      });
      expect(push.status).to.equal(403);
      expect(await errorCode(push)).to.equal('DENIED');
    } finally {
      await registry.close();
    }
  });

  it('turns a mount without pull on the source into a plain upload session', async () => {
    const driver = createInMemoryDriver();
    const open = await startRegistry({ driver });
    await pushBlob(open.url, 'team/private', content);
    await open.close();
    const registry = await startRegistry({
      driver,
      accessController: tokenTable({
        pusher: ['repository:team/app:pull', 'repository:team/app:push'],
      }),
    });
    try {
      const response = await fetch(
        `${registry.url}/v2/team/app/blobs/uploads/?mount=${digest}&from=team/private`,
        {
          method: 'POST',
          headers: { authorization: 'Bearer pusher' },
        },
      );
      expect(response.status).to.equal(202);
      expect(
        (
          await fetch(`${registry.url}/v2/team/app/blobs/${digest}`, {
            headers: { authorization: 'Bearer pusher' },
          })
        ).status,
      ).to.equal(404);
    } finally {
      await registry.close();
    }
  });
});

describe('read-only mode and server errors', () => {
  it('refuses every write with 405 UNSUPPORTED and still serves reads', async () => {
    const driver = createInMemoryDriver();
    const open = await startRegistry({ driver });
    await pushBlob(open.url, 'team/app', Buffer.from('x'));
    await open.close();
    const registry = await startRegistry({ driver, readOnly: true });
    try {
      for (const [method, path] of [
        ['POST', '/v2/team/app/blobs/uploads/'],
        ['PUT', '/v2/team/app/manifests/v1'],
        ['DELETE', `/v2/team/app/blobs/${digestOf(Buffer.from('x'))}`],
      ] as const) {
        const response = await fetch(`${registry.url}${path}`, { method });
        expect(response.status, `${method} ${path}`).to.equal(405);
        const body = (await response.json()) as { errors: { code: string; message: string }[] };
        expect(body.errors[0]?.code).to.equal('UNSUPPORTED');
        expect(body.errors[0]?.message).to.contain('read-only');
      }
      expect(
        (await fetch(`${registry.url}/v2/team/app/blobs/${digestOf(Buffer.from('x'))}`)).status,
      ).to.equal(200);
    } finally {
      await registry.close();
    }
  });

  it('answers a storage failure 500 UNKNOWN, revealing nothing, and reports it', async () => {
    const inner = createInMemoryDriver();
    const broken: StorageDriver = new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'getContent')
          return () => Promise.reject(new Error('EIO: /var/lib/registry/secret/path'));
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const reported: unknown[] = [];
    const registry = await startRegistry({
      driver: broken,
      onServerError: (error) => reported.push(error),
    });
    try {
      const response = await fetch(`${registry.url}/v2/team/app/manifests/v1`);
      expect(response.status).to.equal(500);
      const text = await response.text();
      expect(text).to.not.contain('/var/lib');
      expect(JSON.parse(text)).to.deep.equal({
        errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: {} }],
      });
      expect(reported).to.have.length(1);
    } finally {
      await registry.close();
    }
  });
});
