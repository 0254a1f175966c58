/*
 * What an app's bundle takes from crm-topics (issue 17): esbuild bundles and
 * minifies a file that uses compileTopic, openDeal and applyEvent from the
 * built dist/, the way an app's bundler does (`npx esbuild --bundle --minify
 * --format=esm --platform=browser --charset=utf8`), and the metafile tells
 * what went in. The sizes are deterministic for a given lockfile, so this is
 * a test, not a bench row.
 *
 * Why browser and utf8: apps bundle for the browser or node, and both honour
 * the `module` condition that picks xstate's ESM build (38 KB); under
 * --platform=neutral esbuild takes xstate's CommonJS build (50 KB), which no
 * app gets. esbuild alone escapes every non-ASCII character as \uXXXX (6 bytes
 * a Cyrillic letter); Vite and terser write UTF-8 (2 bytes), so the Russian
 * catalogues are counted as they ship in a real app.
 */
import { build, type Metafile } from 'esbuild';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The budget the bundle must stay within. The issue's goal is 200 KB, not met
 * yet: 232 KB measured when this budget was set. What goes in: zod's classic
 * API (about 100 KB, of which 17.5 KB is JSON Schema machinery every classic
 * schema carries, and 7 KB zod's Russian locale), xstate's ESM build (38 KB),
 * the library's own messages in two languages (about 35 KB) and 14 KB of
 * modules the app does not use that dist/'s single chunk keeps because their
 * top-level statements build values (immer's `new Immer()` in edit.ts, the
 * deal schemas of parse-deal.ts, the migrate options schema, the standard
 * topic). Bundled from src/ (module by module) the same file is 218 KB.
 */
const MAX_BUNDLE_BYTES = 240 * 1024;

let bytes = 0;
let text = '';
let inputs: Metafile['outputs'][string]['inputs'] = {};

beforeAll(async () => {
  if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const result = await build({
    stdin: {
      contents: `import { compileTopic, openDeal, applyEvent } from './dist/index.js';\nconsole.log(compileTopic, openDeal, applyEvent);\n`,
      resolveDir: root,
      sourcefile: 'app.js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  bytes = output?.bytes ?? 0;
  text = result.outputFiles[0]?.text ?? '';
  inputs = output?.inputs ?? {};
}, 60_000);

describe('an app bundle of compileTopic, openDeal and applyEvent', () => {
  it(`stays within ${MAX_BUNDLE_BYTES / 1024} KB minified (it was 580 KB)`, () => {
    expect(bytes).toBeGreaterThan(50 * 1024);
    expect(bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it("holds zod's English messages (Russian ones only where the library maps issues) and none of its other locales", () => {
    // zod is bundled into dist/ itself (shaken), so its locales are told apart by their messages.
    // (Booleans, not the text itself: a failure must not print a quarter of a megabyte.)
    expect(text.includes('Invalid input'), "zod's English messages").toBe(true);
    for (const other of ['Ungültige Eingabe', 'Entrée invalide', '无效输入']) expect(text.includes(other), other).toBe(false);
    expect(Object.keys(inputs).filter((file) => /zod\/v4\/locales\/(?!en|ru)/.test(file))).toEqual([]);
  });

  it("holds nothing of the command line's parsers", () => {
    expect(Object.keys(inputs).filter((file) => /node_modules\/(commander|jsonc-parser|tinyglobby)\//.test(file))).toEqual([]);
  });
});

describe('the CommonJS build', () => {
  it('loads one copy of the core for all its entries: testing.cjs and postgres.cjs are small and require the chunks index.cjs requires', () => {
    const chunks = (entry: string) => new Set(readFileSync(`${root}dist/${entry}.cjs`, 'utf8').match(/(?<=require\(['"]\.\/)chunk-[\w-]+\.cjs(?=['"]\))/g) ?? []);
    const core = chunks('index');
    expect(core.size).toBeGreaterThan(0);
    for (const entry of ['testing', 'postgres']) {
      // Each was about 400 KB when it carried its own copy of the core.
      expect(statSync(`${root}dist/${entry}.cjs`).size, entry).toBeLessThan(40 * 1024);
      const shared = chunks(entry);
      expect(shared.size, entry).toBeGreaterThan(0);
      for (const chunk of shared) expect(core.has(chunk), `${entry} → ${chunk}`).toBe(true);
    }
  });
});
