import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** What the fake gets wrong; `none` is an honest (if tiny) registry. */
export type Fault =
  | 'none'
  | 'corrupt-byte'
  | 'short-body'
  | 'wrong-head-digest'
  | 'wrong-put-digest'
  | 'patch-range-off-by-one'
  | 'manifest-content-type';

export interface FakeRegistry {
  url: string;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of request) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

/**
 * Just enough of the registry API on 127.0.0.1 for the blob and manifest workloads: uploads
 * (POST, PATCH, PUT ?digest=), blob HEAD and GET, manifest PUT and GET, with one `fault`.
 */
export async function startFakeRegistry(fault: Fault): Promise<FakeRegistry> {
  const uploads = new Map<string, Buffer[]>();
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; type: string }>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = url.pathname;
    const body = await readBody(request);
    const uploadMatch = /^\/v2\/(.+)\/blobs\/uploads\/([\w-]*)$/.exec(path);
    const blobMatch = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    const manifestMatch = /^\/v2\/(.+)\/manifests\/([\w.:-]+)$/.exec(path);
    if (uploadMatch !== null) {
      const [, name = '', existing = ''] = uploadMatch;
      const id = existing === '' ? randomUUID() : existing;
      const location = `/v2/${name}/blobs/uploads/${id}`;
      if (request.method === 'POST') uploads.set(id, []);
      const parts = uploads.get(id);
      if (parts === undefined) return void response.writeHead(404).end();
      parts.push(body);
      const size = parts.reduce((total, part) => total + part.length, 0);
      if (request.method === 'PUT') {
        const content = Buffer.concat(parts);
        const digest = sha256(content);
        if (digest !== url.searchParams.get('digest')) return void response.writeHead(400).end();
        blobs.set(digest, content);
        uploads.delete(id);
        response.writeHead(201, {
          location: `/v2/${name}/blobs/${digest}`,
          'docker-content-digest': fault === 'wrong-put-digest' ? sha256(Buffer.from('x')) : digest,
        });
        return void response.end();
      }
      const end =
        fault === 'patch-range-off-by-one' && request.method === 'PATCH' ? size : size - 1;
      response.writeHead(202, {
        location,
        range: `0-${Math.max(0, end)}`,
      });
      return void response.end();
    }
    if (blobMatch !== null) {
      const digest = blobMatch[2] ?? '';
      const content = blobs.get(digest);
      if (content === undefined) return void response.writeHead(404).end();
      const headDigest =
        fault === 'wrong-head-digest' && request.method === 'HEAD'
          ? sha256(Buffer.from('y'))
          : digest;
      response.writeHead(200, {
        'content-length': content.length,
        'docker-content-digest': headDigest,
      });
      if (request.method === 'HEAD') return void response.end();
      let sent = content;
      if (fault === 'corrupt-byte') {
        sent = Buffer.from(content);
        const at = Math.floor(sent.length / 2);
        sent[at] = (sent[at] ?? 0) ^ 0x01;
      }
      // A short body: the connection ends halfway, as a crashing server's would.
      if (fault === 'short-body') {
        response.write(sent.subarray(0, sent.length / 2), () => response.destroy());
        return;
      }
      return void response.end(sent);
    }
    if (manifestMatch !== null) {
      const [, name = '', reference = ''] = manifestMatch;
      const key = `${name}:${reference}`;
      if (request.method === 'PUT') {
        const type = request.headers['content-type'] ?? '';
        manifests.set(key, { bytes: body, type });
        response.writeHead(201, {
          location: `/v2/${name}/manifests/${sha256(body)}`,
          'docker-content-digest': sha256(body),
        });
        return void response.end();
      }
      const manifest = manifests.get(key);
      if (manifest === undefined) return void response.writeHead(404).end();
      response.writeHead(200, {
        'content-type': fault === 'manifest-content-type' ? 'application/json' : manifest.type,
        'content-length': manifest.bytes.length,
        'docker-content-digest': sha256(manifest.bytes),
      });
      return void response.end(manifest.bytes);
    }
    response.writeHead(404).end();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
