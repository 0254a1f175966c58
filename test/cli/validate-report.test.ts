import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardTopic } from '../../src/index.js';

/*
 * `crm-topics validate` as a CI job uses it (issue 17), run as a process from
 * the build: every input is reported and the exit code is the worst one;
 * `-` and directories; `file:line:column` for every issue; the stylish,
 * json, github and sarif formats; --max-warnings and --quiet.
 */

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let dir = '';

function crmTopics(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const write = (name: string, content: string) => writeFileSync(join(dir, name), content);
/** Line and column (from 1) of the first `needle` in `text`. */
function at(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

const brokenText = JSON.stringify({ ...structuredClone(standardTopic), id: 'broken', globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] }, null, 2);
const talks = { id: 'talks', name: 'Talks', kind: 'sales', stages: [{ id: 'a', name: 'A', outcomes: [{ id: 'b', name: 'B', to: 'b' }] }, { id: 'b', name: 'B' }] };

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-validate-'));
  mkdirSync(join(dir, 'topics/nested'), { recursive: true });
  mkdirSync(join(dir, 'topics/node_modules'));
  write('topics/standard.json', JSON.stringify(standardTopic, null, 2));
  write('topics/nested/talks.json', JSON.stringify(talks, null, 2));
  write('topics/node_modules/ignored.json', '{');
  write('topics/notes.txt', 'not a topic');
  write('broken.json', brokenText);
  write('warning.json', JSON.stringify(talks, null, 2));
  write('syntax.json', '{\n  "id": "x",\n  "name" "X"\n}\n');
  write('no-position.json', '{"a":tru}');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crm-topics validate reports every input', () => {
  it('goes on past unreadable and malformed files; the exit code is the worst one', () => {
    const result = crmTopics(['validate', 'missing.json', 'syntax.json', 'broken.json', 'topics/standard.json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('✗ broken.json (1 error)');
    expect(result.stdout).toContain('✓ topics/standard.json');
    expect(result.stdout).toContain('1 of 2 invalid; 2 could not be read');
    expect(result.stderr).toBe('crm-topics: missing.json: no such file\ncrm-topics: syntax.json: not valid JSON at 3:10 (Unexpected string in JSON)\n');
    expect(crmTopics(['validate', 'broken.json', 'topics/standard.json']).code).toBe(1);
    expect(crmTopics(['validate', 'topics/standard.json']).code).toBe(0);
  });

  it('gives a JSON syntax error as line:column, never as "position"', () => {
    for (const file of ['syntax.json', 'no-position.json']) {
      const result = crmTopics(['validate', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain('at position');
    }
    expect(crmTopics(['validate', 'no-position.json']).stderr).toContain('no-position.json: not valid JSON at 1:6');
  });

  it('prints file:line:column for every issue, found from its JSON path in the text', () => {
    const result = crmTopics(['validate', 'broken.json']);
    expect(result.stdout).toContain(`broken.json:${at(brokenText, '"to": "nowhere"')}  error   globalOutcomes[0].to`);
  });

  it('reads standard input for -', () => {
    const result = crmTopics(['validate', '-'], { input: brokenText });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ <stdin> (1 error)');
    expect(result.stdout).toContain(`<stdin>:${at(brokenText, '"to": "nowhere"')}`);
    expect(crmTopics(['validate', '-'], { input: '' })).toMatchObject({ code: 2, stderr: 'crm-topics: <stdin>: the file is empty, expected JSON\n' });
  });

  it('reads the *.json files of a directory, nested ones too, but not node_modules', () => {
    const result = crmTopics(['validate', 'topics']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ topics/nested/talks.json (1 warning)');
    expect(result.stdout).toContain('✓ topics/standard.json');
    expect(result.stdout).not.toContain('ignored');
    expect(result.stdout).toContain('2 valid');
  });
});

describe('crm-topics validate --format', () => {
  it('json: the report, each issue with its line and column, file problems included', () => {
    const result = crmTopics(['validate', '--format', 'json', 'broken.json', 'syntax.json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { ok: boolean; errorCount: number; files: { file: string; readable: boolean; issues: { code: string; line: number; column: number }[] }[] };
    expect(report).toMatchObject({ ok: false, errorCount: 2, warningCount: 0 });
    const [line, column] = at(brokenText, '"to": "nowhere"').split(':').map(Number);
    expect(report.files[0]).toMatchObject({ file: 'broken.json', readable: true, valid: false, issues: [{ code: 'unknown_stage', line, column }] });
    expect(report.files[1]).toMatchObject({ file: 'syntax.json', readable: false, issues: [{ code: 'invalid_json', line: 3, column: 10 }] });
    expect(crmTopics(['validate', '--json', 'broken.json']).stdout).toBe(crmTopics(['validate', '--format', 'json', 'broken.json']).stdout);
  });

  it('github: a workflow command per issue, escaped as the Actions runner reads it', () => {
    const result = crmTopics(['validate', '--format', 'github', 'broken.json', 'warning.json', 'missing.json']);
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=broken\.json,line=\d+,col=\d+,title=unknown_stage \(globalOutcomes\[0\]\.to\)::Stage "nowhere"/);
    expect(lines[1]).toMatch(/^::warning file=warning\.json,line=\d+,col=\d+,title=\w+/);
    expect(lines[2]).toBe('::error file=missing.json,title=unreadable_file::missing.json: no such file');
  });

  it('sarif: a SARIF 2.1.0 log with a rule per code and a region per issue', () => {
    const result = crmTopics(['validate', '--format', 'sarif', 'broken.json', 'warning.json']);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run?.tool.driver.name).toBe('crm-topics');
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toContain('unknown_stage');
    expect(run?.results[0]).toMatchObject({ ruleId: 'unknown_stage', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.json' }, region: { startLine: Number(at(brokenText, '"to": "nowhere"').split(':')[0]) } } }] });
    expect(run?.results[1]?.level).toBe('warning');
  });

  it('refuses an unknown format with exit 2', () => {
    expect(crmTopics(['validate', '--format', 'xml', 'broken.json'])).toMatchObject({ code: 2, stdout: '' });
  });
});

describe('crm-topics validate --max-warnings and --quiet', () => {
  it('--max-warnings N fails (exit 1) only with more than N warnings in all', () => {
    expect(crmTopics(['validate', '--max-warnings', '1', 'warning.json']).code).toBe(0);
    const over = crmTopics(['validate', '--max-warnings', '0', 'warning.json']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('crm-topics: 1 warnings, more than --max-warnings 0\n');
    expect(crmTopics(['validate', '--max-warnings', 'few', 'warning.json']).code).toBe(2);
  });

  it('--quiet leaves warnings out of the report, errors in', () => {
    const quiet = crmTopics(['validate', '--quiet', 'warning.json', 'broken.json']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('✓ warning.json\n');
    expect(quiet.stdout).not.toMatch(/ warning /);
    expect(quiet.stdout).toContain('unknown_stage');
    expect(JSON.parse(crmTopics(['validate', '--quiet', '--json', 'warning.json']).stdout)).toMatchObject({ ok: true, warningCount: 1, files: [{ issues: [] }] });
  });
});
