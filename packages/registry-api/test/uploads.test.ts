import { digestOf } from '@lading/oci';
import { expect } from 'chai';
import { errorCode, pushBlob, startRegistry, type TestRegistry } from './support.js';

const part1 = Buffer.alloc(1000, 1);
const part2 = Buffer.alloc(500, 2);
const whole = Buffer.concat([part1, part2]);
const digest = digestOf(whole);

async function start(url: string, name = 'library/app'): Promise<Response> {
  return fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
}

function patch(location: string, body: Buffer, range?: string): Promise<Response> {
  return fetch(location, {
    method: 'PATCH',
    headers: {
      'content-type': 'application/octet-stream',
      ...(range === undefined ? {} : { 'content-range': range }),
    },
    body,
  });
}

describe('upload endpoints', () => {
  let registry: TestRegistry;
  beforeEach(async () => {
    registry = await startRegistry();
  });
  afterEach(() => registry.close());

  it('POST opens a session: 202, Location, Range 0-0, Docker-Upload-UUID', async () => {
    const response = await start(registry.url);
    expect(response.status).to.equal(202);
    const id = response.headers.get('docker-upload-uuid') ?? '';
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).to.match(
      new RegExp(`^${registry.url}/v2/library/app/blobs/uploads/${id}\\?_state=`),
    );
    expect(response.headers.get('range')).to.equal('0-0');
    expect(response.headers.get('content-length')).to.equal('0');
  });

  it('takes chunks with Content-Range, and a final PUT: 201 with the blob location', async () => {
    const started = await start(registry.url);
    const first = await patch(started.headers.get('location') ?? '', part1, '0-999');
    expect(first.status).to.equal(202);
    expect(first.headers.get('range')).to.equal('0-999');
    const second = await patch(first.headers.get('location') ?? '', part2, '1000-1499');
    expect(second.headers.get('range')).to.equal('0-1499');
    const status = await fetch(second.headers.get('location') ?? '');
    expect(status.status).to.equal(204);
    expect(status.headers.get('range')).to.equal('0-1499');
    const done = await fetch(`${second.headers.get('location') ?? ''}&digest=${digest}`, {
      method: 'PUT',
    });
    expect(done.status).to.equal(201);
    expect(done.headers.get('location')).to.equal(`${registry.url}/v2/library/app/blobs/${digest}`);
    expect(done.headers.get('docker-content-digest')).to.equal(digest);
    expect(
      Buffer.from(
        await (await fetch(`${registry.url}/v2/library/app/blobs/${digest}`)).arrayBuffer(),
      ).equals(whole),
    ).to.equal(true);
  });

  it('takes a streamed PATCH without Content-Range, and a last chunk on the PUT', async () => {
    const started = await start(registry.url);
    const streamed = await patch(started.headers.get('location') ?? '', part1);
    expect(streamed.status).to.equal(202);
    const done = await fetch(`${streamed.headers.get('location') ?? ''}&digest=${digest}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: part2,
    });
    expect(done.status).to.equal(201);
  });

  it('answers a replayed stale Location and a chunk at the wrong offset with 416', async () => {
    const started = await start(registry.url);
    const stale = started.headers.get('location') ?? '';
    const first = await patch(stale, part1, '0-999');
    const replay = await patch(stale, part1, '0-999');
    expect(replay.status).to.equal(416);
    expect(await errorCode(replay)).to.equal('RANGE_INVALID');
    expect(replay.headers.get('range')).to.equal('0-999');
    const skipped = await patch(first.headers.get('location') ?? '', part2, '1200-1699');
    expect(skipped.status).to.equal(416);
    const stalePut = await fetch(`${stale}&digest=${digest}`, { method: 'PUT', body: part2 });
    expect(stalePut.status).to.equal(416);
    expect(await errorCode(stalePut)).to.equal('RANGE_INVALID');
    expect(stalePut.headers.get('range')).to.equal('0-999');
    // A stale URL still tells where the upload stands, and the upload goes on from there.
    expect((await fetch(stale)).headers.get('range')).to.equal('0-999');
    const done = await fetch(`${first.headers.get('location') ?? ''}&digest=${digest}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: part2,
    });
    expect(done.status).to.equal(201);
  });

  it('answers a Content-Length that disagrees with Content-Range with 400 SIZE_INVALID', async () => {
    const started = await start(registry.url);
    const response = await patch(started.headers.get('location') ?? '', part1, '0-499');
    expect(response.status).to.equal(400);
    expect(await errorCode(response)).to.equal('SIZE_INVALID');
    const malformed = await patch(started.headers.get('location') ?? '', part1, 'zero to 999');
    expect(malformed.status).to.equal(416);
  });

  it('refuses a PUT without a digest (400, the upload lives on) or with a wrong one (400)', async () => {
    const started = await start(registry.url);
    const chunk = await patch(started.headers.get('location') ?? '', whole);
    const location = chunk.headers.get('location') ?? '';
    const missing = await fetch(location, { method: 'PUT' });
    expect(missing.status).to.equal(400);
    expect(await errorCode(missing)).to.equal('DIGEST_INVALID');
    expect((await fetch(location)).status).to.equal(204);
    const wrong = await fetch(`${location}&digest=${digestOf(part1)}`, { method: 'PUT' });
    expect(wrong.status).to.equal(400);
    expect(await errorCode(wrong)).to.equal('DIGEST_INVALID');
    expect(
      (await fetch(`${registry.url}/v2/library/app/blobs/${digestOf(part1)}`)).status,
    ).to.equal(404);
  });

  it('cancels with DELETE: 204, then the upload is unknown', async () => {
    const started = await start(registry.url);
    const location = started.headers.get('location') ?? '';
    const cancelled = await fetch(location, { method: 'DELETE' });
    expect(cancelled.status).to.equal(204);
    const status = await fetch(location);
    expect(status.status).to.equal(404);
    expect(await errorCode(status)).to.equal('BLOB_UPLOAD_UNKNOWN');
  });

  it('binds a session to its repository and refuses forged state', async () => {
    const started = await start(registry.url);
    const location = new URL(started.headers.get('location') ?? '');
    const id = started.headers.get('docker-upload-uuid') ?? '';
    const elsewhere = `${registry.url}/v2/library/other/blobs/uploads/${id}${location.search}`;
    const moved = await patch(elsewhere, part1);
    expect(moved.status).to.equal(404);
    expect(await errorCode(moved)).to.equal('BLOB_UPLOAD_INVALID');
    const forged = `${registry.url}/v2/library/app/blobs/uploads/${id}?_state=${Buffer.from('{"Name":"library/app"}').toString('base64url')}`;
    expect(await errorCode(await patch(forged, part1))).to.equal('BLOB_UPLOAD_INVALID');
    expect(
      await errorCode(await patch(`${registry.url}/v2/library/app/blobs/uploads/${id}`, part1)),
    ).to.equal('BLOB_UPLOAD_INVALID');
    const unknown = await fetch(`${registry.url}/v2/library/app/blobs/uploads/no-such-upload`);
    expect(await errorCode(unknown)).to.equal('BLOB_UPLOAD_UNKNOWN');
  });

  it('continues an upload on another replica that shares the secret', async () => {
    const started = await start(registry.url);
    const location = new URL(started.headers.get('location') ?? '');
    const replica = await startRegistry({ driver: registry.driver });
    try {
      const onReplica = `${replica.url}${location.pathname}${location.search}`;
      const chunk = await patch(onReplica, whole, '0-1499');
      expect(chunk.status).to.equal(202);
      const done = await fetch(`${chunk.headers.get('location') ?? ''}&digest=${digest}`, {
        method: 'PUT',
      });
      expect(done.status).to.equal(201);
    } finally {
      await replica.close();
    }
  });

  it('does a monolithic upload with POST ?digest=, zero-length included', async () => {
    const response = await fetch(`${registry.url}/v2/library/app/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      body: whole,
    });
    expect(response.status).to.equal(201);
    expect(response.headers.get('docker-content-digest')).to.equal(digest);
    const empty = digestOf(Buffer.alloc(0));
    const zero = await fetch(`${registry.url}/v2/library/app/blobs/uploads/?digest=${empty}`, {
      method: 'POST',
    });
    expect(zero.status).to.equal(201);
    expect(
      (
        await fetch(`${registry.url}/v2/library/app/blobs/${empty}`, { method: 'HEAD' })
      ).headers.get('content-length'),
    ).to.equal('0');
  });

  it('mounts from another repository with 201, or falls back to a session', async () => {
    const blob = await pushBlob(registry.url, 'team/source', whole);
    const mounted = await fetch(
      `${registry.url}/v2/team/target/blobs/uploads/?mount=${blob}&from=team/source`,
      { method: 'POST' },
    );
    expect(mounted.status).to.equal(201);
    expect(mounted.headers.get('location')).to.equal(
      `${registry.url}/v2/team/target/blobs/${blob}`,
    );
    for (const query of [
      `mount=${blob}&from=team/empty`,
      `mount=sha256:bad&from=team/source`,
      `mount=${blob}&from=Bad_Name`,
    ]) {
      const fallback = await fetch(`${registry.url}/v2/team/other/blobs/uploads/?${query}`, {
        method: 'POST',
      });
      expect(fallback.status, query).to.equal(202);
    }
  });
});
