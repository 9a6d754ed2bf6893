// The folders' layers as lint rules (docs/architecture.md, "What may import what"), over the
// TypeScript, the plain modules and the Svelte components alike, with typescript-eslint's and
// eslint-plugin-svelte's recommended rules on top.
import { builtinModules } from 'node:module';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const code = ['**/*.ts', '**/*.mjs', '**/*.js'];
const sources = [...code, '**/*.svelte'];
const components = ['**/*.svelte', '**/*.svelte.ts'];

// The shared configs leave some blocks without `files`; pinned here, their rules reach only the
// sources they are written for.
const only = (files, configs) => configs.map((c) => (c.files ? c : { ...c, files }));

// A forbidden import is a regular expression over the module specifier. It is checked twice: on
// `import`/`export ... from` (no-restricted-imports) and on `import('...')` with a literal, which
// no-restricted-imports does not see. An esquery regex may not contain a slash, hence \x2F.
const forbid = (regex, message) => ({ regex, message });
const dynamic = ({ regex, message }) => ({
  selector: `ImportExpression > Literal.source[value=/${regex.replaceAll('/', '\\x2F')}/]`,
  message,
});

// ESLint keeps only the last block's options for a rule, so a layer's block restates the rules of
// every layer it sits in rather than relying on an earlier block.
const layer = (files, ...forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.flat() }],
    'no-restricted-syntax': ['error', ...forbidden.flat().map(dynamic)],
  },
});

const engine = [
  forbid('^electron(/|$)', 'app/ is the engine: it never imports Electron.'),
  forbid('(^|/)(main|renderer)/', 'app/ is the engine: it never imports main/ or renderer/.'),
];
const noPipeline = forbid(
  '(^|/)indexing/',
  'Only the engine, hosts and tools open corpora: the store, tokeniser, queries and statistics never import app/indexing/.',
);
/** For a layer of the engine: nothing from the named layers above it, the pipeline's peers or the top (exports, projects, hosts, CLI, engine.ts). */
const below = (self, ...higher) => {
  const all = [...higher, 'export', 'project', 'host', 'cli'];
  return forbid(
    `^\\.\\./(${all.join('|')})/|^\\.\\./engine(\\.js)?$`,
    `app/${self}/ imports only the layers below it: not ${all.map((f) => `${f}/`).join(', ')} or engine.ts.`,
  );
};
const escaped = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const page = [
  forbid('(^|/)app/(?!contract(/|$))', 'The renderer takes only app/contract from app/.'),
  forbid('(^|/)main/', 'The renderer never imports main/.'),
  forbid('^electron(/|$)', 'The renderer never imports Electron: it talks to the shell through window.loupe.'),
  forbid(`^(node:|(${builtinModules.map(escaped).join('|')})$)`, 'The renderer runs in the page: it never imports a Node module.'),
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/out/**', 'test-results/**', 'test/artifacts/**'] },
  {
    files: sources,
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    rules: { 'no-debugger': 'error', 'no-dupe-keys': 'error', 'no-unreachable': 'error', 'no-self-assign': 'error' },
  },
  ...only(sources, tseslint.configs.recommended),
  ...only(components, svelte.configs.recommended),
  {
    files: sources,
    rules: {
      // Leaving a field out by destructuring the rest, and `_` for a value an `{#each}` must name
      // but does not read, are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_$' }],
    },
  },
  {
    files: components,
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // The page builds a fresh Map or Set and assigns it (copy on write into $state.raw), or keeps
      // one off the reactive graph on purpose; a SvelteMap would track reads nothing depends on.
      'svelte/prefer-svelte-reactivity': 'off',
      // A string in braces is how a template keeps a space at the edge of a block, which Svelte
      // would otherwise trim; the rule reports those too.
      'svelte/no-useless-mustaches': 'off',
    },
  },

  // The engine runs on Node alone: no Electron, nothing of the desktop shell or the page.
  layer(['app/**/*.ts', 'app/**/*.mjs'], engine),
  {
    files: ['app/**/*.ts', 'app/**/*.mjs'],
    rules: {
      // tsconfig.json has no DOM library, so a DOM API already fails the type check; these are the
      // globals a cast would let through. A local variable of the same name is not a global.
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage'].map((name) => ({
          name,
          message: 'app/ is the engine: it uses no DOM.',
        })),
      ],
    },
  },
  // The contract is the bottom layer: every other part depends on it, it depends on none of them.
  layer(['app/contract/**/*.ts'], engine, forbid('^\\.\\.(/|$)', 'app/contract/ imports nothing from the rest of app/.')),
  // Shared structures sit below the tokeniser and the index: they import nothing else of the engine.
  layer(
    ['app/structures/**/*.ts'],
    engine,
    forbid('^\\.\\./(?!contract(/|$))', 'app/structures/ sits below the rest of app/: it takes only the contract.'),
  ),
  // The store and its file format know nothing of how a store is made: the pipeline imports the store, not the reverse.
  // The engine's layers, lowest first (docs/architecture.md): each imports only from those below it.
  layer(['app/text/**/*.ts'], engine, noPipeline, below('text', 'corpus', 'index', 'query', 'stats')),
  layer(['app/corpus/**/*.ts'], engine, noPipeline, below('corpus', 'index', 'query', 'stats')),
  layer(['app/index/**/*.ts'], engine, noPipeline, below('index', 'query', 'stats')),
  layer(['app/query/**/*.ts'], engine, noPipeline, below('query', 'stats')),
  layer(['app/stats/**/*.ts'], engine, noPipeline, below('stats')),
  // The page talks to the engine only through the contract. (renderer/vite.config.ts is not the
  // page: it runs in Node at build time.)
  layer(['renderer/src/**/*.ts', 'renderer/src/**/*.svelte'], page),
  // Nothing imports the page.
  layer(
    ['main/**/*.ts', 'main/**/*.mjs', 'test/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mjs', 'scripts/**/*.ts', 'scripts/**/*.mjs'],
    forbid('(^|/)renderer/src(/|$)', 'Nothing imports the renderer.'),
  ),
];
