import type { Bucket, GetFilesOptions } from '@google-cloud/storage';
import { expect } from 'chai';
import { jsonError, startTestEmulator, type TestEmulator } from './helpers.js';

interface ListPage {
  kind: string;
  items?: { name: string; size: string }[];
  prefixes?: string[];
  nextPageToken?: string;
}

describe('GCS emulator: objects.list', function () {
  this.timeout(30_000);
  let gcs: TestEmulator;
  let bucket: Bucket;

  before(async () => {
    gcs = await startTestEmulator();
  });
  after(() => gcs.stop());
  beforeEach(async () => {
    bucket = await gcs.bucket();
  });

  const put = (names: string[]) =>
    Promise.all(names.map((name) => bucket.file(name).save(name, { resumable: false })));

  async function list(query: Record<string, string>): Promise<ListPage> {
    const search = new URLSearchParams(query).toString();
    const response = await fetch(
      `${gcs.emulator.endpoint}/storage/v1/b/${bucket.name}/o?${search}`,
    );
    expect(response.status).to.equal(200);
    return (await response.json()) as ListPage;
  }

  /** Every page, following nextPageToken. */
  async function allPages(query: Record<string, string>): Promise<ListPage[]> {
    const pages: ListPage[] = [];
    let token: string | undefined;
    do {
      const page = await list(token === undefined ? query : { ...query, pageToken: token });
      pages.push(page);
      token = page.nextPageToken;
    } while (token !== undefined);
    return pages;
  }

  const names = (page: ListPage) => (page.items ?? []).map((item) => item.name);

  it('lists in name order with kind storage#objects, leaving out empty lists and the last token', async () => {
    await put(['b', 'a', 'c/d', 'a/b']);
    const page = await list({});
    expect(page.kind).to.equal('storage#objects');
    expect(names(page)).to.deep.equal(['a', 'a/b', 'b', 'c/d']);
    expect(page.items?.[0]?.size).to.equal('1');
    expect(page).to.not.have.property('prefixes');
    expect(page).to.not.have.property('nextPageToken');
    const empty = await list({ prefix: 'zzz' });
    expect(empty).to.deep.equal({ kind: 'storage#objects' });
  });

  it('sorts by the bytes of the UTF-8 names, as GCS does, not by UTF-16 code units', async () => {
    // U+FF5E sorts before U+1F600 by code unit (0xFF5E < 0xD83D is false) but after it by
    // UTF-8 bytes: EF BD 9E < F0 9F 98 80.
    await put(['\u{1F600}', '\uFF5E', 'z']);
    expect(names(await list({}))).to.deep.equal(['z', '\uFF5E', '\u{1F600}']);
  });

  it('rolls names up into prefixes with a delimiter, under a prefix', async () => {
    await put(['a/b/c', 'a/b/d', 'a/e', 'a/f/g', 'h', 'a/']);
    const page = await list({ prefix: 'a/', delimiter: '/' });
    expect(names(page)).to.deep.equal(['a/', 'a/e']);
    expect(page.prefixes).to.deep.equal(['a/b/', 'a/f/']);
    const top = await list({ delimiter: '/' });
    expect(names(top)).to.deep.equal(['h']);
    expect(top.prefixes).to.deep.equal(['a/']);
  });

  it('pages by maxResults, items and prefixes counted together, each prefix once', async () => {
    await put(['a/1', 'a/2', 'a/3', 'b', 'c/1', 'd']);
    const pages = await allPages({ delimiter: '/', maxResults: '1' });
    expect(pages.map((page) => [...(page.prefixes ?? []), ...names(page)])).to.deep.equal([
      ['a/'],
      ['b'],
      ['c/'],
      ['d'],
    ]);
    expect(pages.slice(0, -1).every((page) => typeof page.nextPageToken === 'string')).to.be.true;
    const twos = await allPages({ maxResults: '2' });
    expect(twos.map(names)).to.deep.equal([
      ['a/1', 'a/2'],
      ['a/3', 'b'],
      ['c/1', 'd'],
    ]);
  });

  it('keeps paging right when objects are deleted between pages', async () => {
    await put(Array.from({ length: 10 }, (_, i) => `obj-${String(i).padStart(2, '0')}`));
    const first = await list({ maxResults: '3' });
    expect(names(first)).to.deep.equal(['obj-00', 'obj-01', 'obj-02']);
    // Listed ones go, the token's own name among them, and one not listed yet: a position
    // kept as an offset would now skip obj-03 and obj-04.
    for (const name of ['obj-00', 'obj-02', 'obj-05']) await bucket.file(name).delete();
    const second = await list({ maxResults: '3', pageToken: first.nextPageToken ?? '' });
    expect(names(second)).to.deep.equal(['obj-03', 'obj-04', 'obj-06']);
  });

  it('encodes the page token: opaque, and a forged one is a 400', async () => {
    await put(['x1', 'x2']);
    const page = await list({ maxResults: '1' });
    expect(page.nextPageToken).to.be.a('string').and.not.equal('x1');
    const response = await fetch(
      `${gcs.emulator.endpoint}/storage/v1/b/${bucket.name}/o?pageToken=x1`,
    );
    expect(response.status).to.equal(400);
    await response.body?.cancel();
  });

  it('starts at startOffset and stops before endOffset', async () => {
    await put(['a', 'b', 'c', 'd']);
    expect(names(await list({ startOffset: 'b', endOffset: 'd' }))).to.deep.equal(['b', 'c']);
  });

  it('works for the SDK: getFiles page by page with its nextQuery, and prefixes', async () => {
    await put(Array.from({ length: 25 }, (_, i) => `p/${String(i).padStart(2, '0')}`));
    await put(['q/1', 'q/2/3']);
    const seen: string[][] = [];
    let query: GetFilesOptions | undefined = { prefix: 'p/', maxResults: 10, autoPaginate: false };
    while (query !== undefined) {
      const [files, next] = await bucket.getFiles(query);
      seen.push(files.map((file) => file.name));
      // Typed `{}`, but null after the last page.
      const nextQuery: unknown = next;
      query = nextQuery === null ? undefined : nextQuery;
    }
    expect(seen.map((page) => page.length)).to.deep.equal([10, 10, 5]);
    expect(seen.flat()).to.deep.equal(
      Array.from({ length: 25 }, (_, i) => `p/${String(i).padStart(2, '0')}`),
    );
    const [, , response] = await bucket.getFiles({
      delimiter: '/',
      prefix: 'q/',
      autoPaginate: false,
    });
    expect((response as ListPage).prefixes).to.deep.equal(['q/2/']);
  });

  it('refuses listing options it does not emulate, such as matchGlob, with 501', async () => {
    const response = await fetch(
      `${gcs.emulator.endpoint}/storage/v1/b/${bucket.name}/o?matchGlob=**`,
    );
    expect(response.status).to.equal(501);
    expect((await jsonError(response)).message).to.include('matchGlob');
  });
});
