import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import type { FunnelReport } from '../report/funnel.js';
import type { PictureLocale } from './labels.js';
import { htmlPage } from './html-page.js';
import { svgText } from './svg-text.js';
import { topicSvg } from './topic-svg.js';

/** Options for {@link funnelHtml}. */
export interface FunnelHtmlOptions {
  readonly locale?: PictureLocale;
  /** The page heading; the topic's name by default. */
  readonly title?: string;
}

const WORDS = {
  en: {
    report: 'Funnel report',
    deals: 'Deals',
    winRate: 'Win rate',
    positive: 'Won',
    negative: 'Lost',
    open: 'Open',
    stage: 'Stage',
    entered: 'Entered',
    toNext: 'To next stage',
    median: 'Median time',
    p90: 'p90 time',
    limit: 'Limit',
    overdue: 'Overdue',
    losses: 'Loss reasons',
    outcome: 'Outcome',
    share: 'Share',
    none: 'no losses',
    diagram: 'The pipeline, stages coloured by conversion to the next stage (red low, green high)',
    day: 'd',
    hour: 'h',
  },
  ru: {
    report: 'Отчёт по воронке',
    deals: 'Сделок',
    winRate: 'Доля выигранных',
    positive: 'Выиграно',
    negative: 'Проиграно',
    open: 'В работе',
    stage: 'Стадия',
    entered: 'Вошло',
    toNext: 'В следующую стадию',
    median: 'Медиана времени',
    p90: 'p90 времени',
    limit: 'Лимит',
    overdue: 'Просрочено',
    losses: 'Причины проигрыша',
    outcome: 'Итог',
    share: 'Доля',
    none: 'проигрышей нет',
    diagram: 'Схема темы, стадии окрашены по конверсии в следующую стадию (красный — низкая, зелёный — высокая)',
    day: 'дн',
    hour: 'ч',
  },
} as const;

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);

function duration(ms: number | null, words: (typeof WORDS)['en' | 'ru']): string {
  if (ms === null) return '—';
  const hours = ms / 3_600_000;
  return hours >= 24 ? `${(hours / 24).toFixed(1)} ${words.day}` : `${hours.toFixed(1)} ${words.hour}`;
}

/**
 * A stage fill for a conversion rate, light red (0) to light green (1): dark
 * text keeps a contrast above 7:1 on every shade.
 *
 * @example
 * conversionFill(1); // '#d3f9d8'
 */
export function conversionFill(rate: number): string {
  const mix = (from: number, to: number) => Math.round(from + (to - from) * Math.min(Math.max(rate, 0), 1)).toString(16).padStart(2, '0');
  return `#${mix(0xff, 0xd3)}${mix(0xe3, 0xf9)}${mix(0xe3, 0xd8)}`;
}

/**
 * The funnel report as one self-contained HTML page (inline styles, the
 * diagram as inline SVG, nothing fetched): the pipeline coloured by conversion,
 * the funnel per stage with median and p90 time against the limit and the
 * overdue rate, the win rate and the loss reasons; English or Russian; prints
 * well. Depends only on the report's output shape. Never throws.
 *
 * @example
 * fs.writeFileSync('report.html', funnelHtml(simulate(topic, { deals: 1000, seed: '1' }).report, topic, { locale: 'ru' }));
 */
export function funnelHtml(report: FunnelReport, topic: CompiledSalesTopic, options: FunnelHtmlOptions = {}): string {
  const locale = options.locale === 'ru' ? 'ru' : 'en';
  const words = WORDS[locale];
  const title = options.title ?? `${topic.definition.name} v${topic.version}`;
  const fills = new Map(report.stages.flatMap((stage) => (stage.toNext === null ? [] : [[stage.stageId, conversionFill(stage.toNext)] as const])));
  const names = new Map(topic.stageList.map((stage) => [stage.id, stage.name]));
  const outcomeNames = new Map([...topic.stageList.flatMap((stage) => [...stage.outcomes.values()]), ...topic.globalOutcomes.values()].map((outcome) => [outcome.id, outcome.name]));
  const widest = Math.max(1, ...report.stages.map((stage) => stage.deals));
  const rows = report.stages.map(
    (stage) =>
      `<tr><th scope="row">${svgText(`${stage.index + 1}. ${names.get(stage.stageId) ?? stage.stageId}`)}</th>` +
      `<td class="num"><span class="bar" style="width:${Math.round((stage.deals / widest) * 100)}%"></span>${stage.deals}</td>` +
      `<td class="num">${percent(stage.toNext)}</td><td class="num">${duration(stage.medianTime, words)}</td><td class="num">${duration(stage.p90Time, words)}</td>` +
      `<td>${svgText(stage.limit ?? '—')}</td><td class="num">${percent(stage.overdueRate)}</td></tr>`,
  );
  const losses = report.finishesByOutcome.filter((finish) => finish.result === 'negative');
  const lossRows = losses.map((finish) => `<tr><th scope="row">${svgText(outcomeNames.get(finish.outcomeId) ?? finish.outcomeId)}</th><td class="num">${finish.count}</td><td class="num">${percent(finish.share)}</td></tr>`);
  return htmlPage({
    locale,
    title: `${words.report}: ${title}`,
    css: `dl.summary{display:flex;flex-wrap:wrap;gap:1rem 2rem}dl.summary div{min-width:7rem}dt{font-size:.85rem;color:#495057}dd{margin:0;font-size:1.4rem;font-weight:bold}
.bar{position:absolute;left:0;top:15%;height:70%;background:#d0ebff;z-index:-1}`,
    body: `<h1>${svgText(`${words.report}: ${title}`)}</h1>
<dl class="summary">
<div><dt>${words.deals}</dt><dd data-value="deals">${report.deals}</dd></div>
<div><dt>${words.winRate}</dt><dd data-value="win-rate">${percent(report.winRate)}</dd></div>
<div><dt>${words.positive}</dt><dd data-value="positive">${report.positive}</dd></div>
<div><dt>${words.negative}</dt><dd data-value="negative">${report.negative}</dd></div>
<div><dt>${words.open}</dt><dd data-value="open">${report.open}</dd></div>
</dl>
<figure>
${topicSvg(topic, { locale, title, stageFills: fills }).trimEnd()}
<figcaption>${words.diagram}</figcaption>
</figure>
<h2>${words.report}</h2>
<table class="funnel">
<thead><tr><th scope="col">${words.stage}</th><th scope="col">${words.entered}</th><th scope="col">${words.toNext}</th><th scope="col">${words.median}</th><th scope="col">${words.p90}</th><th scope="col">${words.limit}</th><th scope="col">${words.overdue}</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>${words.losses}</h2>
${lossRows.length === 0 ? `<p>${words.none}</p>` : `<table class="losses">\n<thead><tr><th scope="col">${words.outcome}</th><th scope="col">${words.negative}</th><th scope="col">${words.share}</th></tr></thead>\n<tbody>\n${lossRows.join('\n')}\n</tbody>\n</table>`}`,
  });
}
