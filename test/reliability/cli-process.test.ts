import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The built command line as a process (issue 17): a reader that closes the
 * pipe early, FORCE_COLOR and NO_COLOR, unknown commands, and which modules
 * each command loads (a resolve hook lists them).
 */

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let dir = '';

function crmTopics(args: readonly string[], env: Record<string, string | undefined> = {}, nodeArgs: readonly string[] = []) {
  const result = spawnSync(process.execPath, [...nodeArgs, cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A topic of `count` stages in a chain: its diagram is far more than a pipe holds (64 KB). */
function chain(count: number) {
  return {
    id: 'chain',
    name: 'Chain',
    kind: 'sales',
    stages: Array.from({ length: count }, (_, index) => ({
      id: `s${index}`,
      name: `Stage number ${index} of a long chain of stages`,
      outcomes: [index === count - 1 ? { id: 'won', name: 'Won', finish: 'positive' } : { id: `next${index}`, name: `On to stage ${index + 1}`, to: `s${index + 1}` }],
    })),
  };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-process-'));
  writeFileSync(join(dir, 'chain.json'), JSON.stringify(chain(1000)));
  const broken = JSON.stringify({ ...chain(2), stages: [{ id: 'a', name: 'A', outcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] }] });
  writeFileSync(join(dir, 'broken.json'), broken);
  mkdirSync(join(dir, 'many'));
  for (let index = 0; index < 500; index++) writeFileSync(join(dir, 'many', `broken-${index}.json`), broken);
  writeFileSync(join(dir, 'hooks.mjs'), `import { writeSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  writeSync(2, 'loaded ' + result.url + '\\n');\n  return result;\n}\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('a reader that closes the pipe early', () => {
  it.each([
    ['diagram', ['diagram', 'chain.json']],
    ['validate --format json', ['validate', '--format', 'json', 'many']],
  ])('ends %s quietly: no EPIPE stack trace, the exit code its own', (_name, args) => {
    expect(crmTopics(args).stdout.length).toBeGreaterThan(80 * 1024);
    const quoted = args.map((arg) => `'${arg}'`).join(' ');
    const result = spawnSync('bash', ['-c', `'${process.execPath}' '${cli}' ${quoted} | head -c 100 > /dev/null; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(result.stderr.trim()).toBe(args[0] === 'diagram' ? 'exit 0' : 'exit 1');
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours output into a pipe; FORCE_COLOR=0, NO_COLOR and a pipe alone do not', () => {
    expect(crmTopics(['validate', 'broken.json'], { FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(crmTopics(['validate', 'broken.json'], { FORCE_COLOR: '' }).stdout).toContain('\u001b[');
    expect(crmTopics(['validate', 'broken.json'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).toContain('\u001b[');
    for (const env of [{}, { FORCE_COLOR: '0' }, { FORCE_COLOR: 'false' }, { NO_COLOR: '1' }]) {
      expect(crmTopics(['validate', 'broken.json'], env).stdout, JSON.stringify(env)).not.toContain('\u001b[');
    }
  });
});

describe('an unknown command', () => {
  it.each([[['nosuch']], [['nosuch', '--help']], [['nosuch', 'validate']], [['help', 'nosuch']]])('%j: one line "unknown command" and exit 2', (args) => {
    expect(crmTopics(args)).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'nosuch' (see crm-topics --help)\n" });
  });

  it('leaves the real commands and help alone', () => {
    expect(crmTopics(['help', 'validate'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: crm-topics validate') });
    expect(crmTopics(['validate', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--format <format>') });
  });
});

describe('what each command loads', () => {
  const loaded = (args: readonly string[]) => {
    const result = crmTopics(args, {}, ['--import', './register.mjs']);
    return result.stderr.split('\n').filter((line) => line.startsWith('loaded ')).map((line) => line.slice('loaded '.length));
  };

  it('--version loads neither commander nor any command, zod or xstate', () => {
    const modules = loaded(['--version']);
    expect(modules.some((url) => url.endsWith('/dist/cli.js'))).toBe(true);
    expect(modules.filter((url) => /node_modules\/(commander|zod|xstate|jsonc-parser|tinyglobby)\/|cli-chunks\/(validate|diagram|simulate|diff|json-schema)-/.test(url))).toEqual([]);
  });

  it('--help loads commander but no command', () => {
    const modules = loaded(['--help']);
    expect(modules.some((url) => url.includes('node_modules/commander/'))).toBe(true);
    expect(modules.filter((url) => /cli-chunks\/(validate|diagram|simulate|diff|json-schema)-|node_modules\/(zod|xstate)\//.test(url))).toEqual([]);
  });

  it('validate loads its own module, not the others', () => {
    const modules = loaded(['validate', 'broken.json']);
    expect(modules.some((url) => /cli-chunks\/validate-/.test(url))).toBe(true);
    expect(modules.filter((url) => /cli-chunks\/(diagram|simulate|diff|json-schema)-/.test(url))).toEqual([]);
  });
});
