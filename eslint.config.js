import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The import boundaries of DESIGN.md ("Layout"): breaking one is a lint error, not a review comment.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const rendererBoundary = {
  files: ['renderer/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node modules.' })),
          { name: 'electron', message: 'The renderer talks to main only through shared/api.ts.' },
        ],
        patterns: [
          {
            regex: '^(\\.\\./)+(electron|test|scripts)(/|$)',
            message: 'The renderer may import only renderer/ and shared/.',
          },
          { regex: '^electron/', message: 'The renderer may not import Electron.' },
          { regex: '^better-sqlite3', message: 'The renderer has no database of its own.' },
        ],
      },
    ],
  },
};

const engineBoundary = {
  files: ['electron/engine/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'electron/engine runs under plain Node: no Electron imports.' }],
        patterns: [
          { regex: '^electron/', message: 'electron/engine runs under plain Node: no Electron imports.' },
          {
            // Every module of the shell that sits directly in electron/ (the engine's parent folder).
            regex: '^(\\.\\./)+(main|preload|ipc|keychain|engine-host|engine-supervisor|host-server|host-protocol|restart-policy|security|csp|renderer-urls|external-links|shell-status|shell-store|tray-menu|tray-icon|window-state)$',
            message: 'electron/engine may not import the Electron shell (main, preload, ipc, keychain, the engine host and the tray/window modules).',
          },
        ],
      },
    ],
  },
};

const sharedBoundary = {
  files: ['shared/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [...nodeBuiltins, 'electron'].map((name) => ({ name, message: 'shared/ runs on both sides.' })),
        patterns: [{ regex: '^(\\.\\./)+(electron|renderer)(/|$)', message: 'shared/ may not import either side.' }],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  rendererBoundary,
  engineBoundary,
  sharedBoundary,
);
