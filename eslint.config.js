// ESLint (flat config): typescript-eslint's type-checked recommended rules over every TypeScript
// source in the repository (build outputs and generated files excluded); `pnpm lint` runs it in CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/dist/**', '**/dist-*/**', '**/.tsc/**', '**/*.d.ts', '**/*.js', '**/*.mjs', '**/*.cjs',
      'out/**', 'tmp/**', 'scratch/**', 'reports/**', '.gpu/**', 'docs/api/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
);
