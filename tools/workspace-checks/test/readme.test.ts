import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { repositoryRoot, type PackageManifest } from '../src/workspace.js';

const read = (file: string) => readFile(`${repositoryRoot}${file}`, 'utf8');

describe('README and CI', () => {
  it('open the README with the start and test commands', async () => {
    const readme = await read('README.md');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).to.deep.equal(['npm ci && npm start', 'npm ci && npm test']);
    expect(readme.indexOf('```sh'), 'the commands come first').to.be.below(readme.indexOf('\n## '));
  });

  it('run exactly the README test command in CI', async () => {
    const script = await read('.ci/run');
    const commands = script
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(commands.at(-1)).to.equal('npm ci && npm test');
  });

  it('test formatting, build, types, lint and every test', async () => {
    const manifest = JSON.parse(await read('package.json')) as PackageManifest;
    expect(manifest.scripts?.test).to.match(
      /^npm run format:check && nx run-many -t build typecheck lint test\b/,
    );
    expect(manifest.scripts?.['format:check']).to.equal('prettier --check .');
  });
});

describe('Nx configuration', () => {
  interface TargetDefault {
    cache?: boolean;
    dependsOn?: string[];
    outputs?: string[];
  }

  it('caches every target, builds dependencies first, and never calls Nx Cloud', async () => {
    const nx = JSON.parse(await read('nx.json')) as {
      neverConnectToCloud?: boolean;
      targetDefaults: Record<string, TargetDefault>;
    };
    expect(nx.neverConnectToCloud).to.equal(true);
    for (const target of ['build', 'typecheck', 'lint', 'test']) {
      expect(nx.targetDefaults[target]?.cache, target).to.equal(true);
      expect(nx.targetDefaults[target]?.dependsOn, target).to.deep.equal(['^build']);
    }
    expect(nx.targetDefaults.build?.outputs).to.deep.equal(['{projectRoot}/dist']);
  });
});
