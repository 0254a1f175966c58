import { resolve } from 'node:path';
import type { Locale, TopicIssue } from '../definition/issue.js';
import { lintTopic } from '../definition/lint.js';
import { safeParseTopic } from '../definition/parse.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { jsonLocations } from './json-locations.js';
import { lineIndex } from './position.js';
import { MAX_FILE_BYTES, parseJsonBytes, type JsonFile } from './read-json.js';
import { readFileBounded, STDIN_NAME } from './read-file.js';
import { terminalSafe } from './terminal-text.js';
import { duplicateKeyIssues } from './topic-file.js';
import { formatReport, type ValidateFormat } from './validate-format.js';
import { validateInputs, type ValidateInput } from './validate-inputs.js';
import type { FileReport, LocatedIssue, ValidateReport } from './validate-report.js';

/** Options of the `validate` command. */
export interface ValidateOptions {
  /** How the report is printed: `stylish` (the default), `json`, `github` or `sarif`. */
  readonly format?: ValidateFormat;
  /** Warnings fail the file too. */
  readonly strict?: boolean;
  /** More warnings than this, in all files, fail the run (exit 1). */
  readonly maxWarnings?: number;
  /** Warnings are left out of the report (they still count for `maxWarnings`). */
  readonly quiet?: boolean;
  readonly locale?: Locale;
}

/**
 * `crm-topics validate <files, directories, globs or ->`: parses and lints
 * each topic file and reports them all, each issue with its line:column.
 * The exit code is the worst found: 0 every file valid, 1 a topic error (or,
 * with `--strict`, a warning; or more warnings than `--max-warnings`), 2 an
 * input that cannot be read or is not JSON.
 */
export async function validateCommand(args: readonly string[], options: ValidateOptions, io: CliIo): Promise<number> {
  const locale = options.locale ?? 'en';
  const inputs = await validateInputs(args, io.cwd);
  const checked = inputs.map((input) => checkInput(input, locale, options.strict === true, io));
  const warningCount = checked.reduce((sum, file) => sum + file.issues.filter((issue) => issue.severity === 'warning').length, 0);
  const errorCount = checked.reduce((sum, file) => sum + file.issues.filter((issue) => issue.severity === 'error').length, 0);
  const files = options.quiet === true ? checked.map((file) => ({ ...file, issues: file.issues.filter((issue) => issue.severity === 'error') })) : checked;
  const tooManyWarnings = options.maxWarnings !== undefined && warningCount > options.maxWarnings;
  const report: ValidateReport = { ok: files.every((file) => file.valid) && !tooManyWarnings, errorCount, warningCount, files };
  for (const file of files) {
    if (!file.readable) io.stderr(`crm-topics: ${terminalSafe(file.issues[0]?.message ?? file.file)}\n`);
  }
  io.stdout(formatReport(report, options.format ?? 'stylish', io.color));
  if (tooManyWarnings) io.stderr(`crm-topics: ${warningCount} warnings, more than --max-warnings ${options.maxWarnings}\n`);
  if (files.some((file) => !file.readable)) return 2;
  return report.ok ? 0 : 1;
}

/** Reads, parses and lints one input; a problem reading it becomes its one issue. */
function checkInput(input: ValidateInput, locale: Locale, strict: boolean, io: CliIo): FileReport {
  const file = input.file === '-' ? STDIN_NAME : input.file;
  if (input.problem !== undefined) return unreadable(file, 'no_files', input.problem);
  let json: JsonFile;
  try {
    json = parseJsonBytes(readInput(input.file, io), file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return unreadable(file, error.position === undefined ? 'unreadable_file' : 'invalid_json', error.message, error.position);
  }
  const issues: TopicIssue[] = [...duplicateKeyIssues(json, locale)];
  const result = safeParseTopic(json.value, { locale, lint: false });
  if (result.ok) issues.push(...lintTopic(result.topic, { locale }));
  else issues.push(...result.issues);
  const valid = result.ok && !issues.some((issue) => issue.severity === 'error' || strict);
  return { file, readable: true, valid, issues: locate(json.text, issues) };
}

function readInput(file: string, io: CliIo): Buffer {
  if (file !== '-') return readFileBounded(resolve(io.cwd, file), file, MAX_FILE_BYTES);
  if (io.readStdin === undefined) throw new UsageError(`${STDIN_NAME}: there is no standard input to read`);
  return io.readStdin(MAX_FILE_BYTES);
}

function unreadable(file: string, code: string, message: string, position?: { line: number; column: number }): FileReport {
  return { file, readable: false, valid: false, issues: [{ severity: 'error', code, path: '', message, ...position }] };
}

/** Adds each issue's line:column, found from its JSON path in the text. */
function locate(text: string, issues: readonly TopicIssue[]): LocatedIssue[] {
  if (issues.length === 0) return [];
  const offsetOf = jsonLocations(text);
  const positionOf = lineIndex(text);
  return issues.map((issue) => {
    const offset = offsetOf(issue.path);
    return offset === undefined ? issue : { ...issue, ...positionOf(offset) };
  });
}
