// Lint rules. The one that matters most for the architecture: src/core stays pure (no vscode, no fs, no DOM),
// so that the same engine runs in the extension host, in worker threads, in the CLI and in unit tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnlyModules = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process',
  'worker_threads', 'node:worker_threads', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '.tmp/**', 'media/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Driver scripts the extension runs as plain Node (resources/reward-fn): CommonJS, loaded without a bundler.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'never eval' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core is pure: no vscode (put editor code in src/extension).' },
          ...nodeOnlyModules.map((name) => ({ name, message: 'src/core is pure: no file system or processes (put it in src/node).' })),
        ],
        patterns: [{ group: ['**/node/*', '**/extension/*', '**/cli/*'], message: 'src/core must not depend on outer layers.' }],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'navigator', 'HTMLElement', 'localStorage', 'fetch', 'XMLHttpRequest', 'require', 'process', '__dirname']
          .map((name) => ({ name, message: 'src/core is pure: no DOM, no network, no process globals.' })),
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension imports vscode.' }] }],
    },
  },
);
