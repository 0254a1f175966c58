import { painter } from './io.js';
import { terminalSafe } from './terminal-text.js';
import type { FileReport, LocatedIssue, ValidateReport } from './validate-report.js';

/**
 * The `stylish` format of `crm-topics validate`, for people: a line per
 * readable file (✓ or ✗ and its counts), a line per issue starting with
 * `file:line:column`, then a summary. Files that cannot be read are left
 * out here: their one line goes to stderr.
 *
 * @example
 * formatStylish(report, false);
 * // ✗ broken.json (1 error)
 * //   broken.json:3:12  error    globalOutcomes[0].to  Stage "nowhere" does not exist [unknown_stage]
 * //
 * // 1 of 1 invalid
 */
export function formatStylish(report: ValidateReport, color: boolean): string {
  const paint = painter(color);
  const readable = report.files.filter((file) => file.readable);
  const unreadable = report.files.length - readable.length;
  if (readable.length === 0) return '';
  const lines: string[] = [];
  for (const file of readable) {
    lines.push(heading(file, paint));
    for (const issue of file.issues) {
      const severity = issue.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      lines.push(`  ${paint('dim', location(file.file, issue))}  ${severity} ${terminalSafe(issue.path) || '(topic)'}  ${terminalSafe(issue.message)} ${paint('dim', `[${issue.code}]`)}`);
    }
  }
  const invalid = readable.filter((file) => !file.valid).length;
  const summary = invalid === 0 ? `${readable.length} valid` : `${invalid} of ${readable.length} invalid`;
  lines.push('', unreadable === 0 ? summary : `${summary}; ${unreadable} could not be read`);
  return `${lines.join('\n')}\n`;
}

function heading({ file, valid, issues }: FileReport, paint: ReturnType<typeof painter>): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  const counts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return `${paint(valid ? 'green' : 'red', valid ? '✓' : '✗')} ${paint('bold', terminalSafe(file))}${counts === '' ? '' : ` (${counts})`}`;
}

function location(file: string, issue: LocatedIssue): string {
  return `${terminalSafe(file)}:${issue.line ?? 1}:${issue.column ?? 1}`;
}
