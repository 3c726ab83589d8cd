import { expect } from 'chai';
import { dependencyProblem } from '../src/architecture.js';
import { internalDependencies, workspaceProjects } from '../src/workspace.js';

describe('dependency directions', () => {
  it('follow ARCHITECTURE.md for every declared dependency', async () => {
    const projects = await workspaceProjects();
    const tags = new Map(projects.map(({ manifest }) => [manifest.name, manifest.nx?.tags ?? []]));
    const problems: string[] = [];
    for (const { manifest } of projects) {
      for (const dev of [false, true]) {
        for (const dependency of internalDependencies(manifest, new Set(tags.keys()), dev)) {
          const problem = dependencyProblem(
            manifest.name,
            tags.get(manifest.name) ?? [],
            dependency,
            tags.get(dependency) ?? [],
            dev,
          );
          if (problem !== undefined) problems.push(problem);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('are judged by tag', () => {
    expect(
      dependencyProblem('a', ['scope:storage-driver'], 'b', ['scope:storage-contract']),
    ).to.equal(undefined);
    expect(
      dependencyProblem('a', ['scope:storage-driver'], 'b', ['scope:storage-driver']),
    ).to.equal('a (scope:storage-driver) may not depend on b (scope:storage-driver)');
    expect(dependencyProblem('a', ['scope:storage-contract'], 'b', [])).to.contain('untagged');
    expect(dependencyProblem('a', ['type:tool'], 'b', ['scope:storage-driver'])).to.equal(
      undefined,
    );
    expect(dependencyProblem('a', ['unknown:tag'], 'b', ['x'])).to.equal(undefined);
    expect(dependencyProblem('e', ['scope:engine'], 'd', ['scope:storage-driver'])).to.contain(
      'may not depend',
    );
    expect(
      dependencyProblem('e', ['scope:engine'], 'd', ['scope:storage-driver'], true),
      'tests may use the reference drivers',
    ).to.equal(undefined);
  });
});
