import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is framework-free: no server, database, desktop shell or I/O.
    files: ['main/core/**/*.ts'],
    ignores: ['main/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@hapi/*', 'knex', 'sqlite3', 'electron', 'pino'], message: 'main/core stays framework-free.' },
            { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:dgram', 'node:http'], message: 'main/core does no I/O.' },
          ],
        },
      ],
    },
  },
);
