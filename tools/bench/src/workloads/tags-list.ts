import { runPool } from '../http-client.js';
import { buildImage, ociManifestType } from '../oci-image.js';
import { measure } from '../process-stats.js';
import {
  getListingPage,
  pushBlobMonolithic,
  putManifest,
  walkListing,
  type RegistryClient,
} from '../registry-client.js';
import { median } from '../stats.js';
import { perUnit, type MetricValue, type Workload } from './workload.js';

const repository = 'bench/tags';
const pageSize = 100;
const fullReads = 5;
const walks = 3;
/**
 * Untimed reads of each kind first, on both servers alike: the figures are a
 * long-running server's, not its first minute's (Lading's JIT warms up, and
 * both servers' caches fill).
 */
const warmUpReads = 2;

export const tagName = (index: number) => `t-${String(index).padStart(5, '0')}`;

/** Fails unless `received` holds exactly `expected` (in any order); notes an unsorted order. */
export function checkSameSet(
  client: RegistryClient,
  received: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const sorted = [...received].sort();
  if (sorted.length !== received.length || sorted.some((name, i) => name !== expected[i])) {
    const want = new Set(expected);
    const got = new Set(received);
    const missing = expected.filter((name) => !got.has(name));
    const extra = received.filter((name) => !want.has(name));
    client.check.fail(
      `${what}: ${received.length} entries, expected ${expected.length}` +
        (missing.length > 0 ? `; missing ${missing.slice(0, 3).join(', ')}…` : '') +
        (extra.length > 0 ? `; unexpected ${extra.slice(0, 3).join(', ')}…` : '') +
        (missing.length === 0 && extra.length === 0 ? '; some appear twice' : ''),
    );
  }
  if (received.some((name, i) => name !== sorted[i])) {
    client.check.note(`${what} is not in lexical order`);
  }
}

/** 7: one repository with many tags: the whole list, and a walk 100 at a time. */
export const tagsList: Workload = {
  number: 7,
  title: (sizes) => `tags/list, ${sizes.tags.toLocaleString('en')} tags`,
  metrics: [
    { key: 'fullMs', label: 'full list ms', better: 'lower' },
    { key: 'walkMs', label: `walk n=${pageSize} ms`, better: 'lower' },
  ],
  async run({ server, client, sizes }) {
    const image = buildImage('bench/tags', 1, 1024);
    for (const blob of image.blobs) {
      await pushBlobMonolithic(client, repository, blob.bytes, blob.digest);
    }
    const expected = Array.from({ length: sizes.tags }, (_, index) => tagName(index));
    await runPool(expected.length, 16, (index) =>
      putManifest(client, repository, tagName(index), image.manifest, ociManifestType),
    );

    const fullUrl = `${client.url}/v2/${repository}/tags/list`;
    const walkUrl = `${fullUrl}?n=${pageSize}`;
    const maxPages = Math.ceil(sizes.tags / pageSize) + 2;
    for (let read = 0; read < warmUpReads; read += 1) {
      checkSameSet(
        client,
        (await getListingPage(client, fullUrl, 'tags')).entries,
        expected,
        'GET tags/list',
      );
      const listing = await walkListing(client, walkUrl, 'tags', maxPages);
      checkSameSet(client, listing.entries, expected, `tags/list walk n=${pageSize}`);
    }
    const full = await measure(server.pid, async () => {
      const durations: number[] = [];
      for (let read = 0; read < fullReads; read += 1) {
        const started = performance.now();
        const page = await getListingPage(client, fullUrl, 'tags');
        durations.push(performance.now() - started);
        if (page.next !== undefined) client.check.note(`tags/list without n answered a Link`);
        checkSameSet(client, page.entries, expected, 'GET tags/list');
      }
      return median(durations);
    });

    const walk = await measure(server.pid, async () => {
      const durations: number[] = [];
      for (let run = 0; run < walks; run += 1) {
        const started = performance.now();
        const listing = await walkListing(client, walkUrl, 'tags', maxPages);
        durations.push(performance.now() - started);
        if (listing.largestPage > pageSize) {
          client.check.note(
            `tags/list?n=${pageSize} answered ${listing.largestPage} tags in one page (n ignored)`,
          );
        }
        checkSameSet(client, listing.entries, expected, `tags/list walk n=${pageSize}`);
      }
      return median(durations);
    });
    const values: MetricValue[] = [
      { key: 'fullMs', value: full.result, usage: perUnit(full.usage, fullReads, 'ms/list') },
      { key: 'walkMs', value: walk.result, usage: perUnit(walk.usage, walks, 'ms/walk') },
    ];
    return values;
  },
};
