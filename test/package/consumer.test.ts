/*
 * The published package, seen from a consumer: `npm pack` the built `dist/`
 * (without rebuilding: other suites may be reading it), unpack the tarball
 * into a throwaway project under `.tmp/`, and use it the ways users do —
 * `import` from ESM, `require` from CJS, type-check against the shipped
 * declarations (node16 ESM and CJS, bundler), resolve the JSON Schema subpath
 * and run the README's example. The throwaway project sits inside the
 * repository so that Node finds zod, xstate and immer in the
 * repository's node_modules: no network is needed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT = 45_000;
const BUILT = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.js', 'dist/testing.cjs', 'dist/testing.d.ts', 'dist/testing.d.cts', 'dist/cli.js'];
/** Marks the README code block this suite runs, so the documented example cannot rot. */
const README_EXAMPLE_MARKER = '<!-- test/package/consumer.test.ts runs this example -->';

let project = '';

/** Runs a command (killed after TIMEOUT); resolves with its stdout, rejects with its output when it does not exit with 0. */
function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      timeout: TIMEOUT,
      // `npm.cmd` on Windows needs a shell; everything else runs directly.
      shell: process.platform === 'win32' && command === 'npm',
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`\`${[command, ...args].join(' ')}\` exited with ${String(code ?? signal)}:\n${stdout}${stderr}`));
    });
  });
}

/** npm itself: the one that runs this test when there is one, else the one on the PATH. */
function npm(args: readonly string[], cwd: string): Promise<string> {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /\.[cm]?js$/.test(cli) ? run(process.execPath, [cli, ...args], cwd) : run('npm', args, cwd);
}

const node = (args: readonly string[]): Promise<string> => run(process.execPath, args, project);

/** Type-checks a consumer project; resolves with the files tsc read (`--listFiles`), or rejects with its errors only. */
async function tsc(config: string): Promise<string> {
  try {
    return await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config, '--listFiles'], project);
  } catch (error) {
    const listed = /^(?:[A-Za-z]:)?[\\/].*\.(?:[cm]?ts|json)$/;
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(text.split('\n').filter((line) => !listed.test(line)).join('\n'), { cause: error });
  }
}

const write = (file: string, text: string): void => writeFileSync(join(project, file), text);

/** The first ```ts block after the marker in README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(README_EXAMPLE_MARKER);
  if (at < 0) throw new Error(`README.md has no ${README_EXAMPLE_MARKER} line before its example`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (block?.[1] === undefined) throw new Error('README.md has no ```ts block after the example marker');
  return block[1];
}

beforeAll(async () => {
  const missing = BUILT.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    throw new Error(
      `The package is not built (missing ${missing.join(', ')}). Run \`npm run build\` first; \`npm test\` builds before it runs vitest.`,
    );
  }
  mkdirSync(join(root, '.tmp'), { recursive: true });
  project = realpathSync(mkdtempSync(join(root, '.tmp', 'consumer-')));

  // --ignore-scripts: pack what is built, never rebuild (prepack) under other suites' feet.
  const [packed] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', project], root)) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  const unpacked = join(project, 'node_modules', 'crm-topics');
  mkdirSync(unpacked, { recursive: true });
  await run('tar', ['-xzf', join(project, packed.filename), '-C', unpacked, '--strip-components=1'], project);

  write('package.json', `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
}, 60_000);

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe('the packed crm-topics, used by a consumer project', () => {
  it('ships dist, the JSON Schema and the README, and nothing from src or test', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/crm-topics/package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('crm-topics');
    for (const file of [...BUILT, 'schema/topic.schema.json', 'README.md', 'LICENSE']) {
      expect(existsSync(join(project, 'node_modules/crm-topics', file)), `${file} is not in the tarball`).toBe(true);
    }
    expect(existsSync(join(project, 'node_modules/crm-topics/src'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/crm-topics/test'))).toBe(false);
  });

  it('works from ESM with import', async () => {
    write(
      'esm.mjs',
      `import assert from 'node:assert/strict';
import { parseTopic, safeParseTopic, standardTopic, TopicValidationError } from 'crm-topics';

const topic = parseTopic(standardTopic);
assert.deepEqual(topic.stages.map((stage) => stage.id), standardTopic.stages.map((stage) => stage.id));
assert.equal(topic.kind, 'sales');
assert.equal(safeParseTopic({ kind: 'sales' }).ok, false);
assert.throws(() => parseTopic({ kind: 'sales' }), TopicValidationError);
assert.match(import.meta.resolve('crm-topics'), /node_modules\\/crm-topics\\/dist\\/index\\.js$/);
const { compileTopic, openDeal, applyEvent } = await import('crm-topics');
const compiled = compileTopic(standardTopic);
const opened = openDeal(compiled, { id: 'd', clientId: 'c', ownerId: 'u', at: 0 });
assert.equal(applyEvent(compiled, opened.deal, { type: 'recordOutcome', outcomeId: 'qualified', at: 1, actor: { id: 'u' } }).deal.stageId, 'acquaintance');
const { assertValidTopic, topicRoutes } = await import('crm-topics/testing');
assert.equal(assertValidTopic(standardTopic).id, 'standard');
assert.equal(topicRoutes(standardTopic).length, 7);
console.log('esm ok');
`,
    );
    expect((await node(['esm.mjs'])).trim()).toBe('esm ok');
  });

  it('works from CommonJS with require', async () => {
    write(
      'cjs.cjs',
      `const assert = require('node:assert/strict');
const { parseTopic, safeParseTopic, standardTopic, TopicValidationError } = require('crm-topics');

const topic = parseTopic(standardTopic);
assert.deepEqual(topic.stages.map((stage) => stage.id), standardTopic.stages.map((stage) => stage.id));
assert.equal(topic.kind, 'sales');
assert.equal(safeParseTopic({ kind: 'sales' }).ok, false);
assert.throws(() => parseTopic({ kind: 'sales' }), TopicValidationError);
assert.match(require.resolve('crm-topics'), /node_modules[\\\\/]crm-topics[\\\\/]dist[\\\\/]index\\.cjs$/);
const { assertValidTopic, topicPaths } = require('crm-topics/testing');
assert.throws(() => assertValidTopic({ kind: 'sales' }), /is not valid/);
// Under CommonJS the two entries are separate bundles: a topic one compiles must pass the other.
const { compileTopic } = require('crm-topics');
assert.ok(topicPaths(compileTopic(standardTopic)).length > 0);
console.log('cjs ok');
`,
    );
    expect((await node(['cjs.cjs'])).trim()).toBe('cjs ok');
  });

  it('takes a topic compiled by the CommonJS build in the ESM build (one brand for every copy)', async () => {
    write(
      'dual.mjs',
      `import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openDeal, standardTopic } from 'crm-topics';
const { compileTopic } = createRequire(import.meta.url)('crm-topics');
const opened = openDeal(compileTopic(standardTopic), { id: 'd', clientId: 'c', ownerId: 'u', at: Date.UTC(2026, 0, 12, 9) });
assert.equal(opened.ok, true);
console.log('dual ok');
`,
    );
    expect((await node(['dual.mjs'])).trim()).toBe('dual ok');
  });

  it('resolves crm-topics/topic.schema.json to the shipped JSON Schema', async () => {
    write(
      'schema.cjs',
      `const path = require.resolve('crm-topics/topic.schema.json');
const schema = require('crm-topics/topic.schema.json');
console.log(JSON.stringify({ path, $schema: schema.$schema }));
`,
    );
    const { path, $schema } = JSON.parse(await node(['schema.cjs'])) as { path: string; $schema: string };
    expect(path).toBe(join(project, 'node_modules/crm-topics/schema/topic.schema.json'));
    expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  // tsc is the slow part: these run at the same time, each on its own files.
  describe.concurrent('type-checked against the shipped declarations', () => {
    // The same source as ESM (.ts in a "type": "module" project) and as CommonJS (.cts).
    const source = `import { parseTopic, safeParseTopic, standardTopic, type TopicDefinition, type TopicIssue } from 'crm-topics';

export const topic: TopicDefinition = parseTopic(standardTopic);
export const firstStage: string | undefined = standardTopic.stages[0]?.id;
const result = safeParseTopic({ kind: 'sales' }, { locale: 'ru' });
export const issues: readonly TopicIssue[] = result.ok ? [] : result.issues;
export const severities: ('error' | 'warning')[] = issues.map((issue) => issue.severity);

// Proof that the types are real (not \`any\`): this line must not compile.
// @ts-expect-error a topic's kind is 'sales' | 'audit' | 'service', never a number
export const kind: number = topic.kind;
`;
    // skipLibCheck stays on for speed (zod's own declarations are large) except in the first flavour,
    // which checks the shipped .d.ts files themselves; the @ts-expect-error line catches types that decay to \`any\`.
    const compilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', types: [] as string[] };

    it('under moduleResolution node16, as ESM (the import branch, index.d.ts)', async ({ expect }) => {
      write('types-esm.ts', source);
      write(
        'tsconfig.node16-esm.json',
        JSON.stringify({ compilerOptions: { ...compilerOptions, skipLibCheck: false, module: 'node16', moduleResolution: 'node16' }, files: ['types-esm.ts'] }),
      );
      expect(await tsc('tsconfig.node16-esm.json')).toMatch(/node_modules\/crm-topics\/dist\/index\.d\.ts$/m);
    });

    it('under moduleResolution node16, as CommonJS (the require branch, index.d.cts)', async ({ expect }) => {
      write('types-cjs.cts', source);
      write(
        'tsconfig.node16-cjs.json',
        JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' }, files: ['types-cjs.cts'] }),
      );
      expect(await tsc('tsconfig.node16-cjs.json')).toMatch(/node_modules\/crm-topics\/dist\/index\.d\.cts$/m);
    });

    it('under moduleResolution bundler, with the JSON Schema subpath', async ({ expect }) => {
      write('types-bundler.ts', `${source}\nimport schema from 'crm-topics/topic.schema.json';\nexport const draft: string = schema.$schema;\n`);
      write(
        'tsconfig.bundler.json',
        JSON.stringify({
          compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler', resolveJsonModule: true },
          files: ['types-bundler.ts'],
        }),
      );
      expect(await tsc('tsconfig.bundler.json')).toMatch(/node_modules\/crm-topics\/schema\/topic\.schema\.json$/m);
    });

    it('fails when a line is wrong (the check is not vacuous)', async ({ expect }) => {
      write('types-wrong.ts', source.replace('// @ts-expect-error', '//'));
      write(
        'tsconfig.wrong.json',
        JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' }, files: ['types-wrong.ts'] }),
      );
      await expect(tsc('tsconfig.wrong.json')).rejects.toThrow(/TS2322/);
    });

    it("type-checks and runs the README's example", async ({ expect }) => {
      write('readme-example.ts', readmeExample());
      write(
        'tsconfig.readme.json',
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', types: ['node'], module: 'node16', moduleResolution: 'node16' },
          files: ['readme-example.ts'],
        }),
      );
      await tsc('tsconfig.readme.json');
      expect(await node(['--import', 'tsx', 'readme-example.ts'])).toContain('unknown_stage');
    });
  });
});
