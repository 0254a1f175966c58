/*
 * Keeps the guides honest where a machine can check them: every complete
 * topic written in a ```json block of README.md or docs/ (the worked example
 * of docs/topic-format.md and its Russian twin) is a valid topic without
 * warnings, and every relative link of README.md and docs/ points to a file
 * that exists, and to a heading that exists when it names one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { safeParseTopic } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** README.md and the guides in docs/ and docs/ru/ (not the generated reference or API). */
const pages = [
  'README.md',
  ...['docs', 'docs/ru'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `${dir}/${file}`),
  ),
].sort();

const read = (page: string) => readFileSync(join(root, page), 'utf8');
const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
}

function anchors(page: string): Set<string> {
  return new Set([...withoutCode(read(page)).matchAll(/^#+\s+(.*)$/gm)].map((match) => anchor(match[1] ?? '')));
}

describe('the guides', () => {
  it('include the pages the README links to', () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        'docs/README.md',
        'docs/cli.md',
        'docs/concepts.md',
        'docs/editing-and-migration.md',
        'docs/reports-and-simulation.md',
        'docs/ru/topic-format.md',
        'docs/running-deals.md',
        'docs/storing-deals.md',
        'docs/time-limits.md',
        'docs/topic-format.md',
        'docs/xstate.md',
      ]),
    );
  });

  it('write only valid topics in their json blocks', () => {
    const topics = pages.flatMap((page) =>
      [...read(page).matchAll(/```json\n([\s\S]*?)```/g)]
        .map((match) => JSON.parse(match[1] ?? '') as Record<string, unknown>)
        .filter((block) => 'kind' in block)
        .map((topic) => ({ page, topic })),
    );
    expect(topics.map(({ page }) => page)).toEqual(expect.arrayContaining(['docs/topic-format.md', 'docs/ru/topic-format.md']));
    for (const { page, topic } of topics) {
      const result = safeParseTopic(topic);
      expect(result.ok ? result.warnings : result.issues, `${page}: ${String(topic.id)}`).toEqual([]);
    }
  });

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target = ''] of withoutCode(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path = '', hash] = target.split('#');
        const file = path === '' ? page : relative(root, normalize(join(root, dirname(page), path)));
        if (!existsSync(join(root, file))) broken.push(`${page}: ${target} (no file)`);
        else if (hash !== undefined && file.endsWith('.md') && !anchors(file).has(hash)) broken.push(`${page}: ${target} (no heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
