/*
 * Layers one way (DESIGN.md; issue 13): `npm run check:graph` runs
 * dependency-cruiser over src/ with .dependency-cruiser.mjs. These tests run
 * that same command on small trees to show it fails on what it forbids (a
 * type-only cycle, the core reaching the command line or a Node built-in),
 * and on src/ to show it passes today with every import followed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const depcruise = resolve(root, 'node_modules/.bin/depcruise');
const scratch = mkdtempSync(join(tmpdir(), 'crm-topics-graph-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Summary {
  readonly violations: readonly { readonly rule: { readonly name: string } }[];
  readonly totalCruised: number;
  readonly totalDependenciesCruised: number;
}

/** What the project's check reports for src/ in a folder. */
function check(cwd: string): { status: number | null; summary: Summary } {
  // The JSON reporter exits 0 even with violations; the summary says what was found.
  const run = spawnSync(depcruise, ['src', '--config', join(root, '.dependency-cruiser.mjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, summary: (JSON.parse(run.stdout) as { summary: Summary }).summary };
}

/** The rules a tree of files breaks (paths relative to a fresh folder with the project's tsconfig). */
function broken(files: Record<string, string>): string[] {
  const base = mkdtempSync(join(scratch, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(base, path, '..'), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  writeFileSync(join(base, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }));
  copyFileSync(join(root, 'tsconfig.src.json'), join(base, 'tsconfig.src.json'));
  const { summary } = check(base);
  expect(summary.totalDependenciesCruised).toBeGreaterThan(0);
  return summary.violations.map((violation) => violation.rule.name);
}

describe('the import graph check', () => {
  it('passes on src/, with every import followed', () => {
    const { status, summary } = check(root);
    expect(summary.totalCruised).toBeGreaterThan(50);
    expect(summary.totalDependenciesCruised).toBeGreaterThan(200);
    expect(summary.violations).toEqual([]);
    expect(status).toBe(0);
  });

  it('refuses a cycle made of type-only imports', () => {
    const found = broken({
      'src/a/topic.ts': "import type { Deal } from '../b/deal.js';\nexport interface Topic { readonly deal: Deal }\n",
      'src/b/deal.ts': "import type { Topic } from '../a/topic.js';\nexport interface Deal { readonly topic: Topic }\n",
    });
    expect(found).toContain('no-cycles');
  });

  it('refuses the core importing the command line or a Node built-in', () => {
    const found = broken({
      'src/deal/apply.ts': "import { run } from '../cli/main.js';\nimport { readFileSync } from 'node:fs';\nexport const apply = () => [run, readFileSync];\n",
      'src/cli/main.ts': 'export const run = 1;\n',
    });
    expect(found).toEqual(expect.arrayContaining(['core-without-cli', 'core-without-node']));
  });

  it('keeps src/util at the bottom', () => {
    const found = broken({
      'src/util/helper.ts': "import { topic } from '../definition/topic.js';\nexport const helper = topic;\n",
      'src/definition/topic.ts': 'export const topic = 1;\n',
    });
    expect(found).toContain('util-at-the-bottom');
  });
});
