import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { TopicChange } from '../migrate/diff.js';
import { htmlPage } from './html-page.js';
import type { PictureLocale } from './labels.js';
import { svgText } from './svg-text.js';
import { topicSvg } from './topic-svg.js';

/** Options for {@link diffHtml}. */
export interface DiffHtmlOptions {
  readonly locale?: PictureLocale;
}

const WORDS = {
  en: { heading: 'Topic changes', before: 'Before', after: 'After', type: 'Change', path: 'Where', what: 'What', none: 'No changes.', legend: 'Stages added (green), removed (red) or changed (yellow).', noPicture: 'Only sales topics have a picture.' },
  ru: { heading: 'Изменения темы', before: 'Было', after: 'Стало', type: 'Изменение', path: 'Где', what: 'Что', none: 'Изменений нет.', legend: 'Стадии добавлены (зелёный), удалены (красный) или изменены (жёлтый).', noPicture: 'Схема есть только у тем продаж.' },
} as const;

/** Light fills dark text keeps 7:1 on, as in the funnel page. */
const ADDED = '#d3f9d8';
const REMOVED = '#ffe3e3';
const CHANGED = '#fff3bf';

/** The stages a list of changes touches, as fills for the old and the new picture. */
function marks(changes: readonly TopicChange[]): { before: Map<string, string>; after: Map<string, string> } {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  for (const change of changes) {
    if (change.type === 'stage-added' && change.id !== undefined) after.set(change.id, ADDED);
    else if (change.type === 'stage-removed' && change.id !== undefined) before.set(change.id, REMOVED);
    else if (change.stageId !== undefined) {
      if (!before.has(change.stageId)) before.set(change.stageId, CHANGED);
      if (!after.has(change.stageId)) after.set(change.stageId, CHANGED);
    }
  }
  return { before, after };
}

/**
 * Two versions of a topic side by side as one self-contained page (inline
 * styles and SVG, no script, nothing fetched): each version's picture with
 * the stages it adds, removes or changes marked, and the list of changes
 * from `diffTopics`. English or Russian headings; the change messages are
 * `diffTopics`' own (English). Never throws.
 *
 * @example
 * fs.writeFileSync('diff.html', diffHtml(compileTopic(v1), compileTopic(v2), diffTopics(v1, v2), { locale: 'ru' }));
 */
export function diffHtml(before: CompiledTopic, after: CompiledTopic, changes: readonly TopicChange[], options: DiffHtmlOptions = {}): string {
  const locale = options.locale === 'ru' ? 'ru' : 'en';
  const words = WORDS[locale];
  const fills = marks(changes);
  const side = (topic: CompiledTopic, label: string, stageFills: ReadonlyMap<string, string>): string =>
    `<figure class="side">\n<figcaption>${svgText(`${label}: ${topic.definition.name} v${topic.version}`)}</figcaption>\n` +
    `${topic.kind === 'sales' ? topicSvg(topic, { locale, stageFills }).trimEnd() : `<p>${words.noPicture}</p>`}\n</figure>`;
  const rows = changes.map((change) => `<tr class="${svgText(change.type)}"><td>${svgText(change.type)}</td><td><code>${svgText(change.path)}</code></td><td>${svgText(change.message)}</td></tr>`);
  const title = `${words.heading}: ${before.definition.name} v${before.version} → v${after.version}`;
  return htmlPage({
    locale,
    title,
    css: `.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));gap:1.5rem}figcaption{font-weight:bold;margin-bottom:.5rem}
.legend span{display:inline-block;width:1em;height:1em;border:1px solid #495057;vertical-align:middle;margin:0 .25em}
td code{white-space:nowrap}`,
    body: `<h1>${svgText(title)}</h1>
<div class="sides">
${side(before, words.before, fills.before)}
${side(after, words.after, fills.after)}
</div>
<p class="legend"><span style="background:${ADDED}"></span><span style="background:${REMOVED}"></span><span style="background:${CHANGED}"></span>${words.legend}</p>
<h2>${words.heading} (${changes.length})</h2>
${rows.length === 0 ? `<p>${words.none}</p>` : `<table class="changes">\n<thead><tr><th scope="col">${words.type}</th><th scope="col">${words.path}</th><th scope="col">${words.what}</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`}`,
  });
}
