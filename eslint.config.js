// ESLint for the whole workspace: typescript-eslint's strict type-checked
// rules, Nx module boundaries (the import directions of ARCHITECTURE.md),
// and Prettier owning formatting.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Which scopes a project's source may import: the import directions of ARCHITECTURE.md. */
const depConstraints = [
  { sourceTag: 'scope:storage-contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:oci', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:config', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:token-auth', onlyDependOnLibsWithTags: ['scope:oci'] },
  { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:oci'] },
  { sourceTag: 'scope:projects', onlyDependOnLibsWithTags: ['scope:token-auth', 'scope:oci'] },
  {
    sourceTag: 'scope:registry-api',
    onlyDependOnLibsWithTags: ['scope:engine', 'scope:oci', 'scope:token-auth'],
  },
  { sourceTag: 'scope:storage-testsuite', onlyDependOnLibsWithTags: ['scope:storage-contract'] },
  {
    sourceTag: 'scope:storage-driver',
    onlyDependOnLibsWithTags: ['scope:storage-contract', 'scope:storage-testsuite'],
  },
  { sourceTag: 'scope:engine', onlyDependOnLibsWithTags: ['scope:storage-contract', 'scope:oci'] },
  // Examples use the libraries as a third party would: any of them.
  {
    sourceTag: 'type:example',
    onlyDependOnLibsWithTags: [
      'scope:storage-contract',
      'scope:storage-testsuite',
      'scope:storage-driver',
      'scope:oci',
      'scope:engine',
    ],
  },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
];

/** Tests may also run on the reference drivers, the conformance suite and the test tools. */
const testDepConstraints = depConstraints.map((constraint) =>
  constraint.onlyDependOnLibsWithTags.includes('*')
    ? constraint
    : {
        ...constraint,
        onlyDependOnLibsWithTags: [
          ...constraint.onlyDependOnLibsWithTags,
          'scope:storage-contract',
          'scope:storage-driver',
          'scope:storage-testsuite',
          // Test support: real servers and clients (tools/registry-peers).
          'type:tool',
        ],
      },
);

const moduleBoundaries = (constraints, forTests = false) => [
  'error',
  // Tests may use unbuilt test support (tools/registry-peers), run from source by tsx.
  { enforceBuildableLibDependency: !forTests, allow: [], depConstraints: constraints },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '.nx/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(depConstraints),
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(testDepConstraints, true),
      // chai's `expect(x).to.be.true` is an expression statement by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests cast an error to its class right after asserting instanceOf.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
