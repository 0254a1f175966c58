import { glob, isDynamicPattern } from 'tinyglobby';
import type { Locale, TopicIssue } from '../definition/issue.js';
import { lintTopic } from '../definition/lint.js';
import { safeParseTopic } from '../definition/parse.js';
import { painter, UsageError, type CliIo } from './io.js';
import { terminalSafe } from './terminal-text.js';
import { readTopicFile } from './topic-file.js';

/** Options of the `validate` command. */
export interface ValidateOptions {
  readonly json?: boolean;
  readonly strict?: boolean;
  readonly locale?: Locale;
}

interface FileResult {
  readonly file: string;
  readonly valid: boolean;
  readonly issues: readonly TopicIssue[];
}

/**
 * `crm-topics validate <files or globs…>`: parses and lints each topic file.
 * Exit 0 when every file is valid, 1 when any has an error (or, with
 * `--strict`, a warning), 2 for usage errors.
 */
export async function validateCommand(patterns: readonly string[], options: ValidateOptions, io: CliIo): Promise<number> {
  const files = await expand(patterns, io.cwd);
  const locale = options.locale ?? 'en';
  const results: FileResult[] = files.map((file) => {
    const topicFile = readTopicFile(io.cwd, file, locale);
    const result = safeParseTopic(topicFile.value, { locale, lint: false });
    if (!result.ok) return { file, valid: false, issues: [...topicFile.issues, ...result.issues] };
    const issues = [...topicFile.issues, ...lintTopic(result.topic, { locale })];
    const blocking = issues.some((issue) => issue.severity === 'error' || options.strict === true);
    return { file, valid: !blocking, issues };
  });
  const ok = results.every((result) => result.valid);
  if (options.json === true) io.stdout(`${JSON.stringify({ ok, files: results }, null, 2)}\n`);
  else io.stdout(render(results, io.color));
  return ok ? 0 : 1;
}

async function expand(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!isDynamicPattern(pattern)) {
      files.push(pattern);
      continue;
    }
    const matches = (await glob(pattern, { cwd, onlyFiles: true })).sort();
    if (matches.length === 0) throw new UsageError(`${pattern}: no files match`);
    files.push(...matches);
  }
  return [...new Set(files)];
}

function render(results: readonly FileResult[], color: boolean): string {
  const paint = painter(color);
  const lines: string[] = [];
  for (const { file, valid, issues } of results) {
    const errors = issues.filter((issue) => issue.severity === 'error').length;
    const warnings = issues.length - errors;
    const counts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    lines.push(`${paint(valid ? 'green' : 'red', valid ? '✓' : '✗')} ${paint('bold', terminalSafe(file))}${counts === '' ? '' : ` (${counts})`}`);
    for (const issue of issues) {
      const severity = issue.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      lines.push(`  ${severity} ${terminalSafe(issue.path) || '(topic)'}  ${terminalSafe(issue.message)} ${paint('dim', `[${issue.code}]`)}`);
    }
  }
  const invalid = results.filter((result) => !result.valid).length;
  lines.push('', invalid === 0 ? `${results.length} valid` : `${invalid} of ${results.length} invalid`);
  return `${lines.join('\n')}\n`;
}
