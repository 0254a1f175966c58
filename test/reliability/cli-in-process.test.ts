import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardTopic } from '../../src/index.js';
import { painter, processIo, type CliIo } from '../../src/cli/io.js';
import { positiveInteger, run } from '../../src/cli/main.js';

/*
 * The command line run in this process through `run(args, io)`, with the
 * output captured: the same file corpus as the subprocess tests, where the
 * coverage of src/cli can be measured, plus what a subprocess cannot reach
 * (colour, a failing stdout, the version read from package.json).
 */

let dir = '';
const write = (name: string, content: string | Buffer) => writeFileSync(join(dir, name), content);
const standardJson = JSON.stringify(standardTopic);

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], options: { color?: boolean; stdout?: (text: string) => void } = {}): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: options.stdout ?? ((text) => out.push(text)), stderr: (text) => err.push(text), color: options.color ?? false, interactive: false, cwd: dir };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-in-process-'));
  mkdirSync(join(dir, 'topics'));
  write('topics/standard.json', standardJson);
  write('topics/new-clients.json', readFileSync(new URL('../../examples/topics/new-clients.json', import.meta.url)));
  write('broken.json', JSON.stringify({ ...standardTopic, id: 'broken', globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] }));
  write('warning.json', JSON.stringify({ id: 'talks', name: 'Talks', kind: 'sales', stages: [{ id: 'a', name: 'A', outcomes: [{ id: 'b', name: 'B', to: 'b' }] }, { id: 'b', name: 'B' }] }));
  write('audit.json', JSON.stringify({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [{ id: 'ok', name: 'OK', commentRequired: true }] }));
  write('huge.json', `{"id":"huge","name":"${'x'.repeat(10 * 1024 * 1024)}"}`);
  write('deep.json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  write('proto.json', standardJson.replace('{', '{"__proto__":{"polluted":true},'));
  write('constructor-stage.json', standardJson.replaceAll('"new"', '"constructor"'));
  write('empty.json', '');
  write('binary.json', Buffer.from([0x7b, 0x00, 0x01]));
  write('not-json.json', '{ "id": ');
  write('bom.json', `\uFEFF${standardJson}`);
  symlinkSync('loop.json', join(dir, 'loop.json'));
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('crm-topics in process', () => {
  it('validates globs, prints JSON, honours --strict and speaks Russian', async () => {
    const valid = await cli(['validate', 'topics/*.json']);
    expect(valid).toMatchObject({ code: 0, stderr: '' });
    expect(valid.stdout).toContain('2 valid');
    const broken = await cli(['validate', '--json', 'broken.json', 'warning.json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, files: [{ file: 'broken.json', valid: false }, { file: 'warning.json', valid: true }] });
    expect((await cli(['validate', 'warning.json'])).code).toBe(0);
    const strict = await cli(['validate', '--strict', 'warning.json']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/1 warning\)/);
    expect((await cli(['validate', '--locale', 'ru', 'broken.json'])).stdout).toContain('Стадии «nowhere» нет в этой теме');
  });

  it('colours only when asked (and Node itself colours only a terminal), and the painter leaves text alone otherwise', async () => {
    const plain = await cli(['validate', 'broken.json', 'warning.json']);
    const coloured = await cli(['validate', 'broken.json', 'warning.json'], { color: true });
    expect(coloured.code).toBe(plain.code);
    expect(stripVTControlCharacters(coloured.stdout)).toBe(plain.stdout);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(painter(false)('red', 'x')).toBe('x');
    expect(painter(true)('red', 'x')).toContain('x');
    const io = processIo();
    expect(typeof io.color).toBe('boolean');
    expect(io.cwd).toBe(process.cwd());
  });

  it.each([
    [['validate', 'huge.json'], 'huge.json: 10485783 bytes is larger than the 10485760 bytes a topic file may have'],
    [['validate', 'missing.json'], 'missing.json: no such file'],
    [['validate', 'empty.json'], 'empty.json: the file is empty, expected JSON'],
    [['validate', 'binary.json'], 'binary.json: the file is binary, expected JSON text'],
    [['validate', 'not-json.json'], 'not-json.json: not valid JSON'],
    [['validate', 'loop.json'], 'loop.json: cannot be read (a symbolic link loop)'],
    [['validate', 'nothing/*.json'], 'nothing/*.json: no files match'],
    [['diagram', 'huge.json'], 'huge.json: 10485783 bytes is larger than'],
    [['diagram', 'audit.json'], 'audit.json: an audit topic has no stages; expected a sales topic'],
    [['diff', 'missing.json', 'bom.json'], 'missing.json: no such file'],
    [['simulate', 'missing.json'], 'missing.json: no such file'],
    [['simulate', '--weights', 'missing.json'], 'missing.json: no such file'],
  ])('exits 2 with one line for %j', async (args, message) => {
    const result = await cli(args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.startsWith(`crm-topics: ${message}`)).toBe(true);
    expect(result.stderr.indexOf('\n')).toBe(result.stderr.length - 1);
  });

  it.each([
    [['validate', 'deep.json'], /error\s+\(topic\)\s.*\[invalid_type\]/],
    [['validate', 'proto.json'], /error\s+__proto__\s.*\[unknown_key\]/],
  ])('exits 1 for %j, naming the path and code', async (args, pattern) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(pattern);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('exits 1 for invalid topics with diagram, diff and simulate, listing at most five errors', async () => {
    for (const args of [['diagram', 'broken.json'], ['diagram', 'deep.json'], ['diagram', 'proto.json'], ['diff', 'proto.json', 'bom.json'], ['diff', 'bom.json', 'deep.json'], ['simulate', 'proto.json']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(/invalid topic/);
      expect(result.stderr.split('\n').length).toBeLessThanOrEqual(7);
    }
  });

  it('draws Mermaid and DOT, also for stage ids named after Object.prototype members', async () => {
    const mermaid = await cli(['diagram', 'constructor-stage.json']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^stateDiagram-v2\n/);
    const dot = await cli(['diagram', '--format', 'dot', 'warning.json']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "talks" \{/);
    expect(dot.stdout).toContain('negotiations ongoing');
  });

  it('answers usage mistakes with exit 2 and help and version with exit 0', async () => {
    for (const args of [['explode'], ['validate'], ['validate', '--bogus', 'broken.json'], ['validate', '--locale', 'de', 'broken.json'], ['diagram', '--format', 'png', 'broken.json'], ['simulate', '--deals', '0']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
    }
    expect((await cli(['--help'])).code).toBe(0);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await cli(['--version'])).stdout.trim()).toBe(version);
    expect(() => positiveInteger('1.5')).toThrow('expected a whole number of at least 1');
    expect(positiveInteger('3')).toBe(3);
  });

  it('prints the schema, and reports a failing output stream as an unexpected error (exit 70) in one line', async () => {
    const schema = await cli(['schema']);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toHaveProperty('oneOf');
    const broken = await cli(['validate', 'topics/standard.json'], {
      stdout: () => {
        throw new Error('write EPIPE');
      },
    });
    expect(broken).toEqual({ code: 70, stdout: '', stderr: 'crm-topics: unexpected error: write EPIPE\n' });
  });
});
