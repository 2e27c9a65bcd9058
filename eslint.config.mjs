import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Each app is its own process: it may import libs (`@jigsaw/*`), never another app, and a lib never imports
 * an app. What two apps share belongs in a lib. `no-restricted-imports` sees only the import's text, so one
 * block per app and folder depth names exactly the relative paths that climb out of the app into another
 * (from `apps/audit/src/x/`, `../../../` is `apps/`). CI runs `npm run lint`, so a crossing fails the build.
 */
function appBoundaries() {
  const apps = readdirSync(new URL('apps/', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const sources = '*.{ts,mts,js,mjs}';
  const blocks = [];
  for (let depth = 0; depth <= 12; depth++) {
    const folders = '*/'.repeat(depth);
    for (const app of apps) {
      const self = `(?!${escape(app)}(?:/|$)|\\.\\.?(?:/|$))`;
      blocks.push({
        files: [`apps/${app}/${folders}${sources}`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  regex: `^(?:\\./)?(?:\\.\\./){${depth + 1}}${self}[^/]+|^(?:\\./)?(?:\\.\\./){${depth + 2},}apps/${self}`,
                  message: `apps/${app} may import libs (@jigsaw/*), never another app: move what both need into a lib.`,
                },
              ],
            },
          ],
        },
      });
    }
    blocks.push({
      files: [`libs/*/${folders}${sources}`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^(?:\\./)?(?:\\.\\./){${depth + 2},}apps(?:/|$)`,
                message: 'A lib never imports an app: apps build on libs, not the other way round.',
              },
            ],
          },
        ],
      },
    });
  }
  return blocks;
}

/**
 * libs/contracts is what every service must know of each event type, so it builds on the envelope alone:
 * sharing, erasure, the view and the agencies all read it. One block per folder depth, as above, names the
 * relative paths that climb out of it.
 */
function contractsBoundary() {
  const message = 'libs/contracts imports only @jigsaw/envelope and @jigsaw/errors.';
  const blocks = [];
  for (let depth = 0; depth <= 6; depth++) {
    blocks.push({
      files: [`libs/contracts/${'*/'.repeat(depth)}*.{ts,mts,js,mjs}`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { regex: '^@jigsaw/(?!envelope$|errors$)', message },
              { regex: `^(?:\\./)?(?:\\.\\./){${depth + 1},}`, message },
            ],
          },
        ],
      },
    });
  }
  return blocks;
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'test-artifacts/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    files: ['apps/*/console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        document: 'readonly',
        window: 'readonly',
        sessionStorage: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        URL: 'readonly',
        location: 'readonly',
        history: 'readonly',
        BroadcastChannel: 'readonly',
        Node: 'readonly',
        atob: 'readonly',
      },
    },
  },
  ...appBoundaries(),
  ...contractsBoundary(),
);
