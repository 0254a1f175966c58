import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig([
  {
    // The library: ESM and CommonJS, each with its own type declarations.
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', postgres: 'src/postgres/index.ts' },
    format: ['esm', 'cjs'],
    // Shared code in chunks in both formats (esbuild splits ESM; tsup adds it for CommonJS), so that the three
    // entries load one copy of the core: one compiled-topic brand, one catalogue, and no 400 KB per entry.
    splitting: true,
    dts: true,
    sourcemap: true,
    // Each build cleans only its own files: the two run side by side in dist/.
    clean: ['**/*', '!cli.*', '!cli-chunks/**'],
    target: 'node20',
    treeshake: true,
    // zod and immer are bundled, shaken to what the library uses: importing zod whole loads its 64
    // locales and ~150 modules at start-up. Their types stay imports of the packages (dependencies).
    // xstate stays external: it is a peer dependency, and the machines handed out must be the app's.
    noExternal: ['zod', 'immer'],
  },
  {
    // The command line: an ESM entry with its shebang, no declarations. Each command's module is a
    // chunk of its own under dist/cli-chunks/, imported only when that command runs.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    splitting: true,
    esbuildOptions(options) {
      options.chunkNames = 'cli-chunks/[name]-[hash]';
    },
    sourcemap: true,
    clean: ['cli.*', 'cli-chunks/**'],
    // As in the library: zod and immer inside, shaken; commander, jsonc-parser and tinyglobby from node_modules.
    noExternal: ['zod', 'immer'],
    target: 'node20',
    define: { __VERSION__: JSON.stringify(version) },
  },
]);
