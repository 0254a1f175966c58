import type { TopicIssue } from '../definition/issue.js';

/**
 * An issue of a validated file, with where it is in the file's text (line
 * and column from 1; absent when the text gives no place, e.g. a file that
 * cannot be read).
 *
 * @example
 * const issue: LocatedIssue = { severity: 'error', code: 'unknown_stage', path: 'globalOutcomes[0].to', message: 'Stage "nowhere" does not exist', line: 12, column: 7 };
 */
export interface LocatedIssue extends TopicIssue {
  readonly line?: number;
  readonly column?: number;
}

/**
 * One input of `crm-topics validate`: a topic file, standard input (`<stdin>`),
 * or a name that gave no file (a glob matching nothing, an empty directory).
 * `readable` is false when the text could not be read or is not JSON (exit 2).
 *
 * @example
 * const file: FileReport = { file: 'topics/new.json', readable: true, valid: false, issues: [issue] };
 */
export interface FileReport {
  readonly file: string;
  readonly readable: boolean;
  readonly valid: boolean;
  readonly issues: readonly LocatedIssue[];
}

/**
 * What `crm-topics validate` found, as every format prints it.
 *
 * @example
 * const report: ValidateReport = { ok: false, errorCount: 1, warningCount: 0, files: [file] };
 */
export interface ValidateReport {
  readonly ok: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly files: readonly FileReport[];
}
