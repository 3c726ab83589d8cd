// ESLint for the whole workspace: typescript-eslint's strict type-checked
// rules, Nx module boundaries (the import directions of ARCHITECTURE.md),
// and Prettier owning formatting.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Which scopes may import which; mirrors docs/architecture in ARCHITECTURE.md. */
const depConstraints = [
  { sourceTag: 'scope:storage-contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:storage-testsuite', onlyDependOnLibsWithTags: ['scope:storage-contract'] },
  {
    sourceTag: 'scope:storage-driver',
    onlyDependOnLibsWithTags: ['scope:storage-contract', 'scope:storage-testsuite'],
  },
  {
    sourceTag: 'type:example',
    onlyDependOnLibsWithTags: ['scope:storage-contract', 'scope:storage-testsuite'],
  },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
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
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], depConstraints },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
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
      // chai's `expect(x).to.be.true` is an expression statement by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
