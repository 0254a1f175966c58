import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeWriter } from '../../src/cli/closed-pipe.js';
import { colorEnabled } from '../../src/cli/color.js';
import { formatGithub } from '../../src/cli/format-github.js';
import { formatSarif } from '../../src/cli/format-sarif.js';
import type { CliIo } from '../../src/cli/io.js';
import { jsonLocations, MAX_LOCATED_DEPTH } from '../../src/cli/json-locations.js';
import { jsonSyntaxOffset, jsonSyntaxReason } from '../../src/cli/json-syntax-error.js';
import { nonNegativeInteger, run } from '../../src/cli/main.js';
import { parseJsonBytes } from '../../src/cli/read-json.js';
import { readStdinBounded } from '../../src/cli/read-file.js';
import { formatReport } from '../../src/cli/validate-format.js';
import { validateInputs } from '../../src/cli/validate-inputs.js';
import type { ValidateReport } from '../../src/cli/validate-report.js';
import { packageVersion } from '../../src/cli/version.js';
import { standardTopic } from '../../src/index.js';

let dir = '';

async function cli(args: readonly string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), color: false, interactive: false, cwd: dir, ...(stdin === undefined ? {} : { readStdin: () => Buffer.from(stdin) }) };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-validate-units-'));
  mkdirSync(join(dir, 'topics'));
  writeFileSync(join(dir, 'topics/standard.json'), JSON.stringify(standardTopic, null, 2));
  mkdirSync(join(dir, 'empty'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jsonLocations', () => {
  const text = '{\n  "stages": [\n    { "id": "a", "weird key": 1 },\n    [true, null, 2.5]\n  ]\n}';
  const offsetOf = jsonLocations(text);

  it('places members at their key, elements and the whole text at their value', () => {
    expect(offsetOf('')).toBe(0);
    expect(offsetOf('stages')).toBe(text.indexOf('"stages"'));
    expect(offsetOf('stages[0]')).toBe(text.indexOf('{ "id"'));
    expect(offsetOf('stages[0].id')).toBe(text.indexOf('"id"'));
    expect(offsetOf('stages[0]["weird key"]')).toBe(text.indexOf('"weird key"'));
    expect(offsetOf('stages[1][2]')).toBe(text.indexOf('2.5'));
  });

  it('falls back to the nearest ancestor for a path that is not in the text', () => {
    expect(offsetOf('stages[0].name')).toBe(text.indexOf('{ "id"'));
    expect(offsetOf('stages[7].outcomes[0]')).toBe(text.indexOf('"stages"'));
    expect(offsetOf('nothing["x"]')).toBe(0);
    expect(jsonLocations('')('a')).toBeUndefined();
  });

  it('walks nesting deeper than any recursive parser takes, placing what is within the depth limit', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deepOffsetOf = jsonLocations(deep);
    expect(deepOffsetOf('[0]')).toBe(1);
    expect(deepOffsetOf('[0]'.repeat(MAX_LOCATED_DEPTH + 10))).toBe(MAX_LOCATED_DEPTH);
  });
});

describe('jsonSyntaxOffset and jsonSyntaxReason', () => {
  it('reads the position from the message, the end of the text, or jsonc-parser', () => {
    expect(jsonSyntaxOffset('{"a" 1}', "Expected ':' after property name in JSON at position 5")).toBe(5);
    expect(jsonSyntaxOffset('{"a":', 'Unexpected end of JSON input')).toBe(5);
    expect(jsonSyntaxOffset('{"a":tru}', 'Unexpected token')).toBe(5);
    expect(jsonSyntaxOffset(`${'['.repeat(1000)}x`, 'Unexpected token')).toBeUndefined();
    expect(jsonSyntaxOffset('"\\"" x', 'Unexpected token')).toBe(5);
  });

  it('drops the position (and a line/column) from the reason', () => {
    expect(jsonSyntaxReason('Unexpected token in JSON at position 7 (line 1 column 8)')).toBe('Unexpected token in JSON');
    expect(jsonSyntaxReason('Unexpected end of JSON input')).toBe('Unexpected end of JSON input');
  });

  it('parseJsonBytes names the line:column of a syntax error and carries it', () => {
    expect(() => parseJsonBytes(Buffer.from('{\n  "a" 1\n}'), 'x.json')).toThrow("x.json: not valid JSON at 2:7 (Expected ':' after property name in JSON)");
    try {
      parseJsonBytes(Buffer.from(`${'['.repeat(1000)}x`), 'deep.json');
    } catch (error) {
      expect((error as Error).message).toMatch(/^deep\.json: not valid JSON \(/);
      expect((error as { position?: unknown }).position).toBeUndefined();
    }
  });
});

describe('colorEnabled', () => {
  it.each([
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: 'true' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'FALSE' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
    [{}, true, true],
    [{}, false, false],
  ])('%j with a terminal %s: %s', (env, terminal, expected) => {
    expect(colorEnabled(env, terminal)).toBe(expected);
  });
});

describe('pipeWriter', () => {
  it('writes until the stream fails, then drops text quietly', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const write = pipeWriter(stream);
    write('a');
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    write('b');
    expect(chunks.join('')).toBe('a');
  });

  it('takes a write that throws as a closed pipe', () => {
    let calls = 0;
    const stream = new Writable({ write: (_chunk, _encoding, done) => done() });
    stream.write = () => {
      calls++;
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    };
    const write = pipeWriter(stream);
    write('a');
    write('b');
    expect(calls).toBe(1);
  });
});

describe('validateInputs', () => {
  it('expands directories, globs and -, in order and without repeats', async () => {
    expect(await validateInputs(['topics/', 'topics/*.json', '-', 'empty', 'none/*.json', 'missing.json', '-'], dir)).toEqual([
      { file: 'topics/standard.json' },
      { file: '-' },
      { file: 'empty', problem: 'empty: no .json files in this directory' },
      { file: 'none/*.json', problem: 'none/*.json: no files match' },
      { file: 'missing.json' },
    ]);
  });
});

describe('validate in process', () => {
  it('reads - from the given standard input, and refuses it where there is none', async () => {
    expect(await cli(['validate', '-'], JSON.stringify(standardTopic))).toMatchObject({ code: 0, stdout: expect.stringContaining('✓ <stdin>') });
    expect(await cli(['validate', '-'])).toMatchObject({ code: 2, stderr: 'crm-topics: <stdin>: there is no standard input to read\n' });
  });

  it('--strict fails a file with warnings; --max-warnings counts all files', async () => {
    writeFileSync(join(dir, 'talks.json'), JSON.stringify({ id: 'talks', name: 'Talks', kind: 'sales', stages: [{ id: 'a', name: 'A', outcomes: [{ id: 'b', name: 'B', to: 'b' }] }, { id: 'b', name: 'B' }] }));
    expect((await cli(['validate', '--strict', 'talks.json'])).code).toBe(1);
    expect((await cli(['validate', '--max-warnings', '0', 'talks.json', 'topics'])).code).toBe(1);
    expect((await cli(['validate', '--format', 'github', '--max-warnings', '5', 'talks.json'])).code).toBe(0);
  });

  it('nonNegativeInteger takes 0 and more, nothing else', () => {
    expect(nonNegativeInteger('0')).toBe(0);
    expect(nonNegativeInteger('12')).toBe(12);
    for (const text of ['', ' ', '-1', '1.5', 'x']) expect(() => nonNegativeInteger(text)).toThrow('expected a whole number of 0 or more');
  });

  it('packageVersion reads package.json when run from source', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('readStdinBounded reads a descriptor to its end and refuses more than the limit', () => {
    const file = join(dir, 'input.json');
    writeFileSync(file, '{"a":1}');
    const fd = openSync(file, 'r');
    expect(readStdinBounded(100, fd).toString()).toBe('{"a":1}');
    closeSync(fd);
    const small = openSync(file, 'r');
    expect(() => readStdinBounded(3, small)).toThrow('<stdin>: has more than the 3 bytes a topic file may have');
    closeSync(small);
    expect(() => readStdinBounded(3, 987_654)).toThrow(/^<stdin>: /);
  });
});

describe('the report formats', () => {
  const report: ValidateReport = {
    ok: false,
    errorCount: 2,
    warningCount: 1,
    files: [
      { file: 'a,b:c%.json', readable: true, valid: false, issues: [{ severity: 'error', code: 'x', path: '', message: 'line one\nline two 100%\r', line: 2, column: 3 }, { severity: 'warning', code: 'y', path: 'stages[0]', message: 'w' }] },
      { file: 'dir\\win.json', readable: false, valid: false, issues: [{ severity: 'error', code: 'unreadable_file', path: '', message: 'no such file' }] },
    ],
  };

  it('github escapes data and properties as the runner expects', () => {
    expect(formatGithub(report)).toBe(
      '::error file=a%2Cb%3Ac%25.json,line=2,col=3,title=x::line one%0Aline two 100%25%0D\n::warning file=a%2Cb%3Ac%25.json,title=y (stages[0])::w\n::error file=dir\\win.json,title=unreadable_file::no such file\n',
    );
    expect(formatGithub({ ok: true, errorCount: 0, warningCount: 0, files: [] })).toBe('');
  });

  it('sarif gives regions only where the place is known, and forward slashes', () => {
    const log = JSON.parse(formatSarif(report)) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region?: unknown }; logicalLocations?: unknown }[] }[] }[] };
    const results = log.runs[0]?.results ?? [];
    expect(results[0]?.locations[0]?.physicalLocation.region).toEqual({ startLine: 2, startColumn: 3 });
    expect(results[1]?.locations[0]?.physicalLocation.region).toBeUndefined();
    expect(results[1]?.locations[0]?.logicalLocations).toEqual([{ fullyQualifiedName: 'stages[0]' }]);
    expect(results[2]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('dir/win.json');
  });

  it('stylish prints nothing when no file could be read, and json the report as it is', () => {
    expect(formatReport({ ...report, files: [report.files[1] as ValidateReport['files'][number]] }, 'stylish', false)).toBe('');
    expect(JSON.parse(formatReport(report, 'json', false))).toEqual(report);
  });
});
