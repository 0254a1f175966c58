import { formatGithub } from './format-github.js';
import { formatSarif } from './format-sarif.js';
import { formatStylish } from './format-stylish.js';
import type { ValidateReport } from './validate-report.js';

/**
 * The output formats of `crm-topics validate --format`.
 *
 * @example
 * VALIDATE_FORMATS.includes('github'); // true
 */
export const VALIDATE_FORMATS = ['stylish', 'json', 'github', 'sarif'] as const;

/**
 * One of {@link VALIDATE_FORMATS}.
 *
 * @example
 * const format: ValidateFormat = 'sarif';
 */
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/**
 * A validation report in the given format: `stylish` for people, `json`
 * (the report as it is), `github` (Actions annotations) or `sarif`.
 *
 * @example
 * io.stdout(formatReport(report, 'github', false));
 */
export function formatReport(report: ValidateReport, format: ValidateFormat, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'github') return formatGithub(report);
  if (format === 'sarif') return formatSarif(report);
  return formatStylish(report, color);
}
