import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@lading/config';
import { expect } from 'chai';
import { runLading, startLading } from './support/lading-process.js';

const guide = fileURLToPath(new URL('../../../docs/administration.md', import.meta.url));

async function yamlBlocks(): Promise<string[]> {
  const text = await readFile(guide, 'utf8');
  return [...text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map(([, indent = '', body = '']) =>
    body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  );
}

describe('docs/administration.md', function () {
  this.timeout(60_000);

  it('shows only complete configs that Lading accepts', async () => {
    const blocks = await yamlBlocks();
    expect(blocks.length).to.be.at.least(6);
    for (const block of blocks) {
      const { config } = parseConfig(block, { env: {}, source: 'docs/administration.md' });
      expect(config.version).to.equal('0.1');
    }
  });

  it('runs its maintenance example: read-only, serving pulls', async () => {
    const block = (await yamlBlocks()).find((candidate) => candidate.includes('readonly'));
    const lading = await startLading({
      config: (block ?? '')
        .replace('/var/lib/registry', '{dir}/data')
        .replace('127.0.0.1:5000', '127.0.0.1:0'),
    });
    try {
      expect(
        (await fetch(`${lading.url}/v2/a/blobs/uploads/`, { method: 'POST' })).status,
      ).to.equal(405);
      expect((await fetch(`${lading.url}/v2/`)).status).to.equal(200);
    } finally {
      await lading.stop();
    }
  });

  it('runs its metrics example: health and Prometheus on the debug address', async () => {
    const block = (await yamlBlocks()).find((candidate) => candidate.includes('prometheus'));
    const lading = await startLading({
      config: (block ?? '')
        .replace('/var/lib/registry', '{dir}/data')
        .replace(/127\.0\.0\.1:500[01]/g, '127.0.0.1:0'),
    });
    try {
      expect((await fetch(`${lading.debugUrl ?? ''}/debug/health`)).status).to.equal(200);
      expect(await (await fetch(`${lading.debugUrl ?? ''}/metrics`)).text()).to.contain(
        'lading_uploads_in_flight',
      );
    } finally {
      await lading.stop();
    }
  });
});

describe('docs/token-auth.md', () => {
  it('shows only configs that Lading accepts', async () => {
    const text = await readFile(
      fileURLToPath(new URL('../../../docs/token-auth.md', import.meta.url)),
      'utf8',
    );
    const blocks = [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(([, body = '']) => body);
    expect(blocks.length).to.be.at.least(3);
    for (const block of blocks)
      expect(parseConfig(block, { env: {} }).config.version).to.equal('0.1');
  });
});

describe('docs/projects-and-permissions.md', function () {
  this.timeout(60_000);
  const page = fileURLToPath(new URL('../../../docs/projects-and-permissions.md', import.meta.url));
  const blocks = async (): Promise<string[]> =>
    [...(await readFile(page, 'utf8')).matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(
      ([, body = '']) => body,
    );

  it('shows only complete configs that Lading accepts', async () => {
    const found = await blocks();
    expect(found).to.have.length(3);
    for (const block of found)
      expect(parseConfig(block, { env: {} }).config.version).to.equal('0.1');
  });

  it('runs its token service alone: tokens for another registry, no images of its own', async () => {
    const alone = (await blocks()).find((block) => block.includes('# the token service')) ?? '';
    const keys = await runLading(['keys', 'generate', '-o', directory]);
    expect(keys.code, keys.stderr).to.equal(0);
    const lading = await startLading({
      config: alone
        .replaceAll('/etc/lading', directory)
        .replace('postgres: postgres://lading@db:5432/lading', `sqlite: ${directory}/lading.db`)
        .replace('0.0.0.0:5001', '127.0.0.1:0'),
    });
    try {
      const token = await fetch(
        `${lading.url}/jwt/auth?service=registry.example.com&scope=repository:a/b:pull`,
      );
      expect(token.status).to.equal(200);
      expect(((await token.json()) as { token?: string }).token).to.be.a('string');
      const push = await fetch(`${lading.url}/v2/a/b/blobs/uploads/`, { method: 'POST' });
      expect(push.status).to.equal(405);
    } finally {
      await lading.stop();
    }
  });

  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-projects-doc-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));
});

describe('docs/notifications.md', () => {
  it('shows a complete config that Lading accepts, with every endpoint key read', async () => {
    const text = await readFile(
      fileURLToPath(new URL('../../../docs/notifications.md', import.meta.url)),
      'utf8',
    );
    const blocks = [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(([, body = '']) => body);
    expect(blocks).to.have.length(1);
    const { config } = parseConfig(blocks[0] ?? '', { env: {} });
    const [deployer] = config.notifications.endpoints;
    expect(deployer).to.include({ name: 'deployer', timeout: 5000, threshold: 5, backoff: 10_000 });
    expect(deployer?.ignore.actions).to.deep.equal(['pull']);
    expect(config.lading.notifications).to.deep.equal({
      spooldirectory: '/var/spool/lading',
      maxspoolbytes: 268435456,
    });
  });
});
