import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@lading/config';
import { expect } from 'chai';
import { startLading } from './support/lading-process.js';

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
