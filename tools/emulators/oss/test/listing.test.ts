import { expect } from 'chai';
import { ossFailure, startTestEmulator, type TestEmulator } from './helpers.js';
import type { OssClient } from './oss-client.js';
import { rawFetch } from './raw-client.js';

describe('OSS emulator: ListObjects and ListObjectsV2', function () {
  this.timeout(30_000);
  let oss: TestEmulator;
  let bucket: string;
  let client: OssClient;
  // In UTF-8 byte order, which is not JS string order: 'é' (C3 A9) sorts after 'z', and
  // '\u{1F600}' (F0 …) after '\uFF5E' (EF BD BE), where UTF-16 puts it before.
  const keys = ['a/1', 'a/2', 'a/b/3', 'b', 'c/x', 'z', 'é', '\uFF5E', '\u{1F600}'];

  before(async () => {
    oss = await startTestEmulator();
  });
  after(() => oss.stop());
  beforeEach(async () => {
    bucket = await oss.bucket();
    client = oss.client(bucket);
    for (const key of [...keys].reverse()) await client.put(key, Buffer.from(key));
  });

  /** Every page of a v1 listing, following NextMarker. */
  async function pagesV1(
    query: Record<string, string | number>,
  ): Promise<{ objects: string[]; prefixes: string[] }[]> {
    const pages = [];
    let marker: string | undefined;
    for (;;) {
      const page = await client.list({ ...query, ...(marker === undefined ? {} : { marker }) }, {});
      pages.push({
        objects: page.objects.map((object) => object.name),
        prefixes: page.prefixes ?? [],
      });
      if (!page.isTruncated) return pages;
      marker = page.nextMarker ?? '';
    }
  }

  it('lists in UTF-8 byte order, with size, ETag, type, storage class and owner (v1)', async () => {
    const page = await client.list({ 'max-keys': 1000 }, {});
    expect(page.objects.map((object) => object.name)).to.deep.equal(keys);
    expect(page.isTruncated).to.be.false;
    expect(page.nextMarker).to.equal(null);
    const first = page.objects[0];
    expect(first).to.include({ name: 'a/1', size: 3, type: 'Normal', storageClass: 'Standard' });
    expect(first?.etag).to.match(/^"[0-9A-F]{32}"$/);
    expect(first?.lastModified).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(first?.owner?.id).to.be.a('string').that.is.not.empty;
  });

  it('pages with max-keys and marker, rolls up common prefixes with delimiter, each once (v1)', async () => {
    const pages = await pagesV1({ delimiter: '/', 'max-keys': 2 });
    expect(pages).to.deep.equal([
      { objects: ['b'], prefixes: ['a/'] },
      { objects: ['z'], prefixes: ['c/'] },
      { objects: ['é', '\uFF5E'], prefixes: [] },
      { objects: ['\u{1F600}'], prefixes: [] },
    ]);
    const under = await client.list({ prefix: 'a/', delimiter: '/' }, {});
    expect(under.objects.map((object) => object.name)).to.deep.equal(['a/1', 'a/2']);
    expect(under.prefixes).to.deep.equal(['a/b/']);
    // A marker inside a rolled-up prefix does not bring the prefix back.
    const after = await client.list({ delimiter: '/', marker: 'a/1' }, {});
    expect(after.prefixes).to.deep.equal(['c/']);
  });

  it('answers v2 with KeyCount, continuation tokens, start-after, and the owner only with fetch-owner', async () => {
    const first = await client.listV2({ 'max-keys': '3' });
    expect(first.objects.map((object) => object.name)).to.deep.equal(['a/1', 'a/2', 'a/b/3']);
    expect(first).to.include({ isTruncated: true, keyCount: 3 });
    expect(first.objects[0]?.owner).to.equal(null);
    const second = await client.listV2({
      'max-keys': '3',
      'continuation-token': first.nextContinuationToken ?? '',
    });
    expect(second.objects.map((object) => object.name)).to.deep.equal(['b', 'c/x', 'z']);
    expect(second.continuationToken).to.equal(first.nextContinuationToken);
    const started = await client.listV2({
      'start-after': 'z',
      'fetch-owner': true,
    });
    expect(started.objects.map((object) => object.name)).to.deep.equal([
      'é',
      '\uFF5E',
      '\u{1F600}',
    ]);
    expect(started).to.include({ isTruncated: false, nextContinuationToken: null });
    expect(started.objects[0]?.owner?.id).to.be.a('string');
    const prefixes = await client.listV2({ delimiter: '/' });
    expect(prefixes.prefixes).to.deep.equal(['a/', 'c/']);
    expect(prefixes.keyCount).to.equal(7);
  });

  it('URL-encodes names with encoding-type=url, for characters XML 1.0 cannot carry', async () => {
    await client.put('ctl\u0001/x y', Buffer.from('x'));
    const response = await rawFetch(oss.emulator.endpoint, oss.key, {
      method: 'GET',
      bucket,
      query: { prefix: 'ctl\u0001', delimiter: '/', 'encoding-type': 'url' },
    });
    const body = await response.text();
    expect(body).to.include('<Prefix>ctl%01</Prefix>');
    expect(body).to.include('<CommonPrefixes><Prefix>ctl%01%2F</Prefix></CommonPrefixes>');
    expect(body).to.include('<EncodingType>url</EncodingType>');
    const listed = await client.listV2({
      prefix: 'ctl',
      'encoding-type': 'url',
    });
    expect(listed.objects.map((object) => decodeURIComponent(object.name))).to.deep.equal([
      'ctl\u0001/x y',
    ]);
  });

  it('refuses max-keys outside 1–1000 and a continuation token it did not make: 400 InvalidArgument', async () => {
    expect(await ossFailure(client.list({ 'max-keys': 1001 }, {}))).to.include({
      status: 400,
      code: 'InvalidArgument',
    });
    expect((await ossFailure(client.list({ 'max-keys': 0 }, {}))).code).to.equal('InvalidArgument');
    const token = await ossFailure(client.listV2({ 'continuation-token': 'not/base64url!' }));
    expect(token).to.include({ status: 400, code: 'InvalidArgument' });
  });

  it('lists an empty bucket as empty, and a missing bucket as 404 NoSuchBucket', async () => {
    const empty = oss.client(await oss.bucket());
    expect(await empty.list(null, {})).to.deep.include({
      objects: [],
      prefixes: null,
      isTruncated: false,
    });
    expect((await ossFailure(oss.client('lading-missing').listV2({}))).code).to.equal(
      'NoSuchBucket',
    );
  });
});
