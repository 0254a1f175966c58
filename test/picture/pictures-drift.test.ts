/* The pictures in docs/pictures/ are generated (scripts/write-pictures.ts): this fails when one is stale. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pictures } from '../../scripts/pictures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/pictures', () => {
  for (const [path, content] of Object.entries(pictures())) {
    it(`${path} matches what scripts/write-pictures.ts draws now (run \`npx tsx scripts/write-pictures.ts\` after a change)`, () => {
      expect(readFileSync(`${root}${path}`, 'utf8') === content, path).toBe(true);
    });
  }
});
