import type { PictureLocale } from './labels.js';
import { svgText } from './svg-text.js';

/** The look every page shares: readable type, pictures that shrink to the window, tables, print rules. */
const BASE_CSS = `body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#212529;background:#fff;margin:1.5rem;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
figure{margin:0;overflow-x:auto}svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin-top:.5rem}th,td{border-bottom:1px solid #dee2e6;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;position:relative}
@media print{body{margin:0}figure{overflow:visible}h2{break-after:avoid}table,figure{break-inside:avoid}}`;

/**
 * One self-contained HTML page: inline styles only, no script, nothing
 * fetched. `title` is escaped here; `body` is markup the caller escaped.
 *
 * @example
 * htmlPage({ locale: 'en', title: 'Report', css: '', body: '<h1>Report</h1>' }).startsWith('<!doctype html>'); // true
 */
export function htmlPage(page: { readonly locale: PictureLocale; readonly title: string; readonly css: string; readonly body: string }): string {
  return `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${svgText(page.title)}</title>
<style>
${BASE_CSS}${page.css === '' ? '' : `\n${page.css}`}
</style>
</head>
<body>
${page.body.trimEnd()}
</body>
</html>
`;
}
