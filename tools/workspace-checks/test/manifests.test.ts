import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { allowedDependencies } from '../src/architecture.js';
import {
  libraries,
  repositoryRoot,
  workspaceProjects,
  type PackageManifest,
} from '../src/workspace.js';

const projects = await workspaceProjects();
const published = await libraries();

describe('package manifests', () => {
  it('find every library', () => {
    expect(published.map((project) => project.manifest.name)).to.include.members([
      '@lading/storage-driver',
      '@lading/storage-driver-filesystem',
      '@lading/storage-driver-inmemory',
      '@lading/storage-driver-testsuite',
    ]);
  });

  for (const { directory, manifest } of published) {
    describe(manifest.name, () => {
      it('is named @lading/<directory> and is an ES module for Node ≥ 20.19', () => {
        expect(manifest.name).to.equal(`@lading/${directory.slice('packages/'.length)}`);
        expect(manifest.type).to.equal('module');
        expect(manifest.engines?.node).to.equal('>=20.19.0');
        expect(manifest.private, 'publishable').to.not.equal(true);
      });

      it('exports its built index with types, and publishes only dist', () => {
        expect(manifest.exports?.['.']).to.deep.equal({
          types: './dist/index.d.ts',
          default: './dist/index.js',
        });
        expect(manifest.main).to.equal('./dist/index.js');
        expect(manifest.types).to.equal('./dist/index.d.ts');
        expect(manifest.files).to.deep.equal(['dist']);
      });

      it('has a public API file, tests, a README, and the four targets', () => {
        for (const file of ['src/index.ts', 'test', 'README.md']) {
          expect(existsSync(`${repositoryRoot}${directory}/${file}`), file).to.equal(true);
        }
        expect(Object.keys(manifest.scripts ?? {})).to.include.members([
          'build',
          'typecheck',
          'lint',
          'test',
        ]);
        expect(manifest.scripts?.test).to.match(/^c8 /);
      });
    });
  }

  it('pin every dependency to an exact version', () => {
    const loose: string[] = [];
    const root = JSON.parse(
      readFileSync(`${repositoryRoot}package.json`, 'utf8'),
    ) as PackageManifest;
    for (const { manifest } of [...projects, { manifest: root }]) {
      for (const [name, range] of Object.entries({
        ...manifest.dependencies,
        ...manifest.devDependencies,
      })) {
        if (!/^\d+\.\d+\.\d+$/.test(range)) loose.push(`${manifest.name}: ${name}@${range}`);
      }
    }
    expect(loose).to.deep.equal([]);
  });

  it('make this project depend on every library, so Nx builds them before it runs', () => {
    const own = projects.find(({ directory }) => directory === 'tools/workspace-checks');
    const dependencies = Object.keys(own?.manifest.devDependencies ?? {});
    expect(dependencies).to.include.members(published.map(({ manifest }) => manifest.name));
  });

  it("run every project's tests as ESM, failing on skipped or focused tests (ADR 0007, 0008)", () => {
    const lax = projects
      .filter(({ manifest }) => manifest.scripts?.test !== undefined)
      .filter(({ directory }) => {
        const path = `${repositoryRoot}${directory}/.mocharc.json`;
        if (!existsSync(path)) return true;
        const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        return (
          config['forbid-only'] !== true ||
          config['forbid-pending'] !== true ||
          JSON.stringify(config['node-option']) !== JSON.stringify(['import=tsx/esm'])
        );
      });
    expect(lax.map(({ directory }) => directory)).to.deep.equal([]);
  });

  it('tag every project for the module-boundary rules, with tags the rules know', () => {
    const untagged = projects.filter(({ manifest }) => (manifest.nx?.tags ?? []).length === 0);
    expect(untagged.map(({ manifest }) => manifest.name)).to.deep.equal([]);
    const unknown = projects.flatMap(({ manifest }) =>
      (manifest.nx?.tags ?? [])
        .filter((tag) => allowedDependencies[tag] === undefined)
        .map((tag) => `${manifest.name}: ${tag}`),
    );
    expect(unknown).to.deep.equal([]);
  });
});
