// `npm run lint` (part of `npm test`): Next's own rules (React, hooks, accessibility, Core Web Vitals,
// typescript-eslint) and drizzle's guard against a delete or update without a where clause.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

// The names our code gives a drizzle database or transaction handle.
const drizzleObjectName = ['db', 'tx', 'database'];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // `_`-prefixed names and `{ omitted: _, ...rest }` say "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    plugins: { drizzle },
    rules: {
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName }],
    },
  },
  globalIgnores(['.next/**', '.next-*/**', 'dist/**', '.data/**', 'node_modules/**', 'next-env.d.ts', 'drizzle/**']),
]);
