import type { ValidateReport } from './validate-report.js';

/**
 * The `github` format of `crm-topics validate`: one GitHub Actions workflow
 * command per issue (`::error file=…,line=…,col=…,title=…::message`), which
 * the Actions runner shows as an annotation on the file's line. Values are
 * escaped as the runner expects (`%`, CR and LF everywhere; `:` and `,` in
 * properties too).
 *
 * @example
 * formatGithub(report);
 * // ::error file=topics/broken.json,line=3,col=12,title=unknown_stage (globalOutcomes[0].to)::Stage "nowhere" does not exist
 */
export function formatGithub(report: ValidateReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const issue of file.issues) {
      const properties = [`file=${property(file.file)}`];
      if (issue.line !== undefined) properties.push(`line=${issue.line}`, `col=${issue.column ?? 1}`);
      properties.push(`title=${property(issue.path === '' ? issue.code : `${issue.code} (${issue.path})`)}`);
      lines.push(`::${issue.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${data(issue.message)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function data(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function property(text: string): string {
  return data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
