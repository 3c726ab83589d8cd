import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { MediaType, digestOf } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import { errorCode, pushBlob, pushImage, pushManifestList, startRegistry } from './support.js';

/** The in-memory driver, with some methods replaced. */
function withOverrides(overrides: Partial<Record<keyof StorageDriver, unknown>>): StorageDriver {
  const inner = createInMemoryDriver();
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property as keyof StorageDriver];
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

describe('edges of the API', () => {
  it('redirects blob downloads to the storage when it offers a URL, unless redirects are off', async () => {
    const driver = withOverrides({
      redirectURL: (method: string, path: string) =>
        Promise.resolve(`https://bucket.example.com${path}?m=${method}`),
    });
    const registry = await startRegistry({ driver });
    const proxied = await startRegistry({ driver, redirect: false });
    try {
      const digest = await pushBlob(registry.url, 'team/app', Buffer.from('content'));
      const response = await fetch(`${registry.url}/v2/team/app/blobs/${digest}`, {
        redirect: 'manual',
      });
      expect(response.status).to.equal(307);
      expect(response.headers.get('location')).to.match(
        /^https:\/\/bucket\.example\.com\/docker\/registry\/v2\/blobs\/sha256\/.*\/data\?m=GET$/,
      );
      expect(
        (
          await fetch(`${registry.url}/v2/team/app/blobs/${digestOf(Buffer.from('nope'))}`, {
            redirect: 'manual',
          })
        ).status,
      ).to.equal(404);
      const direct = await fetch(`${proxied.url}/v2/team/app/blobs/${digest}`, {
        redirect: 'manual',
      });
      expect(direct.status).to.equal(200);
      expect(await direct.text()).to.equal('content');
    } finally {
      await registry.close();
      await proxied.close();
    }
  });

  it('cuts a download short when the storage fails mid-stream', async () => {
    const driver = withOverrides({});
    const registry = await startRegistry({ driver });
    try {
      const digest = await pushBlob(registry.url, 'team/app', Buffer.alloc(100_000, 1));
      const broken = await startRegistry({
        driver: new Proxy(driver, {
          get(target, property, receiver) {
            if (property !== 'reader') return Reflect.get(target, property, receiver) as unknown;
            return () =>
              Promise.resolve(
                new Readable({
                  read() {
                    this.push(Buffer.alloc(1000, 1));
                    this.destroy(new Error('disk failed'));
                  },
                }),
              );
          },
        }),
      });
      try {
        // The status may already be out; either way the client must not get a whole body.
        let received: number | undefined;
        try {
          const response = await fetch(`${broken.url}/v2/team/app/blobs/${digest}`);
          received = (await response.arrayBuffer()).byteLength;
        } catch {
          received = undefined;
        }
        expect(received, 'no complete body').to.equal(undefined);
      } finally {
        await broken.close();
      }
    } finally {
      await registry.close();
    }
  });

  it('refuses a chunked manifest body once it passes the limit', async () => {
    const registry = await startRegistry({ maxManifestSize: 1000 });
    try {
      const body = Readable.from([Buffer.alloc(600, 32), Buffer.alloc(600, 32)]);
      const response = await fetch(`${registry.url}/v2/team/app/manifests/big`, {
        method: 'PUT',
        headers: { 'content-type': MediaType.ociManifest },
        body: Readable.toWeb(body) as ReadableStream,
        duplex: 'half',
      });
      expect(response.status).to.equal(413);
    } finally {
      await registry.close();
    }
  });

  it('answers a manifest list without a linux/amd64 image 404 for a list-blind client', async () => {
    const registry = await startRegistry();
    try {
      const arm = await pushImage(registry.url, 'team/app', 'arm');
      await pushManifestList(registry.url, 'team/app', 'multi', arm, 'arm64');
      const response = await fetch(`${registry.url}/v2/team/app/manifests/multi`, {
        headers: { accept: MediaType.dockerManifest },
      });
      expect(response.status).to.equal(404);
      expect(await errorCode(response)).to.equal('MANIFEST_UNKNOWN');
    } finally {
      await registry.close();
    }
  });

  it('leaves paths outside the API and malformed ones to the app (404)', async () => {
    const registry = await startRegistry();
    try {
      expect((await fetch(`${registry.url}/v1/_ping`)).status).to.equal(404);
      expect((await fetch(`${registry.url}/v2/team/app/manifests/%E0%A4%A`)).status).to.equal(404);
      expect((await fetch(`${registry.url}/v2/team/app/something/else`)).status).to.equal(404);
    } finally {
      await registry.close();
    }
  });

  it('refuses upload state that is signed but unreadable', async () => {
    const registry = await startRegistry();
    try {
      const started = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
      const id = started.headers.get('docker-upload-uuid') ?? '';
      for (const json of ['not json', '{"Name":"team/app"}']) {
        const payload = Buffer.from(json);
        const mac = createHmac('sha256', 'test-secret').update(payload).digest();
        const state = Buffer.concat([mac, payload]).toString('base64url');
        const response = await fetch(
          `${registry.url}/v2/team/app/blobs/uploads/${id}?_state=${state}`,
          { method: 'PATCH', body: 'x' },
        );
        expect(response.status, json).to.equal(404);
        expect(await errorCode(response)).to.equal('BLOB_UPLOAD_INVALID');
      }
    } finally {
      await registry.close();
    }
  });
});
