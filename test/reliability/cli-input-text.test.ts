import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { standardTopic } from '../../src/index.js';

/*
 * What the command line prints from its input (issue 12): characters a
 * terminal acts on (ESC sequences, CR, BEL, C1 controls, bidi overrides)
 * are shown as visible escapes, the command line's own colours are kept;
 * keys an object repeats are validation errors with their path and
 * line:column.
 */

// eslint-disable-next-line no-control-regex -- what a terminal acts on
const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const hostile = 'Ok\u001b]0;pwned\u0007\u001b[2J\r\u009b31m\u202eevil\u2066';
/**
 * What a valid topic can still carry into a diagram: names refuse control
 * characters (`control_character`) and bidi controls (`bidi_control`), but
 * keep line and paragraph separators and the direction marks, which a
 * terminal must still be shown as escapes.
 */
const hostileName = 'Ok\u2028evil\u2029\u200f\u061c';

let dir = '';
const write = (name: string, content: string) => writeFileSync(join(dir, name), content);

async function cli(args: readonly string[], color = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), color, interactive: false, cwd: dir };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-input-text-'));
  const renamed = structuredClone(standardTopic) as { stages: { name: string }[] };
  (renamed.stages[0] as { name: string }).name = hostileName;
  write('standard.json', JSON.stringify(standardTopic));
  write('renamed.json', JSON.stringify(renamed));
  const broken = structuredClone(renamed) as unknown as { stages: Record<string, unknown>[]; globalOutcomes: unknown[] };
  (broken.stages[0] as Record<string, unknown>)[`x${hostile}`] = 1;
  broken.globalOutcomes = [{ id: 'x', name: 'X', to: hostile }];
  write('broken.json', JSON.stringify(broken));
  write('weights.json', JSON.stringify({ [hostile]: { won: 1 } }));
  const text = JSON.stringify(standardTopic, null, 2);
  write('duplicate.json', text.replace('"name": "Новый",', '"name": "Новый",\n      "name": "Первый",'));
  write('duplicate-weights.json', '{\n  "new": { "a": 1 },\n  "new": { "a": 2 }\n}');
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function expectSafe(result: { stdout: string; stderr: string }) {
  expect(result.stdout).not.toMatch(unsafe);
  expect(result.stderr).not.toMatch(unsafe);
}

describe('crm-topics prints input text with visible escapes', () => {
  it.each([
    [['validate', 'broken.json']],
    [['validate', '--locale', 'ru', 'broken.json']],
    [['diagram', 'renamed.json']],
    [['diagram', '--format', 'dot', 'renamed.json']],
    [['diagram', 'broken.json']],
    [['diff', 'standard.json', 'renamed.json']],
    [['simulate', 'renamed.json', '--deals', '20']],
    [['simulate', '--deals', '20', '--seed', hostile]],
    [['simulate', '--deals', '20', '--weights', 'weights.json']],
    [['validate', `${hostile}.json`]],
    [['validate', `--${hostile}`, 'standard.json']],
    [[`${hostile}`]],
  ])('for %j', async (args) => {
    const result = await cli(args);
    expectSafe(result);
    expect(`${result.stdout}${result.stderr}`).toMatch(/\\(x1b|u001b|u2028)/);
  });

  it('refuses a topic whose names carry control characters, naming the character and where it is', async () => {
    const escaped = structuredClone(standardTopic) as { stages: { name: string }[] };
    (escaped.stages[1] as { name: string }).name = hostile;
    write('escaped.json', JSON.stringify(escaped));
    const result = await cli(['validate', 'escaped.json']);
    expect(result.code).toBe(1);
    expectSafe(result);
    expect(result.stdout).toMatch(/stages\[1\]\.name.*U\+001B at position 2.*control_character/);
  });

  it('shows the escaped text where the raw text was, in the messages that quote it', async () => {
    const result = await cli(['validate', 'broken.json']);
    expect(result.stdout).toContain('Unknown property "xOk\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x9b31m\\u202eevil\\u2066"');
  });

  it('keeps its own colours, and only its own', async () => {
    for (const args of [['validate', 'broken.json'], ['diff', 'standard.json', 'renamed.json'], ['simulate', 'renamed.json', '--deals', '20']]) {
      const plain = await cli(args);
      const coloured = await cli(args, true);
      // Every escape sequence in the coloured output is one the command line added.
      expect(stripVTControlCharacters(coloured.stdout)).toBe(plain.stdout);
    }
    const clean = await cli(['simulate', 'standard.json', '--deals', '20'], true);
    expect(clean.stdout).toContain('\u001b[');
    expect(stripVTControlCharacters(clean.stdout)).toBe((await cli(['simulate', 'standard.json', '--deals', '20'])).stdout);
  });
});

describe('crm-topics reports duplicate keys', () => {
  const line = (text: string, needle: string) => text.split('\n').findIndex((candidate) => candidate.includes(needle)) + 1;
  const source = () => JSON.stringify(standardTopic, null, 2).replace('"name": "Новый",', '"name": "Новый",\n      "name": "Первый",');

  it('as an error of validate, with its path and line:column', async () => {
    const result = await cli(['validate', 'duplicate.json']);
    expect(result.code).toBe(1);
    const first = line(source(), '"name": "Новый"');
    const at = `${first + 1}:7`;
    expect(result.stdout).toMatch(new RegExp(`error\\s+stages\\[0\\]\\.name\\s+Duplicate key "name" at ${at}: it is also at ${first}:7.*\\[duplicate_key\\]`));
    const json = await cli(['validate', '--json', 'duplicate.json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, files: [{ valid: false, issues: [{ severity: 'error', code: 'duplicate_key', path: 'stages[0].name', value: 'name' }] }] });
    expect((await cli(['validate', '--locale', 'ru', 'duplicate.json'])).stdout).toContain(`Ключ «name» повторяется в ${at}`);
  });

  it('as an invalid topic for diagram, diff and simulate, and a usage error in a weights file', async () => {
    for (const args of [['diagram', 'duplicate.json'], ['diff', 'standard.json', 'duplicate.json'], ['simulate', 'duplicate.json']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain('duplicate.json: invalid topic');
    }
    expect((await cli(['diagram', 'duplicate.json'])).stderr).toContain('stages[0].name: Duplicate key "name"');
    const weights = await cli(['simulate', '--weights', 'duplicate-weights.json']);
    expect(weights).toMatchObject({ code: 2, stdout: '', stderr: 'crm-topics: duplicate-weights.json: new: Duplicate key "new" at 3:3: it is also at 2:3, and JSON keeps only the last value. Remove one of them.\n' });
  });
});
