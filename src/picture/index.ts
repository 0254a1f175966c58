/** The pictures: a topic as SVG and a funnel report as an HTML page (issue 18). */
export { funnelHtml, type FunnelHtmlOptions } from './funnel-html.js';
export type { PictureLocale } from './labels.js';
export { topicSvg, type TopicSvgOptions } from './topic-svg.js';
