// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// PURE folders: no filesystem, processes or sockets; no clock either (time comes in as an argument).
const pureGlobs = [
  'packages/manifest/src/**',
  'packages/protocol/src/**',
  'packages/render-kubernetes/src/**',
  'packages/daemon/src/supervisor/pure/**',
  'packages/daemon/src/scheduler/pure/**',
  'packages/daemon/src/accounting/pure/**',
  'packages/daemon/src/apps/pure/**',
];
const impure = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'dgram',
  'tls',
  'cluster',
].flatMap((m) => [`node:${m}`, m]);

// Deep imports bypass a package's API; the subpaths its exports map declares on purpose are the exceptions
// (`names`: the manifest's dependency-free constants the daemon needs without zod; `bundle`: the daemon as one file;
// `routes`: the protocol's full route declarations with their zod schemas, kept off the CLI's start path;
// `testing`: the SDK's helpers for users' handler tests).
const DEEP_IMPORTS = [
  '@nightshift/*/*',
  '!@nightshift/manifest/names',
  '!@nightshift/daemon/bundle',
  '!@nightshift/protocol/routes',
  '!@nightshift/worker/testing',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/*.mjs', '**/*.js', 'examples/**', 'vitest.config.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: DEEP_IMPORTS,
              message: 'Import a package through its index or a subpath its exports map declares.',
            },
          ],
        },
      ],
    },
  },
  {
    files: pureGlobs,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impure.map((name) => ({ name, message: 'PURE code: pass effects in from the shell.' })),
          patterns: [
            {
              group: DEEP_IMPORTS,
              message: 'Import a package through its index or a subpath its exports map declares.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'PURE code: take `now`.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'PURE code: take `now`.',
        },
      ],
    },
  },
  {
    files: ['packages/*/test/**', 'tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
