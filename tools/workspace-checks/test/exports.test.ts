import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { libraries, repositoryRoot } from '../src/workspace.js';

const published = await libraries();

describe('package exports', () => {
  for (const { manifest } of published) {
    it(`${manifest.name} is importable by name, with named exports only`, async () => {
      const module = (await import(manifest.name)) as Record<string, unknown>;
      expect(Object.keys(module)).to.not.include('default');
      expect(Object.keys(module).length).to.be.greaterThan(0);
    });
  }

  it('resolve by name from a plain Node process outside any test runner', () => {
    const script = published
      .map(({ manifest }) => `await import(${JSON.stringify(manifest.name)});`)
      .join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
  });

  for (const { directory, manifest } of published) {
    it(`${manifest.name} packs its built files and README, and no sources or tests`, () => {
      const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--workspace', directory], {
        cwd: repositoryRoot,
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).to.equal(0);
      const [packed] = JSON.parse(result.stdout) as [{ files: { path: string }[] }];
      const files = packed.files.map((file) => file.path);
      expect(files).to.include.members([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
      ]);
      expect(files.filter((file) => /^(src|test)\//.test(file))).to.deep.equal([]);
    });
  }
});
