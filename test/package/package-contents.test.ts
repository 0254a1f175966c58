/*
 * What `npm pack` would publish (issue 17): `npm pack --dry-run --json`
 * lists the files, which must hold the build, the schema and the guides and
 * nothing of the sources, tests or benchmarks; the manifest carries its
 * metadata; the shipped guides link only to what ships (or by URL).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REPOSITORY = 'https://github.com/crm-topics/crm-topics';
let files: string[] = [];

interface Manifest {
  readonly [key: string]: unknown;
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly keywords: string[];
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

beforeAll(() => {
  // --ignore-scripts: list what is built, never rebuild (prepack) under other suites' feet.
  const cli = process.env.npm_execpath;
  const [command, args] = cli !== undefined && /\.[cm]?js$/.test(cli) ? [process.execPath, [cli]] : ['npm', []];
  const result = spawnSync(command, [...args, 'pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' && command === 'npm' });
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed: ${result.stderr}`);
  const [packed] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
  files = (packed?.files ?? []).map((file) => file.path);
}, 60_000);

describe('npm pack --dry-run', () => {
  it('holds the build, the schema, the guides, the README and the licence', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'schema/topic.schema.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.js', 'dist/testing.cjs', 'dist/cli.js', 'docs/cli.md', 'docs/ru/cli.md', 'docs/topic-format.md', 'docs/ru/topic-format.md']) {
      expect(files, file).toContain(file);
    }
    // The command line's lazily imported commands.
    expect(files.some((file) => /^dist\/cli-chunks\/validate-[\w-]+\.js$/.test(file))).toBe(true);
  });

  it('holds nothing of the sources, tests, benchmarks, examples or scripts', () => {
    const stray = files.filter((file) => /^(src|test|bench|examples|scripts|coverage|\.tmp|node_modules)\//.test(file) || /\.test\.[cm]?[jt]s$/.test(file) || /^(tsconfig|vitest|tsup|eslint)\b/.test(file));
    expect(stray).toEqual([]);
  });
});

describe('package.json', () => {
  it('names the repository, homepage, issue tracker, author, licence, keywords and engines', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git` });
    expect(manifest.homepage).toBe(`${REPOSITORY}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.author).toEqual(expect.any(String));
    expect(manifest.license).toBe('MIT');
    expect(manifest.keywords).toEqual(expect.arrayContaining(['crm', 'xstate', 'cli']));
    expect(manifest.engines).toEqual({ node: '>=20' });
  });

  it('asks for xstate as a peer, the databases as optional peers, and keeps the command line’s parsers out of the library', () => {
    expect(manifest.peerDependencies).toEqual({ xstate: expect.stringMatching(/^\^5\.\d+\.\d+$/), pg: expect.any(String), '@electric-sql/pglite': expect.any(String) });
    expect(manifest.peerDependenciesMeta).toEqual({ pg: { optional: true }, '@electric-sql/pglite': { optional: true } });
    expect(manifest.dependencies.xstate).toBeUndefined();
    const library = ['dist/index.js', 'dist/index.cjs', 'dist/testing.js', 'dist/testing.cjs'].map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
    const chunks = [...library.matchAll(/from ['"](\.\/chunk-[\w-]+\.js)['"]/g)].map((match) => readFileSync(join(root, 'dist', match[1] ?? ''), 'utf8'));
    const imported = new Set([...[library, ...chunks].join('\n').matchAll(/(?:from |require\()['"]([^'"./][^'"]*)['"]/g)].map((match) => match[1]).filter((name) => name !== undefined && !builtinModules.includes(name.replace(/^node:/, ''))));
    expect([...imported].sort()).toEqual(['xstate', 'xstate/graph']);
  });
});

describe('the shipped guides', () => {
  it('link only to files that ship, or by URL', () => {
    const broken: string[] = [];
    for (const page of files.filter((file) => file.endsWith('.md'))) {
      const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue;
        const file = normalize(join(dirname(page), target.split('#')[0] ?? '')).replaceAll('\\', '/');
        if (!files.includes(file)) broken.push(`${page}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
