/**
 * The import directions of ARCHITECTURE.md, by project tag: a project with the
 * tag on the left may depend on projects with the tags on the right. ESLint's
 * `@nx/enforce-module-boundaries` checks imports with the same table
 * (eslint.config.js); this one checks declared dependencies, which a
 * consumer's installer follows.
 */
export const allowedDependencies: Readonly<Record<string, readonly string[]>> = {
  'scope:storage-contract': [],
  'scope:oci': [],
  'scope:config': [],
  'scope:token-auth': ['scope:oci'],
  'scope:projects': ['scope:token-auth', 'scope:oci'],
  'scope:notifications': ['scope:oci'],
  'scope:registry-api': ['scope:engine', 'scope:oci', 'scope:token-auth'],
  'scope:engine': ['scope:storage-contract', 'scope:oci'],
  'scope:storage-testsuite': ['scope:storage-contract'],
  'scope:storage-driver': ['scope:storage-contract', 'scope:storage-testsuite'],
  'type:example': [
    'scope:storage-contract',
    'scope:storage-testsuite',
    'scope:storage-driver',
    'scope:oci',
    'scope:engine',
  ],
  'type:tool': ['*'],
  'type:app': ['*'],
};

/** Tests (dev dependencies) may also use the reference drivers, the conformance suite and test tools. */
const alsoForTests = [
  'scope:storage-contract',
  'scope:storage-driver',
  'scope:storage-testsuite',
  'type:tool',
];

/** Why `from` may not depend on `to`, or undefined when it may. */
export function dependencyProblem(
  from: string,
  fromTags: readonly string[],
  to: string,
  toTags: readonly string[],
  forTestsOnly = false,
): string | undefined {
  for (const tag of fromTags) {
    const base = allowedDependencies[tag];
    if (base === undefined) continue;
    const allowed = forTestsOnly ? [...base, ...alsoForTests] : base;
    if (allowed.includes('*') || toTags.some((target) => allowed.includes(target))) continue;
    return `${from} (${tag}) may not depend on ${to} (${toTags.join(', ') || 'untagged'})`;
  }
  return undefined;
}
