import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const repositoryRoot = new URL('../../../', import.meta.url);
const guidePath = fileURLToPath(new URL('docs/storage-drivers.md', repositoryRoot));

interface TitledBlock {
  file: string;
  code: string;
}

/** Indentation aside: an excerpt is shown dedented, and Prettier formats it so. */
function unindented(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.trimStart())
    .join('\n');
}

/** Fenced code blocks whose info string names a repository file: ```ts title="path" */
function titledBlocks(markdown: string): TitledBlock[] {
  const pattern = /^```\w+ title="([^"]+)"\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(pattern)].map(([, file = '', code = '']) => ({ file, code }));
}

describe('docs/storage-drivers.md', () => {
  it('shows only code that is in the example package, as it is there', async () => {
    const blocks = titledBlocks(await readFile(guidePath, 'utf8'));
    expect(blocks.length, 'titled code blocks in the guide').to.be.at.least(8);
    for (const { file, code } of blocks) {
      const source = await readFile(fileURLToPath(new URL(file, repositoryRoot)), 'utf8');
      expect(unindented(source).includes(unindented(code)), `${file} contains:\n${code}`).to.equal(
        true,
      );
    }
  });
});
