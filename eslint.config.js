// Lint, and the architecture's import boundaries: a wrong import fails the build, so the layering stays true.
//   src-shared      plain TypeScript: no node, electron, react, nor any other layer
//   src-main/core   the domain: no electron, no renderer, no server or shell
//   src-main/**     only src-main/electron (and the preload) import electron
//   src-renderer    never imports src-main, node built-ins or electron
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'util',
  'zlib',
  'worker_threads',
  'events',
  'buffer',
  'process',
];

// A regex, not a glob: the glob `electron/*` would also match a relative `./electron/app`.
const electron = {
  regex: '^electron(/.*)?$',
  message: 'Only src-main/electron and the preload may import electron.',
};
const renderer = {
  group: ['**/src-renderer/**'],
  message: 'The engine never imports the renderer; talk through src-shared/contract.',
};
const mainFromRenderer = {
  group: ['**/src-main/**'],
  message: 'The renderer talks to the engine only through src-shared (the contract).',
};
const nodeFromShared = { group: NODE_BUILTINS, message: 'src-shared is plain TypeScript: no Node built-ins.' };
const react = { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to the renderer.' };
const upward = {
  group: ['**/server/**', '**/cli/**', '**/electron/**', '**/preload/**'],
  message: 'src-main/core is the domain: adapters import it, never the other way.',
};
const sharedUpward = { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports no other layer.' };

export const boundaryRules = {
  shared: { 'no-restricted-imports': ['error', { patterns: [nodeFromShared, electron, react, sharedUpward] }] },
  core: { 'no-restricted-imports': ['error', { patterns: [electron, renderer, react, upward] }] },
  main: { 'no-restricted-imports': ['error', { patterns: [electron, renderer, react] }] },
  electronLayer: { 'no-restricted-imports': ['error', { patterns: [renderer, react] }] },
  renderer: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          mainFromRenderer,
          electron,
          { group: NODE_BUILTINS, message: 'The renderer runs in a browser sandbox: no Node built-ins.' },
        ],
      },
    ],
  },
};

const rendererOutsideBridge = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...boundaryRules.renderer['no-restricted-imports'][1].patterns,
        {
          group: ['**/src-shared/contract', '**/src-shared/contract/*', '**/src-shared/client'],
          message: 'Only src-renderer/bridge reads the contract; import from the bridge.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      '.bench/**',
      'docs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  { files: ['src-shared/**/*.ts'], rules: boundaryRules.shared },
  { files: ['src-main/**/*.ts'], rules: boundaryRules.main },
  { files: ['src-main/core/**/*.ts'], rules: boundaryRules.core },
  { files: ['src-main/electron/**/*.ts', 'src-main/preload/**/*.ts'], rules: boundaryRules.electronLayer },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: boundaryRules.renderer,
  },
  {
    // The bridge is the renderer's one reader of the contract: views and stores go through it.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/bridge/**', 'src-renderer/**/*.test.{ts,tsx}', 'src-renderer/env.d.ts'],
    rules: rendererOutsideBridge,
  },
);
