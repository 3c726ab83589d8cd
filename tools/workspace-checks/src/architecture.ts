/**
 * The import directions of ARCHITECTURE.md, by project tag: a project with the
 * tag on the left may depend on projects with the tags on the right. ESLint's
 * `@nx/enforce-module-boundaries` checks imports with the same table
 * (eslint.config.js); this one checks declared dependencies, which a
 * consumer's installer follows.
 */
export const allowedDependencies: Readonly<Record<string, readonly string[]>> = {
  'scope:storage-contract': [],
  'scope:storage-testsuite': ['scope:storage-contract'],
  'scope:storage-driver': ['scope:storage-contract', 'scope:storage-testsuite'],
  'type:example': ['scope:storage-contract', 'scope:storage-testsuite'],
  'type:tool': ['*'],
  'type:app': ['*'],
};

/** Why `from` may not depend on `to`, or undefined when it may. */
export function dependencyProblem(
  from: string,
  fromTags: readonly string[],
  to: string,
  toTags: readonly string[],
): string | undefined {
  for (const tag of fromTags) {
    const allowed = allowedDependencies[tag];
    if (allowed === undefined) continue;
    if (allowed.includes('*') || toTags.some((target) => allowed.includes(target))) continue;
    return `${from} (${tag}) may not depend on ${to} (${toTags.join(', ') || 'untagged'})`;
  }
  return undefined;
}
