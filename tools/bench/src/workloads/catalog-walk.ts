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
import { median, medianDuration } from '../stats.js';
import { perUnit, type Workload } from './workload.js';

const pageSize = 100;
const walks = 3;
const pageReads = 5;
/** Untimed walks first, on both servers alike (see tags-list.ts). */
const warmUpWalks = 2;

export const repositoryName = (index: number) => `bench/r-${String(index).padStart(4, '0')}`;

function checkInOrder(
  client: RegistryClient,
  received: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const at = expected.findIndex((name, index) => received[index] !== name);
  if (at === -1 && received.length === expected.length) return;
  const where = at === -1 ? expected.length : at;
  client.check.fail(
    `${what}: ${received.length} repositories, expected ${expected.length}; entry ${where} is ${JSON.stringify(received[where])}, expected ${JSON.stringify(expected[where])}`,
  );
}

/** 8: a catalog of many repositories, walked 100 at a time; and its first and last pages. */
export const catalogWalk: Workload = {
  number: 8,
  title: (sizes) => `_catalog, ${sizes.repositories.toLocaleString('en')} repositories`,
  metrics: [
    { key: 'walkMs', label: `walk n=${pageSize} ms`, better: 'lower' },
    { key: 'firstPageMs', label: 'first page ms', better: 'lower' },
    { key: 'lastPageMs', label: 'last page ms', better: 'lower' },
  ],
  async run({ server, client, sizes }) {
    // The same tiny image in every repository: one small layer, its config, the manifest.
    const image = buildImage('bench/catalog', 1, 512);
    const expected = Array.from({ length: sizes.repositories }, (_, index) =>
      repositoryName(index),
    );
    await runPool(expected.length, 16, async (index) => {
      const repository = repositoryName(index);
      for (const blob of image.blobs) {
        await pushBlobMonolithic(client, repository, blob.bytes, blob.digest);
      }
      await putManifest(client, repository, 'latest', image.manifest, ociManifestType);
    });

    const first = `${client.url}/v2/_catalog?n=${pageSize}`;
    const maxPages = Math.ceil(sizes.repositories / pageSize) + 2;
    for (let run = 0; run < warmUpWalks; run += 1) {
      const listing = await walkListing(client, first, 'repositories', maxPages);
      checkInOrder(client, listing.entries, expected, `_catalog walk n=${pageSize}`);
    }
    const walk = await measure(server.pid, async () => {
      const durations: number[] = [];
      for (let run = 0; run < walks; run += 1) {
        const started = performance.now();
        const listing = await walkListing(client, first, 'repositories', maxPages);
        durations.push(performance.now() - started);
        checkInOrder(client, listing.entries, expected, `_catalog walk n=${pageSize}`);
        if (listing.largestPage > pageSize) {
          client.check.fail(`_catalog?n=${pageSize} answered ${listing.largestPage} in one page`);
        }
      }
      return median(durations);
    });

    const firstPageMs = await medianDuration(pageReads, async () => {
      const page = await getListingPage(client, first, 'repositories');
      checkInOrder(client, page.entries, expected.slice(0, pageSize), '_catalog first page');
    });
    const lastStart = Math.floor((expected.length - 1) / pageSize) * pageSize;
    const lastUrl =
      lastStart === 0
        ? first
        : `${first}&last=${encodeURIComponent(repositoryName(lastStart - 1))}`;
    const lastPageMs = await medianDuration(pageReads, async () => {
      const page = await getListingPage(client, lastUrl, 'repositories');
      checkInOrder(client, page.entries, expected.slice(lastStart), '_catalog last page');
    });
    return [
      { key: 'walkMs', value: walk.result, usage: perUnit(walk.usage, walks, 'ms/walk') },
      { key: 'firstPageMs', value: firstPageMs },
      { key: 'lastPageMs', value: lastPageMs },
    ];
  },
};
