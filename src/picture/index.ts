/** The pictures: a topic as SVG and a funnel report as an HTML page , and two versions of a topic side by side. */
export { diffHtml, type DiffHtmlOptions } from './diff-html.js';
export { funnelHtml, type FunnelHtmlOptions } from './funnel-html.js';
export type { PictureLocale } from './labels.js';
export { topicSvg, type TopicSvgOptions } from './topic-svg.js';
