import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardTopic, topicJsonSchema } from '../../src/index.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;
let dir = '';

/** Runs the built command line as a subprocess, the way a user or a CI job does. */
function crmTopics(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const write = (name: string, content: string | Buffer) => writeFileSync(join(dir, name), content);

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-cli-'));
  mkdirSync(join(dir, 'topics'));
  write('topics/standard.json', JSON.stringify(standardTopic));
  write('topics/new-clients.json', readFileSync(join(root, 'examples/topics/new-clients.json')));
  const broken = { ...structuredClone(standardTopic), id: 'broken', globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] };
  write('broken.json', JSON.stringify(broken));
  const talks = { id: 'talks', name: 'Talks', kind: 'sales', stages: [{ id: 'a', name: 'A', outcomes: [{ id: 'b', name: 'B', to: 'b' }] }, { id: 'b', name: 'B' }] };
  write('warning.json', JSON.stringify(talks));
  write('not-json.json', '{ "id": ');
  write('empty.json', '');
  write('binary.json', Buffer.from([0x7b, 0x00, 0x01, 0x02]));
  // Tests may run as root, whom file modes do not stop: a link to itself cannot be read by anyone.
  symlinkSync('unreadable.json', join(dir, 'unreadable.json'));
  mkdirSync(join(dir, 'nothing-here'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crm-topics validate', () => {
  it('exits 0 for valid files, expanding globs', () => {
    const result = crmTopics('validate', 'topics/*.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ topics/new-clients.json');
    expect(result.stdout).toContain('✓ topics/standard.json');
    expect(result.stdout).toContain('2 valid');
  });

  it('exits 1 for a topic with an error, naming the file, path, code and message', () => {
    const result = crmTopics('validate', 'topics/standard.json', 'broken.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ broken.json (1 error)');
    expect(result.stdout).toMatch(/error\s+globalOutcomes\[0\]\.to\s+Stage "nowhere" does not exist.*\[unknown_stage\]/);
    expect(result.stdout).toContain('1 of 2 invalid');
  });

  it('prints machine-readable JSON with --json', () => {
    const result = crmTopics('validate', '--json', 'broken.json', 'warning.json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: { file: string; valid: boolean; issues: { code: string; path: string; severity: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.files.map((file) => [file.file, file.valid])).toEqual([
      ['broken.json', false],
      ['warning.json', true],
    ]);
    expect(report.files[1]?.issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'negotiations_ongoing', path: 'stages[1]' })]);
  });

  it('passes warnings unless --strict', () => {
    expect(crmTopics('validate', 'warning.json').code).toBe(0);
    expect(crmTopics('validate', '--strict', 'warning.json').code).toBe(1);
  });

  it('speaks Russian with --locale ru', () => {
    const result = crmTopics('validate', '--locale', 'ru', 'broken.json');
    expect(result.stdout).toContain('Стадии «nowhere» нет в этой теме');
  });

  it.each([
    ['a missing file', ['validate', 'missing.json'], 'missing.json: no such file'],
    ['an empty directory', ['validate', 'nothing-here'], 'nothing-here: no .json files in this directory'],
    ['a non-JSON file', ['validate', 'not-json.json'], 'not-json.json: not valid JSON'],
    ['an empty file', ['validate', 'empty.json'], 'empty.json: the file is empty'],
    ['a binary file', ['validate', 'binary.json'], 'binary.json: the file is binary'],
    ['a glob matching nothing', ['validate', 'nothing/*.json'], 'nothing/*.json: no files match'],
    ['an unknown flag', ['validate', '--bogus', 'broken.json'], "unknown option '--bogus'"],
    ['a bad locale', ['validate', '--locale', 'de', 'broken.json'], "argument 'de' is invalid"],
    ['no files', ['validate'], "missing required argument 'files'"],
    ['an unknown command', ['explode'], "unknown command 'explode'"],
  ])('exits 2 with one line and no stack trace for %s', (_name, args, message) => {
    const result = crmTopics(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for an unreadable file', () => {
    const result = crmTopics('validate', 'unreadable.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('crm-topics: unreadable.json: cannot be read (a symbolic link loop)\n');
  });
});

describe('crm-topics diagram', () => {
  it('draws Mermaid by default: stages, outcome arrows, cyclic arrows, finishes', () => {
    const result = crmTopics('diagram', 'topics/new-clients.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^stateDiagram-v2\n/);
    expect(result.stdout).toContain('state "Знакомство с клиентом (P2D)" as s0');
    expect(result.stdout).toContain('s0 --> s1: Клиент заинтересовался');
    expect(result.stdout).toContain('s0 --> s0: Не удалось связаться с клиентом ↺');
    expect(result.stdout).toContain('s4 --> won: Товар отгружен');
    expect(result.stdout).toContain('s2 --> lost: Клиент не заинтересовался');
  });

  it('draws DOT with --format dot and marks "negotiations ongoing" stages (S11)', () => {
    const result = crmTopics('diagram', '--format', 'dot', 'warning.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph "talks" \{/);
    expect(result.stdout).toContain('s1 [label="B [negotiations ongoing]", style="rounded,dashed"');
    expect(result.stdout).toContain('s0 -> s1 [label="B"];');
  });

  it('exits 1 for an invalid topic and 2 for a missing file', () => {
    expect(crmTopics('diagram', 'broken.json').code).toBe(1);
    expect(crmTopics('diagram', 'missing.json').code).toBe(2);
  });
});

describe('crm-topics simulate (the main job)', () => {
  it('simulates 1,000 deals on the standard topic by default and prints the funnel report', () => {
    const result = crmTopics('simulate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Funnel: Стандартная тема (standard v1)');
    expect(result.stdout).toMatch(/Deals: 1000; counted 1000/);
    for (const stage of ['Новый', 'Знакомство', 'Коммерческое предложение', 'Оплата', 'Отгрузка']) expect(result.stdout).toContain(stage);
    expect(result.stdout).toMatch(/Simulated 1000 deals \(\d+ events\) with seed "1"\.\n$/);
    expect(result.stderr).toBe('');
  });

  it('prints byte-identical output for the same seed, and different output for another', () => {
    const first = crmTopics('simulate', '--deals', '300', '--seed', 'march');
    const second = crmTopics('simulate', '--deals', '300', '--seed', 'march');
    const other = crmTopics('simulate', '--deals', '300', '--seed', 'april');
    expect(first.stdout).toBe(second.stdout);
    expect(other.stdout).not.toBe(first.stdout);
  });

  it('simulates a topic file, with side-file weights, as JSON', () => {
    write('weights.json', JSON.stringify({ acquaintance: { interested: 0, unreachable: 1 } }));
    const result = crmTopics('simulate', 'topics/new-clients.json', '--deals', '200', '--weights', 'weights.json', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { topic: { id: string }; report: { stages: { stageId: string; deals: number }[] } };
    expect(report.topic.id).toBe('new-clients');
    // With "interested" weighted 0, no deal ever reaches the commercial offer.
    expect(report.report.stages.find((stage) => stage.stageId === 'offer')?.deals).toBe(0);
    expect(report.report.stages.find((stage) => stage.stageId === 'acquaintance')?.deals).toBe(200);
  });

  it('exits 2 for bad options and weights, 1 for an invalid topic', () => {
    expect(crmTopics('simulate', '--deals', '0').code).toBe(2);
    expect(crmTopics('simulate', '--deals', 'many').stderr).toContain('expected a whole number of at least 1');
    write('bad-weights.json', JSON.stringify({ nowhere: { x: 1 } }));
    const bad = crmTopics('simulate', '--weights', 'bad-weights.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^crm-topics: weights\.nowhere: /);
    expect(crmTopics('simulate', 'broken.json').code).toBe(1);
  });
});

describe('crm-topics diff', () => {
  it('lists the changes between two versions, as lines or JSON', () => {
    const older = JSON.parse(readFileSync(join(root, 'examples/topics/new-clients.json'), 'utf8')) as { version: number; stages: { name: string; maxDuration?: string }[] };
    const newer = structuredClone(older);
    newer.version = 2;
    (newer.stages[0] as { name: string }).name = 'Первый звонок';
    (newer.stages[1] as { maxDuration?: string }).maxDuration = 'P2D';
    write('v1.json', JSON.stringify(older));
    write('v2.json', JSON.stringify(newer));
    const text = crmTopics('diff', 'v1.json', 'v2.json');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'new-clients v1 → new-clients v2: 2 changes',
        '  stage-renamed        stages[0].name: Stage "acquaintance" renamed: "Знакомство с клиентом" → "Первый звонок".',
        '  stage-limit-changed  stages[1].maxDuration: Stage "offer": maxDuration P3D → P2D.',
        '',
      ].join('\n'),
    );
    const json = crmTopics('diff', '--json', 'v1.json', 'v2.json');
    const report = JSON.parse(json.stdout) as { from: { version: number }; to: { version: number }; changes: { type: string; path: string }[] };
    expect(report.from.version).toBe(1);
    expect(report.to.version).toBe(2);
    expect(report.changes.map((change) => [change.type, change.path])).toEqual([
      ['stage-renamed', 'stages[0].name'],
      ['stage-limit-changed', 'stages[1].maxDuration'],
    ]);
    expect(crmTopics('diff', 'v1.json', 'v1.json').stdout).toContain('no changes');
  });

  it('exits 1 for an invalid topic and 2 for a missing file', () => {
    expect(crmTopics('diff', 'broken.json', 'topics/standard.json').code).toBe(1);
    expect(crmTopics('diff', 'missing.json', 'topics/standard.json').code).toBe(2);
  });
});

describe('crm-topics schema, --help and --version', () => {
  it('prints the JSON Schema of topic files', () => {
    const result = crmTopics('schema');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(topicJsonSchema());
  });

  it('has help for each command and the package version', () => {
    for (const args of [['--help'], ['validate', '--help'], ['diagram', '--help'], ['simulate', '--help'], ['diff', '--help'], ['schema', '--help']]) {
      const result = crmTopics(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: crm-topics');
    }
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(crmTopics('--version').stdout.trim()).toBe(version);
  });
});
