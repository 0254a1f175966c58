/**
 * Writes the pictures the README shows: `npx tsx scripts/write-pictures.ts`.
 * test/picture/pictures-drift.test.ts regenerates them and fails when a
 * committed picture differs, so the README never shows a stale topic.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pictures } from './pictures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, content] of Object.entries(pictures())) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote ${path}`);
}
