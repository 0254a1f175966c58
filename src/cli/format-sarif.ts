import type { ValidateReport } from './validate-report.js';

/** Where the tool's documentation is, for SARIF viewers. */
const INFORMATION_URI = 'https://github.com/crm-topics/crm-topics/blob/main/docs/cli.md';

/**
 * The `sarif` format of `crm-topics validate`: a SARIF 2.1.0 log (one run,
 * a rule per issue code, a result per issue with its file, line and
 * column), as GitHub code scanning and other SARIF viewers read it.
 *
 * @example
 * JSON.parse(formatSarif(report)).runs[0].results[0];
 * // { ruleId: 'unknown_stage', level: 'error', message: { text: 'Stage "nowhere" does not exist' }, locations: [...] }
 */
export function formatSarif(report: ValidateReport): string {
  const rules = [...new Set(report.files.flatMap((file) => file.issues.map((issue) => issue.code)))].sort();
  const results = report.files.flatMap((file) =>
    file.issues.map((issue) => ({
      ruleId: issue.code,
      level: issue.severity === 'error' ? 'error' : 'warning',
      message: { text: issue.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: file.file.replaceAll('\\', '/') },
            ...(issue.line === undefined ? {} : { region: { startLine: issue.line, startColumn: issue.column ?? 1 } }),
          },
          ...(issue.path === '' ? {} : { logicalLocations: [{ fullyQualifiedName: issue.path }] }),
        },
      ],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'crm-topics', informationUri: INFORMATION_URI, rules: rules.map((id) => ({ id })) } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
