/*
 * What an app's bundle takes from crm-topics (issue 17): esbuild bundles and
 * minifies a file that uses compileTopic, openDeal and applyEvent from the
 * built dist/, the way `npx esbuild --bundle --minify --format=esm
 * --platform=neutral` does, and the metafile tells what went in. The sizes
 * are deterministic for a given lockfile, so this is a test, not a bench row.
 */
import { build, type Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The budget the bundle must stay within. The goal is 200 KB; what is
 * left above it is zod's classic API (about 95 KB: every schema carries its
 * JSON Schema processor), xstate (about 50 KB, its CommonJS build under
 * --platform=neutral) and the library's own messages in two languages
 * (the Russian rejection catalogue and the text rules added about 12 KB:
 * 266 KB measured when this budget was set).
 */
const MAX_BUNDLE_BYTES = 280 * 1024;

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
    platform: 'neutral',
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
