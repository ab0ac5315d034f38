// ESLint (flat config): typescript-eslint's type-checked recommended rules over every TypeScript
// source in the repository (build outputs and generated files excluded); `pnpm lint` runs it in CI.
// Layout is Prettier's (.prettierrc.json, `pnpm format`); no eslint-config-prettier is needed because
// none of these rule sets enables a formatting rule (no-unexpected-multiline never fires on code
// Prettier writes with semicolons).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-*/**',
      '**/.tsc/**',
      '**/*.d.ts',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'out/**',
      'tmp/**',
      'scratch/**',
      'reports/**',
      '.gpu/**',
      'docs/api/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Async implementations of Promise-returning interfaces (backends, stores, test fakes) need no await.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a parameter or binding kept for its position or its type.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // `return Promise.reject(e)` passes on whatever a synchronous check threw, unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // jax-js ships types the TypeScript 6 program behind ESLint cannot resolve (tsc 7 can): its
    // values read as error types here, so the unsafe-* rules have nothing real to check.
    files: ['bench/libs/jaxjs.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
