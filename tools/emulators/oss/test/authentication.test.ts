import { expect } from 'chai';
import {
  errorElements,
  ossFailure,
  startTestEmulator,
  xmlError,
  type TestEmulator,
} from './helpers.js';
import { rawFetch } from './raw-client.js';

describe('OSS emulator: authentication', function () {
  this.timeout(30_000);
  let oss: TestEmulator;
  let bucket: string;

  before(async () => {
    oss = await startTestEmulator();
  });
  after(() => oss.stop());
  beforeEach(async () => {
    bucket = await oss.bucket();
  });

  const raw = (call: Parameters<typeof rawFetch>[2]) =>
    rawFetch(oss.emulator.endpoint, oss.key, call);

  describe('V1 in the Authorization header', () => {
    it('accepts ali-oss requests signed with the key, virtual-hosted on the IP endpoint and path style', async () => {
      await oss.client(bucket).put('dir/a b+c', Buffer.from('virtual-hosted'));
      const read = await oss.pathStyleClient(bucket).get('dir/a b+c');
      expect(read.content.toString()).to.equal('virtual-hosted');
      const response = await raw({ method: 'GET', bucket, key: 'dir/a b+c' });
      expect(response.status).to.equal(200);
      expect(await response.text()).to.equal('virtual-hosted');
    });

    it('refuses a wrong secret: 403 SignatureDoesNotMatch, with the string OSS signed', async () => {
      const failure = await ossFailure(
        oss.client(bucket, { accessKeySecret: 'not-the-secret' }).put('k', Buffer.from('x')),
      );
      expect(failure).to.include({
        status: 403,
        code: 'SignatureDoesNotMatch',
        name: 'SignatureDoesNotMatchError',
      });
      expect(failure.message).to.equal(
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
      expect(failure.requestId).to.match(/^[0-9A-F]{24}$/);
      const date = new Date();
      const response = await raw({
        method: 'GET',
        bucket,
        key: 'k',
        date,
        signWith: { accessKeySecret: 'wrong' },
      });
      expect(response.status).to.equal(403);
      const error = await xmlError(response);
      const stringToSign = `GET\n\n\n${date.toUTCString()}\nx-oss-date:${date.toUTCString()}\n/${bucket}/k`;
      expect(error).to.include({
        Code: 'SignatureDoesNotMatch',
        OSSAccessKeyId: oss.key.accessKeyId,
        StringToSign: stringToSign,
      });
      expect(error.StringToSignBytes).to.equal(
        Buffer.from(stringToSign)
          .toString('hex')
          .replace(/(..)(?!$)/g, '$1 '),
      );
      expect(error.SignatureProvided).to.match(/^[A-Za-z0-9+/]{27}=$/);
      // Nothing was stored by the refused PUT.
      expect((await ossFailure(oss.client(bucket).head('k'))).status).to.equal(404);
    });

    it('refuses an unknown key id: 403 InvalidAccessKeyId', async () => {
      const failure = await ossFailure(oss.client(bucket, { accessKeyId: 'LTAIunknown' }).get('k'));
      expect(failure).to.include({ status: 403, code: 'InvalidAccessKeyId' });
      expect(failure.message).to.equal(
        'The OSS Access Key Id you provided does not exist in our records.',
      );
    });

    it('refuses a tampered x-oss- header or Content-Type, which V1 signs', async () => {
      const meta = await raw({
        method: 'PUT',
        bucket,
        key: 'k',
        body: Buffer.from('x'),
        headers: { 'x-oss-meta-owner': 'mallory' },
        signedHeaders: { 'x-oss-meta-owner': 'alice' },
      });
      expect(meta.status).to.equal(403);
      expect((await xmlError(meta)).Code).to.equal('SignatureDoesNotMatch');
      const type = await raw({
        method: 'PUT',
        bucket,
        key: 'k',
        body: Buffer.from('x'),
        headers: { 'content-type': 'text/html' },
        signedHeaders: { 'content-type': 'text/plain' },
      });
      expect(type.status).to.equal(403);
      await type.body?.cancel();
      // Signed as sent, both go through.
      const honest = await raw({
        method: 'PUT',
        bucket,
        key: 'k',
        body: Buffer.from('x'),
        headers: {
          'content-type': 'text/plain',
          'x-oss-meta-owner': 'alice',
          'x-oss-meta-owner-b': 'bob',
        },
      });
      expect(honest.status).to.equal(200);
    });

    it('refuses a tampered sub-resource, and ignores other query parameters, which OSS does not sign', async () => {
      const client = oss.client(bucket);
      const { uploadId } = await client.initMultipartUpload('mp');
      const other = await client.initMultipartUpload('mp');
      const part = await raw({
        method: 'PUT',
        bucket,
        key: 'mp',
        body: Buffer.from('part'),
        query: { partNumber: '2', uploadId },
        signedQuery: { partNumber: '1', uploadId },
      });
      expect(part.status).to.equal(403);
      expect((await xmlError(part)).StringToSign).to.match(/\?partNumber=2&uploadId=/);
      const upload = await raw({
        method: 'DELETE',
        bucket,
        key: 'mp',
        query: { uploadId: other.uploadId },
        signedQuery: { uploadId },
      });
      expect(upload.status).to.equal(403);
      await upload.body?.cancel();
      // `max-keys` is no sub-resource: changing it does not touch the signature.
      const list = await raw({
        method: 'GET',
        bucket,
        query: { 'max-keys': '5' },
        signedQuery: {},
      });
      expect(list.status).to.equal(200);
      expect(await list.text()).to.include('<MaxKeys>5</MaxKeys>');
    });

    it('refuses a request time more than 15 minutes off: 403 RequestTimeTooSkewed', async () => {
      const minutes = (count: number) => count * 60 * 1000;
      for (const skew of [minutes(-16), minutes(16)]) {
        const failure = await ossFailure(oss.client(bucket, { amendTimeSkewed: skew }).get('k'));
        expect(failure).to.include({ status: 403, code: 'RequestTimeTooSkewed' });
        expect(failure.message).to.equal(
          'The difference between the request time and the current time is too large.',
        );
      }
      await oss.client(bucket, { amendTimeSkewed: minutes(-14) }).put('k', Buffer.from('fine'));
    });

    it('refuses unsigned requests (there are no public buckets) and a malformed Authorization', async () => {
      const anonymous = await fetch(`${oss.emulator.endpoint}/${bucket}/k`);
      expect(anonymous.status).to.equal(403);
      expect(await xmlError(anonymous)).to.include({
        Code: 'AccessDenied',
        Message: 'You have no right to access this object because of bucket acl.',
      });
      const malformed = await fetch(`${oss.emulator.endpoint}/${bucket}/k`, {
        headers: { authorization: 'Bearer token', 'x-oss-date': new Date().toUTCString() },
      });
      expect(malformed.status).to.equal(400);
      expect((await xmlError(malformed)).Code).to.equal('InvalidArgument');
      const undated = await fetch(`${oss.emulator.endpoint}/${bucket}/k`, {
        headers: { authorization: `OSS ${oss.key.accessKeyId}:c2lnbmF0dXJl` },
      });
      expect(undated.status).to.equal(403);
      expect((await xmlError(undated)).Message).to.equal(
        'OSS authentication requires a valid Date or x-oss-date header.',
      );
    });

    it('answers a failed HEAD without a body and its XML in x-oss-err, which ali-oss decodes', async () => {
      const failure = await ossFailure(oss.client(bucket, { accessKeySecret: 'wrong' }).head('k'));
      expect(failure).to.include({ status: 403, code: 'SignatureDoesNotMatch' });
      const response = await raw({
        method: 'HEAD',
        bucket,
        key: 'k',
        signWith: { accessKeySecret: 'wrong' },
      });
      expect(response.status).to.equal(403);
      expect(await response.text()).to.equal('');
      const encoded = response.headers.get('x-oss-err') ?? '';
      const error = errorElements(
        Buffer.from(encoded, 'base64').toString(),
        response.headers.get('x-oss-request-id'),
      );
      expect(error.Code).to.equal('SignatureDoesNotMatch');
    });
  });

  describe('V1 signed URLs', () => {
    beforeEach(async () => {
      await oss
        .client(bucket)
        .put('dir/file name.txt', Buffer.from('signed content'), { mime: 'text/plain' });
    });

    it('serves GET from a URL ali-oss signs, response-* overrides signed in with it', async () => {
      const client = oss.pathStyleClient(bucket);
      const url = client.signatureUrl('dir/file name.txt', {
        expires: 60,
        response: { 'content-type': 'application/x-lading', 'content-disposition': 'attachment' },
      });
      expect(url).to.match(
        new RegExp(
          `^http://localhost:${String(oss.port)}/${bucket}/dir/file%20name\\.txt\\?OSSAccessKeyId=`,
        ),
      );
      const response = await fetch(url);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('application/x-lading');
      expect(response.headers.get('content-disposition')).to.equal('attachment');
      expect(await response.text()).to.equal('signed content');
      // The overrides are sub-resources: changed, the signature no longer holds.
      const tampered = await fetch(url.replace('x-lading', 'x-mallory'));
      expect(tampered.status).to.equal(403);
      expect((await xmlError(tampered)).Code).to.equal('SignatureDoesNotMatch');
    });

    it('serves HEAD from a URL signed for HEAD; one signed for GET does not, as on OSS', async () => {
      const client = oss.pathStyleClient(bucket);
      const head = await fetch(client.signatureUrl('dir/file name.txt', { method: 'HEAD' }), {
        method: 'HEAD',
      });
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-length')).to.equal('14');
      const getUrl = client.signatureUrl('dir/file name.txt');
      const headWithGetUrl = await fetch(getUrl, { method: 'HEAD' });
      expect(headWithGetUrl.status).to.equal(403);
      const error = Buffer.from(headWithGetUrl.headers.get('x-oss-err') ?? '', 'base64').toString();
      expect(error).to.include('<Code>SignatureDoesNotMatch</Code>');
      expect(error).to.include('<StringToSign>HEAD\n');
    });

    it('refuses an expired URL: 403 AccessDenied, "Request has expired."', async () => {
      const url = oss.pathStyleClient(bucket).signatureUrl('dir/file name.txt', { expires: -60 });
      const response = await fetch(url);
      expect(response.status).to.equal(403);
      const error = await xmlError(response);
      expect(error).to.include({ Code: 'AccessDenied', Message: 'Request has expired.' });
      expect(Date.parse(error.Expires ?? '')).to.be.below(Date.parse(error.ServerTime ?? ''));
    });

    it('refuses a URL whose key, expiry or key id was changed, or signed with another secret', async () => {
      const url = new URL(oss.pathStyleClient(bucket).signatureUrl('dir/file name.txt'));
      const changed = (edit: (copy: URL) => void) => {
        const copy = new URL(url);
        edit(copy);
        return fetch(copy);
      };
      await oss.client(bucket).put('dir/other.txt', Buffer.from('other'));
      const otherKey = await changed((copy) => (copy.pathname = `/${bucket}/dir/other.txt`));
      expect(otherKey.status).to.equal(403);
      await otherKey.body?.cancel();
      const later = await changed((copy) => {
        copy.searchParams.set('Expires', String(Number(copy.searchParams.get('Expires')) + 3600));
      });
      expect(later.status).to.equal(403);
      expect((await xmlError(later)).Code).to.equal('SignatureDoesNotMatch');
      const unknown = await changed((copy) => {
        copy.searchParams.set('OSSAccessKeyId', 'LTAIother');
      });
      expect((await xmlError(unknown)).Code).to.equal('InvalidAccessKeyId');
      const wrongSecret = oss
        .pathStyleClient(bucket, { accessKeySecret: 'wrong' })
        .signatureUrl('dir/file name.txt');
      expect((await fetch(wrongSecret)).status).to.equal(403);
    });

    it('refuses a signature in the URL and in the Authorization header at once: 400', async () => {
      const url = oss.pathStyleClient(bucket).signatureUrl('dir/file name.txt');
      const response = await fetch(url, {
        headers: { authorization: `OSS ${oss.key.accessKeyId}:eA==` },
      });
      expect(response.status).to.equal(400);
      expect((await xmlError(response)).Code).to.equal('InvalidArgument');
    });
  });

  describe('V4 (OSS4-HMAC-SHA256)', () => {
    it('accepts ali-oss with authorizationV4, virtual-hosted and path style, sub-resources included', async () => {
      const client = oss.client(bucket, { authorizationV4: true });
      await client.put('v4/key (1)', Buffer.from('signed with V4'), {
        meta: { note: 'v4' },
      });
      await client.put('v4/key (2)', Buffer.from('another'));
      const read = await oss.pathStyleClient(bucket, { authorizationV4: true }).get('v4/key (1)');
      expect(read.content.toString()).to.equal('signed with V4');
      const { uploadId } = await client.initMultipartUpload('v4/mp');
      await client.abortMultipartUpload('v4/mp', uploadId);
      // The continuation token is a signed sub-resource under V4 as under V1.
      const listed = await client.listV2({ prefix: 'v4/', 'max-keys': '1' });
      expect(listed.isTruncated).to.be.true;
      const next = await client.listV2({
        prefix: 'v4/',
        'continuation-token': listed.nextContinuationToken ?? '',
      });
      expect(next.objects.map((object) => object.name)).to.deep.equal(['v4/key (2)']);
    });

    it('refuses V4 signed with the wrong secret (with the canonical request) or for another region', async () => {
      const wrong = await ossFailure(
        oss.client(bucket, { authorizationV4: true, accessKeySecret: 'wrong' }).get('k'),
      );
      expect(wrong).to.include({ status: 403, code: 'SignatureDoesNotMatch' });
      const region = await ossFailure(
        oss.client(bucket, { authorizationV4: true, region: 'oss-cn-beijing' }).get('k'),
      );
      expect(region).to.include({ status: 400, code: 'InvalidArgument' });
      expect(region.message).to.include('cn-beijing');
    });

    it('serves signatureUrlV4 URLs; refuses them tampered or expired', async () => {
      const client = oss.pathStyleClient(bucket, { authorizationV4: true });
      await client.put('v4-url', Buffer.from('through a V4 URL'));
      const url = await client.signatureUrlV4('GET', 60, { headers: {} }, 'v4-url');
      const response = await fetch(url);
      expect(response.status).to.equal(200);
      expect(await response.text()).to.equal('through a V4 URL');
      const tampered = await fetch(url.replace('v4-url?', 'v4-url-x?'));
      expect(tampered.status).to.equal(403);
      const error = await xmlError(tampered);
      expect(error.Code).to.equal('SignatureDoesNotMatch');
      expect(error.CanonicalRequest).to.match(/^GET\n\/lading-[0-9a-f]+\/v4-url-x\n/);
      // With additional signed headers: here Host, which the URL is bound to.
      const host = `localhost:${String(oss.port)}`;
      const bound = await client.signatureUrlV4('GET', 60, { headers: { host } }, 'v4-url', [
        'host',
      ]);
      expect(new URL(bound).searchParams.get('x-oss-additional-headers')).to.equal('host');
      expect((await fetch(bound)).status).to.equal(200);
      const unsorted = new URL(bound);
      unsorted.searchParams.set('x-oss-additional-headers', 'host;accept');
      expect(await xmlError(await fetch(unsorted))).to.include({ Code: 'InvalidArgument' });
      const tooLong = new URL(url);
      tooLong.searchParams.set('x-oss-expires', '604801');
      expect((await fetch(tooLong)).status).to.equal(400);
      // An hour before it was made, a 60-second URL has long expired.
      const old = new URL(url);
      old.searchParams.set('x-oss-date', '20200101T000000Z');
      const expired = await fetch(old);
      expect(expired.status).to.equal(403);
      expect(await xmlError(expired)).to.include({
        Code: 'AccessDenied',
        Message: 'Request has expired.',
      });
    });
  });
});
