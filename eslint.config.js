// The folders' layers as lint rules (docs/architecture.md, "What may import what"): each block
// names what the files of one layer may not import. Svelte components are checked by
// test/architecture.test.ts, which reads their script blocks.
import tseslint from 'typescript-eslint';

const restrict = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/out/**', 'test-results/**', 'test/artifacts/**'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    // Known to the linter so that comments naming its rules are understood.
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-debugger': 'error', 'no-dupe-keys': 'error', 'no-unreachable': 'error', 'no-self-assign': 'error' },
  },
  // The engine runs on Node alone: no Electron, nothing of the desktop shell or the page.
  restrict(
    ['app/**/*.ts', 'app/**/*.mjs'],
    [{ group: ['**/main/*', '**/renderer/*', 'electron/*'], message: 'app/ is the engine: it never imports main/, renderer/ or Electron.' }],
    [{ name: 'electron', message: 'app/ is the engine: it never imports Electron.' }],
  ),
  // The contract is the bottom layer: every other part depends on it, it depends on none of them.
  restrict(['app/contract/**/*.ts'], [{ group: ['../*'], message: 'app/contract/ imports nothing from the rest of app/.' }]),
  // Shared structures sit below the tokeniser and the index: they import nothing else of the engine.
  restrict(['app/structures/**/*.ts'], [{ group: ['../*', '!../contract', '!../contract/*'], message: 'app/structures/ sits below the rest of app/: it takes only the contract.' }]),
  // The store and its file format know nothing of how a store is made: the pipeline imports the store, not the reverse.
  restrict(
    ['app/index/**/*.ts', 'app/text/**/*.ts', 'app/query/**/*.ts', 'app/stats/**/*.ts', 'app/corpus/**/*.ts'],
    [{ group: ['**/indexing/*'], message: 'Only the engine, hosts and tools open corpora: the store, tokeniser, queries and statistics never import app/indexing/.' }],
  ),
  // The page talks to the engine only through the contract.
  restrict(
    ['renderer/**/*.ts'],
    [
      { group: ['**/app/*', '!**/app/contract', '!**/app/contract/*'], message: 'The renderer takes only app/contract from app/.' },
      { group: ['**/main/*'], message: 'The renderer never imports main/.' },
    ],
    [{ name: 'electron', message: 'The renderer never imports Electron: it talks to the shell through window.loupe.' }],
  ),
  // Nothing imports the page.
  restrict(['main/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'], [{ group: ['**/renderer/src/*', '**/renderer/src/**'], message: 'Nothing imports the renderer.' }]),
];
