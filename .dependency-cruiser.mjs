/**
 * The import graph of src/ (`npm run check:graph`, part of `npm test`):
 * no cycles, type-only imports included, and the layers one way.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Layers depend one way: no module reaches itself again, not even through a type-only import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-without-cli',
      comment: 'The library never imports the command line or its dependencies: an app that bundles it gets neither.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: ['^src/cli/', 'node_modules/(commander|jsonc-parser|tinyglobby)/'] },
    },
    {
      name: 'core-without-store-or-browser',
      comment: 'Database and browser code never enters the core import graph (a store has its own entry point).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/postgres/' },
      to: { path: 'node_modules/(pg|@electric-sql/pglite|playwright-core)/' },
    },
    {
      name: 'util-at-the-bottom',
      comment: 'src/util holds small helpers that know nothing of topics, deals or time.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/(?!util/)' },
    },
    {
      name: 'core-without-node',
      comment: 'The library runs in browsers and edge runtimes too: only the command line and the test helpers (crm-topics/testing) use Node built-ins.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|postgres|testing)/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.src.json' },
    moduleSystems: ['es6'],
  },
};
