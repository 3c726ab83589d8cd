import { createHash, createSign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bucket } from '@google-cloud/storage';
import { expect } from 'chai';
import {
  newServiceAccount,
  sdkClient,
  startTestEmulator,
  type TestEmulator,
  type TestServiceAccount,
} from './helpers.js';

/** The XML API's error: status, Code and the whole body. */
async function xmlError(
  response: Response,
): Promise<{ status: number; code: string; body: string }> {
  expect(response.headers.get('content-type')).to.match(/^application\/xml/);
  const body = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '';
  return { status: response.status, code, body };
}

const encode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * A V4 signer written from Google's description, independent of the SDK's: for HEAD URLs,
 * which the SDK cannot make, and for a `host` signed with its port.
 */
function signV4(options: {
  method: string;
  endpoint: string;
  bucket: string;
  name: string;
  account: TestServiceAccount;
  host: string;
  expires?: number;
}): string {
  const now = new Date();
  const date = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const scope = `${date.slice(0, 8)}/auto/storage/goog4_request`;
  const path = `/${options.bucket}/${options.name.split('/').map(encode).join('/')}`;
  const query = Object.entries({
    'X-Goog-Algorithm': 'GOOG4-RSA-SHA256',
    'X-Goog-Credential': `${options.account.client_email}/${scope}`,
    'X-Goog-Date': date,
    'X-Goog-Expires': String(options.expires ?? 600),
    'X-Goog-SignedHeaders': 'host',
  })
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .sort()
    .join('&');
  const canonical = [
    options.method,
    path,
    query,
    `host:${options.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const digest = createHash('sha256').update(canonical).digest('hex');
  const signature = createSign('RSA-SHA256')
    .update(['GOOG4-RSA-SHA256', date, scope, digest].join('\n'))
    .sign(options.account.private_key, 'hex');
  return `${options.endpoint}${path}?${query}&X-Goog-Signature=${signature}`;
}

describe('GCS emulator: V4 signed URLs', function () {
  this.timeout(30_000);
  let gcs: TestEmulator;
  let bucket: Bucket;
  const bytes = Buffer.from('signed content, 26 bytes!!');

  before(async () => {
    gcs = await startTestEmulator();
    bucket = await gcs.bucket();
    await bucket
      .file('dir/a b+c!(x)*\u00e9.txt')
      .save(bytes, { resumable: false, contentType: 'text/plain' });
    await bucket.file('other').save('other', { resumable: false });
  });
  after(() => gcs.stop());

  const signedRead = async (
    name: string,
    expires = Date.now() + 10 * 60_000,
    accessibleAt?: Date,
  ) =>
    (
      await bucket.file(name).getSignedUrl({ version: 'v4', action: 'read', expires, accessibleAt })
    )[0];

  it('serves file.getSignedUrl({version: "v4", action: "read"}) from the SDK, path style', async () => {
    const url = await signedRead('dir/a b+c!(x)*\u00e9.txt');
    expect(
      url.startsWith(
        `${gcs.emulator.endpoint}/${bucket.name}/dir/a%20b%2Bc%21%28x%29%2A%C3%A9.txt?`,
      ),
    ).to.be.true;
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/plain');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).to.be.true;
    const ranged = await fetch(url, { headers: { Range: 'bytes=7-13' } });
    expect(ranged.status).to.equal(206);
    expect(await ranged.text()).to.equal('content');
    const past = await fetch(url, { headers: { Range: 'bytes=26-' } });
    expect(past.headers.get('content-range')).to.equal('bytes */26');
    expect(await xmlError(past)).to.deep.include({ status: 416, code: 'InvalidRange' });
  });

  it('answers with the Content-Type and Content-Disposition the URL was signed with', async () => {
    const [url] = await bucket.file('other').getSignedUrl({
      version: 'v4',
      action: 'read',
      expires: Date.now() + 60_000,
      responseType: 'application/x-forced',
      responseDisposition: 'attachment; filename="o.bin"',
    });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).to.equal('application/x-forced');
    expect(response.headers.get('content-disposition')).to.equal('attachment; filename="o.bin"');
    expect(await response.text()).to.equal('other');
    // Edited in place: URLSearchParams would also re-encode the other parameters.
    const retyped = url.replace(
      'response-content-type=application%2Fx-forced',
      'response-content-type=text%2Fhtml',
    );
    expect(retyped).to.not.equal(url);
    expect((await xmlError(await fetch(retyped))).code).to.equal('SignatureDoesNotMatch');
  });

  it('refuses a URL for another object, a changed expiry or a changed method: 403 SignatureDoesNotMatch', async () => {
    const url = new URL(await signedRead('other'));
    const elsewhere = new URL(url);
    elsewhere.pathname = `/${bucket.name}/dir%2Fa`;
    const longer = new URL(url.href.replace(/X-Goog-Expires=\d+/, 'X-Goog-Expires=3600'));
    expect(longer.href).to.not.equal(url.href);
    for (const tampered of [elsewhere, longer]) {
      const refused = await xmlError(await fetch(tampered));
      expect(refused).to.deep.include({ status: 403, code: 'SignatureDoesNotMatch' });
      expect(refused.body).to.include('<StringToSign>GOOG4-RSA-SHA256');
    }
    // A URL signed for GET answers HEAD too, as GCS's does; tampered, it answers neither.
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect((await fetch(elsewhere, { method: 'HEAD' })).status).to.equal(403);
    expect((await fetch(url)).status).to.equal(200);
  });

  it('refuses a URL signed with another key: 403 for a stranger, and for a forgery of a known name', async () => {
    const stranger = newServiceAccount('stranger');
    const fromStranger = (
      await sdkClient(gcs.emulator.endpoint, stranger)
        .bucket(bucket.name)
        .file('other')
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 })
    )[0];
    const unknown = await xmlError(await fetch(fromStranger));
    expect(unknown).to.deep.include({ status: 403, code: 'AccessDenied' });
    expect(unknown.body).to.include(stranger.client_email);

    const forger = { ...newServiceAccount('forger'), client_email: gcs.account.client_email };
    const forged = (
      await sdkClient(gcs.emulator.endpoint, forger)
        .bucket(bucket.name)
        .file('other')
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 })
    )[0];
    expect(await xmlError(await fetch(forged))).to.deep.include({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses an expired URL with 400 ExpiredToken, and one not valid yet', async () => {
    const url = await signedRead('other', Date.now() + 3_000);
    expect((await fetch(url)).status).to.equal(200);
    // Valid from X-Goog-Date (whole seconds) for X-Goog-Expires seconds.
    const query = new URL(url).searchParams;
    const signedAt = Date.parse(
      String(query.get('X-Goog-Date')).replace(
        /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/,
        '$1-$2-$3T$4:$5:$6Z',
      ),
    );
    await sleep(signedAt + Number(query.get('X-Goog-Expires')) * 1000 + 200 - Date.now());
    const expired = await xmlError(await fetch(url));
    expect(expired).to.deep.include({ status: 400, code: 'ExpiredToken' });
    const early = await signedRead(
      'other',
      Date.now() + 3 * 3600_000,
      new Date(Date.now() + 3600_000),
    );
    expect((await xmlError(await fetch(early))).status).to.equal(400);
  });

  it('serves HEAD to a URL signed for HEAD; accepts host signed with or without the port', async () => {
    const { host } = new URL(gcs.emulator.endpoint);
    for (const signedHost of [host, host.replace(/:\d+$/, '')]) {
      const url = signV4({
        method: 'HEAD',
        endpoint: gcs.emulator.endpoint,
        bucket: bucket.name,
        name: 'other',
        account: gcs.account,
        host: signedHost,
      });
      const response = await fetch(url, { method: 'HEAD' });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-length')).to.equal('5');
      expect(response.headers.get('x-goog-hash')).to.match(/^crc32c=/);
    }
    const wrongHost = signV4({
      method: 'HEAD',
      endpoint: gcs.emulator.endpoint,
      bucket: bucket.name,
      name: 'other',
      account: gcs.account,
      host: 'storage.googleapis.com',
    });
    expect((await fetch(wrongHost, { method: 'HEAD' })).status).to.equal(403);
  });

  it('answers 404 NoSuchKey to a good signature for a missing object, 403 without a signature', async () => {
    const missing = await xmlError(await fetch(await signedRead('not-there')));
    expect(missing).to.deep.include({ status: 404, code: 'NoSuchKey' });
    const anonymous = await xmlError(await fetch(`${gcs.emulator.endpoint}/${bucket.name}/other`));
    expect(anonymous).to.deep.include({ status: 403, code: 'AccessDenied' });
  });
});
