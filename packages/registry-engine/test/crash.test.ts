import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MediaType, digestOf, manifestReferences, parseManifest } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';
import { expect } from 'chai';
import { createRegistryEngine, layout } from '../src/index.js';
import { readAll } from './support.js';

const pusher = fileURLToPath(new URL('./fixtures/crash-pusher.ts', import.meta.url));

async function runAndKill(root: string, ms: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', pusher, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pushed = 0;
  const lines = createInterface({ input: child.stdout });
  const started = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      pushed = Number(line.split(' ')[1]);
      if (pushed === 1) resolve();
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A pusher that dies before its first push would otherwise leave the test waiting for it.
  if (!(await Promise.race([started.then(() => true), exited.then(() => false)])))
    throw new Error('the pusher exited before its first push');
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
  return pushed;
}

/** Every file under `path` whose name is `name`. */
async function filesNamed(driver: StorageDriver, path: string, name: string): Promise<string[]> {
  const found: string[] = [];
  await driver.walk(path, (info) => {
    if (!info.isDir && info.path.endsWith(`/${name}`)) found.push(info.path);
    return undefined;
  });
  return found;
}

/** Checks every invariant a client relies on; returns how many tags it checked. */
async function checkConsistency(root: string): Promise<number> {
  const driver = createFilesystemDriver({ rootDirectory: root });
  const repository = createRegistryEngine({ driver }).repository('crash/test');
  // Every stored blob is whole: its content has the digest it is stored under.
  for (const data of await filesNamed(driver, layout.blobsPath, 'data')) {
    const hex = data.split('/').at(-2) ?? '';
    expect(digestOf(await readAll(await driver.reader(data))), data).to.equal(`sha256:${hex}`);
  }
  // Every linked blob is readable in full.
  for (const link of await filesNamed(
    driver,
    `${layout.repositoryPath('crash/test')}/_layers`,
    'link',
  )) {
    const digest = (await driver.getContent(link)).toString();
    const { stream } = await repository.blobs.open(digest);
    expect(digestOf(await readAll(stream))).to.equal(digest);
  }
  // Every tag listed points at a complete manifest whose blobs are all there. (A
  // kill between creating a tag's directory and renaming its current/link into
  // place leaves the directory; the engine does not list it.)
  const { tags } = await repository.tags.list();
  for (const tag of tags) {
    const manifest = await repository.manifests.get(tag);
    expect(digestOf(manifest.content)).to.equal(manifest.digest);
    for (const blob of manifestReferences(parseManifest(manifest.content)).blobs) {
      expect(await repository.blobs.exists(blob.digest), `${tag} needs ${blob.digest}`).to.equal(
        true,
      );
    }
  }
  return tags.length;
}

describe('the engine after kill -9', function () {
  this.timeout(180_000);

  it('shows no partial blob or manifest, and goes on working', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lading-engine-crash-'));
    try {
      let checkedTags = 0;
      for (let round = 0; round < 5; round += 1) {
        const pushed = await runAndKill(root, 30 + ((round * 97) % 250));
        expect(pushed).to.be.greaterThan(0);
        checkedTags += await checkConsistency(root);
      }
      expect(checkedTags).to.be.greaterThan(0);
      // Uploads cut off mid-way are left for purging; the store still takes new pushes.
      const engine = createRegistryEngine({
        driver: createFilesystemDriver({ rootDirectory: root }),
      });
      await engine.purgeUploads({ olderThan: new Date(Date.now() + 1000) });
      const blob = await engine
        .repository('crash/test')
        .uploads.upload(Buffer.from('after the crashes'));
      expect(blob.size).to.equal(17);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('lists no tag the crash left half-written, and sets it afresh', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lading-engine-crash-'));
    try {
      const driver = createFilesystemDriver({ rootDirectory: root });
      const repository = createRegistryEngine({ driver }).repository('crash/test');
      const config = await repository.uploads.upload(Buffer.from('{}'));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
          layers: [],
        }),
      );
      await repository.manifests.put('latest', manifest, { mediaType: MediaType.ociManifest });
      // Exactly what kill -9 leaves between the driver's mkdir and its rename.
      const current = join(root, layout.tagCurrentLinkPath('crash/test', 'stable'), '..');
      await mkdir(current, { recursive: true });
      await writeFile(join(current, 'link~tmp-0123456789ab'), digestOf(manifest).slice(0, 20));
      expect(await checkConsistency(root)).to.equal(1);
      expect((await repository.tags.list()).tags).to.deep.equal(['latest']);
      await repository.manifests.put('stable', manifest, { mediaType: MediaType.ociManifest });
      expect(await checkConsistency(root)).to.equal(2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
