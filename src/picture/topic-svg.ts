import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import { arrowPath, loopPath } from './geometry.js';
import { pictureLabels, type PictureLocale } from './labels.js';
import { layoutTopic, PICTURE_METRICS, type PictureNode } from './layout.js';
import { plainText, svgText } from './svg-text.js';

/** Options for {@link topicSvg}. */
export interface TopicSvgOptions {
  /** The language of the fixed words ("Positive finish", limits…); English by default. */
  readonly locale?: PictureLocale;
  /** The heading; the topic's name and version by default. */
  readonly title?: string;
  /** Fill colours by stage id (say, by conversion); text stays dark, so keep them light. */
  readonly stageFills?: ReadonlyMap<string, string>;
}

/** Fill, stroke and text colours per node kind; every text colour has at least 7:1 contrast on its fill. */
const STYLE: Readonly<Record<PictureNode['kind'], { fill: string; stroke: string; text: string; dash?: string }>> = {
  stage: { fill: '#ffffff', stroke: '#343a40', text: '#212529' },
  ongoing: { fill: '#fff3bf', stroke: '#a35200', text: '#212529', dash: '6 4' },
  global: { fill: '#e7f5ff', stroke: '#1c5d99', text: '#212529' },
  positive: { fill: '#d3f9d8', stroke: '#2b8a3e', text: '#0b3d17' },
  negative: { fill: '#ffe3e3', stroke: '#c92a2a', text: '#5c0a0a' },
};

const ARROW_COLOUR: Readonly<Record<string, string>> = { positive: '#2b8a3e', negative: '#c92a2a' };

/**
 * The sales topic drawn as an SVG picture by the library itself, with no
 * browser and no network: stages left to right in procedure order (S7), with
 * their names, limits and own outcomes, wrapped into rows for long pipelines;
 * moves as arrows, cyclic outcomes as loops (S10), the positive and negative
 * finishes (S12), global outcomes drawn once, and "negotiations ongoing" stages
 * dashed (S11). All text is escaped. Never throws for a compiled topic.
 *
 * @example
 * fs.writeFileSync('topic.svg', topicSvg(compileTopic(standardTopic), { locale: 'ru' }));
 */
export function topicSvg(topic: CompiledSalesTopic, options: TopicSvgOptions = {}): string {
  const labels = pictureLabels(options.locale);
  const title = options.title ?? `${topic.definition.name} v${topic.version}`;
  const layout = layoutTopic(topic, labels, title);
  const byKey = new Map(layout.nodes.map((node) => [node.key, node]));
  const { margin, titleSize, lineGap, columnGap } = PICTURE_METRICS;
  const description = `${labels.stages(topic.stageList.length)}: ${topic.stageList.map((stage) => plainText(stage.name)).join(' → ')}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-labelledby="topic-title topic-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`,
    `<title id="topic-title">${svgText(title)}</title>`,
    `<desc id="topic-desc">${svgText(description)}</desc>`,
    '<defs>',
    ...['default', 'positive', 'negative'].map(
      (name) => `<marker id="arrow-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${ARROW_COLOUR[name] ?? '#495057'}"/></marker>`,
    ),
    '</defs>',
    `<rect width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`,
  ];
  layout.titleLines.forEach((line, index) => {
    out.push(`<text x="${margin}" y="${margin + (index + 1) * titleSize + index * lineGap}" font-size="${titleSize}" font-weight="bold" fill="#212529">${svgText(line)}</text>`);
  });
  out.push('<g class="arrows" fill="none" stroke-width="1.5">');
  for (const arrow of layout.arrows) {
    const from = byKey.get(arrow.from);
    const to = byKey.get(arrow.to);
    if (from === undefined || to === undefined) continue;
    const kind = to.kind === 'positive' || to.kind === 'negative' ? to.kind : 'default';
    const colour = ARROW_COLOUR[kind] ?? '#495057';
    const path = arrow.loop ? loopPath(from.box) : arrowPath(from.box, to.box, columnGap);
    out.push(`<path class="${arrow.loop ? 'loop' : 'move'}" data-from="${svgText(arrow.from)}" data-to="${svgText(arrow.to)}" d="${path}" stroke="${colour}" marker-end="url(#arrow-${kind})"><title>${svgText(arrow.label)}</title></path>`);
  }
  out.push('</g>');
  for (const node of layout.nodes) {
    const fill = node.key.startsWith('stage:') ? options.stageFills?.get(node.key.slice('stage:'.length)) : undefined;
    const style = fill === undefined || !/^#[0-9a-f]{6}$/i.test(fill) ? STYLE[node.kind] : { ...STYLE[node.kind], fill };
    const { x, y, width, height } = node.box;
    out.push(`<g class="node ${node.kind}" data-key="${svgText(node.key)}">`);
    out.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="8" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"${style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`}/>`);
    for (const line of node.lines) {
      out.push(`<text x="${x + PICTURE_METRICS.padding}" y="${y + line.baseline}" font-size="${line.size}"${line.bold ? ' font-weight="bold"' : ''} fill="${style.text}">${svgText(line.text)}</text>`);
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
