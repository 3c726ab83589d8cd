import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestOf } from '@lading/oci';
import { createRegistryEngine } from '@lading/registry-engine';
import { createFilesystemDriver } from '@lading/storage-driver-filesystem';
import { expect } from 'chai';
import { publish } from '../src/index.js';

const repositoryRoot = new URL('../../../', import.meta.url);

describe('embedding the engine', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lading-embed-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('publishes an artifact that the engine (or any registry on the tree) serves back', async () => {
    const digest = await publish(root, '2026-11-28', Buffer.from('all green'));
    const repository = createRegistryEngine({
      driver: createFilesystemDriver({ rootDirectory: root }),
    }).repository('reports/nightly');
    const manifest = await repository.manifests.get('2026-11-28');
    expect(manifest.digest).to.equal(digest);
    const layer = (JSON.parse(manifest.content.toString()) as { layers: { digest: string }[] })
      .layers[0];
    expect(layer?.digest).to.equal(digestOf(Buffer.from('all green')));
  });

  it('is what docs/engine.md shows, line for line', async () => {
    const guide = await readFile(fileURLToPath(new URL('docs/engine.md', repositoryRoot)), 'utf8');
    const block =
      /```ts title="examples\/embed-registry-engine\/src\/publish.ts"\n([\s\S]*?)```/.exec(
        guide,
      )?.[1];
    const source = await readFile(
      fileURLToPath(new URL('../src/publish.ts', import.meta.url)),
      'utf8',
    );
    expect(block).to.equal(source);
    const body = source
      .slice(source.indexOf('{\n') + 2, source.lastIndexOf('}'))
      .trim()
      .split('\n');
    expect(body.length, 'a dozen lines').to.be.at.most(12);
  });

  it('runs from a plain Node process with the published packages', () => {
    const script = `
      const { createRegistryEngine } = await import('@lading/registry-engine');
      const { createInMemoryDriver } = await import('@lading/storage-driver-inmemory');
      const engine = createRegistryEngine({ driver: createInMemoryDriver() });
      const blob = await engine.repository('a/b').uploads.upload(Buffer.from('x'));
      process.stdout.write(blob.digest);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(repositoryRoot),
      encoding: 'utf8',
    });
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal(digestOf(Buffer.from('x')));
  });
});
