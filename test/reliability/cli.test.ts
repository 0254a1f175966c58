import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrorMessage } from '../../src/cli/read-json.js';
import { standardTopic } from '../../src/index.js';

/*
 * The file-level corpus for the command line (test/cli covers missing,
 * directory, empty, binary, non-JSON and unreadable files): huge, deeply
 * nested, prototype-keyed and oddly encoded files. Each gives a clear
 * message and the documented exit code (0 valid, 1 an invalid topic, 2 a
 * usage or file problem), never a stack trace and never the "unexpected
 * error" code 70.
 */

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let dir = '';

function crmTopics(...args: (string | { uid?: number; gid?: number })[]) {
  const [first] = args;
  const user = typeof first === 'object' ? first : {};
  const words = args.filter((arg): arg is string => typeof arg === 'string');
  const result = spawnSync(process.execPath, [cli, ...words], { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, ...user });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const write = (name: string, content: string | Buffer) => writeFileSync(join(dir, name), content);
const standardJson = JSON.stringify(standardTopic);
const huge = `{"id":"huge","name":"${'x'.repeat(10 * 1024 * 1024)}"}`;
const tooLarge = `huge.json: ${Buffer.byteLength(huge)} bytes is larger than the ${10 * 1024 * 1024} bytes a topic file may have`;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-reliability-'));
  // Just over the 10 MB limit: refused unread. Just under it: read, and refused by the schema.
  write('huge.json', huge);
  write('large.json', standardJson.replace('"instruction":"', `"instruction":"${'x'.repeat(9 * 1024 * 1024)}`));
  write('deep.json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  write('deep-objects.json', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
  write('deeper.json', `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
  write('deep-stage.json', standardJson.replace('"name":"Новый"', `"name":${'['.repeat(10_000)}${']'.repeat(10_000)}`));
  write('proto.json', standardJson.replace('{', '{"__proto__":{"polluted":true},'));
  write('proto-stage.json', standardJson.replace('{"id":"new",', '{"id":"new","__proto__":{"outcomes":[]},'));
  write('constructor-stage.json', standardJson.replaceAll('"new"', '"constructor"'));
  write('null.json', 'null');
  write('number.json', '42');
  write('array.json', `[${standardJson}]`);
  write('string.json', '"sales"');
  write('bom.json', `\uFEFF${standardJson}`);
  write('utf16.json', Buffer.from(standardJson, 'utf16le'));
  write('latin1.json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  write('whitespace.json', ' \n\t\r\n ');
  write('trailing.json', `${standardJson} {}`);
  write('many-stages.json', JSON.stringify({ ...standardTopic, stages: Array.from({ length: 10_000 }, (_, index) => ({ id: `s${index}`, name: `S${index}`, outcomes: [{ id: 'won', name: 'Won', finish: 'positive' }] })) }));
  mkdirSync(join(dir, 'folder.json'));
  write('locked.json', standardJson);
  chmodSync(join(dir, 'locked.json'), 0o000);
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** No stack trace, no "unexpected error", and one short line per problem. */
function expectClean(result: ReturnType<typeof crmTopics>) {
  expect(result.code).not.toBe(70);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain('unexpected error');
  expect(result.stdout).not.toMatch(/\n\s+at \S+ \(/);
  for (const line of result.stderr.split('\n')) expect(line.length).toBeLessThan(500);
}

describe('crm-topics on hostile files', () => {
  it.each([
    ['a file over 10 MB', ['validate', 'huge.json'], tooLarge],
    ['a file over 10 MB, for diagram', ['diagram', 'huge.json'], tooLarge],
    ['a file over 10 MB, for diff', ['diff', 'huge.json', 'bom.json'], tooLarge],
    ['UTF-16 text', ['validate', 'utf16.json'], 'utf16.json: the file is binary, expected JSON text'],
    ['bytes that are not UTF-8', ['validate', 'latin1.json'], 'latin1.json: not UTF-8 text (byte 0xff at offset 2)'],
    ['whitespace only', ['validate', 'whitespace.json'], 'whitespace.json: the file is empty, expected JSON'],
    ['two JSON values', ['validate', 'trailing.json'], 'trailing.json: not valid JSON'],
    ['a directory named like a file', ['diagram', 'folder.json'], 'folder.json: is a directory, expected a JSON file'],
    ['a missing file, for diff', ['diff', 'missing.json', 'bom.json'], 'missing.json: no such file'],
  ])('exits 2 for %s', (_name, args, message) => {
    const result = crmTopics(...args);
    expectClean(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a file without read permission', () => {
    // File modes do not stop root, so as root the command runs as "nobody" (uid 65534), for whom they do.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o755);
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    if (crmTopics(user, '--version').code !== 0) {
      // "nobody" cannot reach the built command here (a private checkout): check the message the command would print.
      expect(fileErrorMessage(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))).toBe('permission denied');
      return;
    }
    const result = crmTopics(user, 'validate', 'locked.json');
    expectClean(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('crm-topics: locked.json: permission denied\n');
  });

  it.each([
    ['a file just under 10 MB with an instruction too long', 'large.json', 'instruction', 'too_big'],
    ['10,000 nested arrays', 'deep.json', '(topic)', 'invalid_type'],
    ['10,000 nested objects', 'deep-objects.json', 'kind', 'invalid_kind'],
    ['10,000 nested arrays as a stage name', 'deep-stage.json', 'stages[0].name', 'invalid_type'],
    ['an own "__proto__" key', 'proto.json', '__proto__', 'unknown_key'],
    ['an own "__proto__" key in a stage', 'proto-stage.json', 'stages[0].__proto__', 'unknown_key'],
    ['null', 'null.json', '(topic)', 'invalid_type'],
    ['a number', 'number.json', '(topic)', 'invalid_type'],
    ['a string', 'string.json', '(topic)', 'invalid_type'],
    ['an array holding a topic', 'array.json', '(topic)', 'invalid_type'],
    ['10,000 stages', 'many-stages.json', 'stages', 'too_big'],
  ])('exits 1 for %s, naming the path and code', (_name, file, path, code) => {
    const result = crmTopics('validate', file);
    expectClean(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗ ${file}`);
    expect(result.stdout).toMatch(new RegExp(`error\\s+${path.replace(/[[\]().]/g, '\\$&')}\\s.*\\[${code}\\]`));
    expect(result.stderr).toBe('');
  });

  it('exits 1 for the same files with diagram and diff, in one line each', () => {
    for (const file of ['deep.json', 'proto.json', 'many-stages.json', 'large.json']) {
      for (const args of [['diagram', file], ['diff', file, 'bom.json']]) {
        const result = crmTopics(...args);
        expectClean(result);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`${file}: invalid topic`);
      }
    }
  });

  it('reports a prototype key as data in --json output', () => {
    const result = crmTopics('validate', '--json', 'proto.json');
    expectClean(result);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: { issues: { code: string; path: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files[0]?.issues).toContainEqual(expect.objectContaining({ code: 'unknown_key', path: '__proto__' }));
  });

  it('handles a million nested arrays with a clear answer', () => {
    const result = crmTopics('validate', 'deeper.json');
    expectClean(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error\s+\(topic\)\s.*\[invalid_type\]/);
  });

  it('accepts a topic with a byte-order mark and draws stage ids named after Object.prototype members', () => {
    expect(crmTopics('validate', 'bom.json').code).toBe(0);
    const validated = crmTopics('validate', 'constructor-stage.json');
    expect(validated.code).toBe(0);
    const diagram = crmTopics('diagram', 'constructor-stage.json');
    expectClean(diagram);
    expect(diagram.code).toBe(0);
    expect(diagram.stdout).toContain('Новый');
    const diff = crmTopics('diff', '--json', 'bom.json', 'constructor-stage.json');
    expectClean(diff);
    expect(diff.code).toBe(0);
  });
});
