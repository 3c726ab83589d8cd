// Catalog listing on a large registry: `npm run bench:catalog -w tools/bench [-- REPOSITORIES]`.
// Builds a filesystem tree of N repositories (default 20,000, as 200 groups of 100), then
// times the full listing and 100-entry pages at the start, middle and end, as median of 5.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryEngine, layout } from '@lading/registry-engine';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';

const total = Number(process.argv[2] ?? 20_000);
const perGroup = 100;
const groups = Math.ceil(total / perGroup);

async function buildTree(root: string): Promise<string[]> {
  const names: string[] = [];
  for (let group = 0; group < groups; group += 1) {
    const batch: Promise<unknown>[] = [];
    for (let app = 0; app < perGroup && names.length < total; app += 1) {
      const name = `group-${String(group).padStart(4, '0')}/app-${String(app).padStart(3, '0')}`;
      names.push(name);
      // A repository is a directory holding _manifests; each also gets the usual siblings.
      for (const sub of ['_manifests/tags', '_layers', '_uploads']) {
        batch.push(mkdir(join(root, layout.repositoryPath(name), sub), { recursive: true }));
      }
    }
    await Promise.all(batch);
  }
  return names;
}

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? Number.NaN;
}

const root = await mkdtemp(join(tmpdir(), 'lading-bench-catalog-'));
try {
  const names = await buildTree(root);
  const engine = createRegistryEngine({ driver: createFilesystemDriver({ rootDirectory: root }) });
  const full = await engine.catalog();
  if (full.repositories.length !== names.length) throw new Error('the catalog lost repositories');
  const middle = names[Math.floor(names.length / 2)];
  const end = names[names.length - 101];
  const rows: [string, number][] = [
    [
      `full listing (${String(names.length)} repositories)`,
      await median(5, () => engine.catalog()),
    ],
    ['first page, n=100', await median(5, () => engine.catalog({ n: 100 }))],
    [
      'middle page, n=100',
      await median(5, () =>
        engine.catalog({ n: 100, ...(middle === undefined ? {} : { last: middle }) }),
      ),
    ],
    [
      'last page, n=100',
      await median(5, () =>
        engine.catalog({ n: 100, ...(end === undefined ? {} : { last: end }) }),
      ),
    ],
  ];
  console.log(`catalog on the filesystem driver, Node ${process.version}`);
  for (const [label, ms] of rows)
    console.log(`${label.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms`);
} finally {
  await rm(root, { recursive: true, force: true });
}
