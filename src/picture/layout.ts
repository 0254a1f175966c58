import type { CompiledOutcome, CompiledSalesTopic, CompiledStage } from '../compile/compiled-topic.js';
import type { Box } from './geometry.js';
import type { PictureLabels } from './labels.js';
import { plainText } from './svg-text.js';
import { wrapText } from './text-width.js';

/** The sizes a picture is laid out with, in pixels. */
export const PICTURE_METRICS = {
  boxWidth: 200,
  padding: 10,
  titleSize: 16,
  nameSize: 13,
  textSize: 11,
  lineGap: 4,
  columnGap: 56,
  rowGap: 64,
  margin: 24,
  maxNameLines: 3,
  maxOutcomeLines: 6,
  maxColumns: 5,
} as const;

/** One line of text inside a node, its baseline relative to the node's top. */
export interface NodeLine {
  readonly text: string;
  readonly size: number;
  readonly bold: boolean;
  readonly baseline: number;
}

/** A drawn node: a stage, a finish or the global outcomes. */
export interface PictureNode {
  readonly key: string;
  readonly kind: 'stage' | 'ongoing' | 'positive' | 'negative' | 'global';
  readonly box: Box;
  readonly lines: readonly NodeLine[];
}

/** An arrow between two nodes; `loop` when it returns to its own stage. */
export interface PictureArrow {
  readonly from: string;
  readonly to: string;
  readonly loop: boolean;
  readonly label: string;
}

/** A laid-out picture: its size, title lines, nodes and arrows. */
export interface PictureLayout {
  readonly width: number;
  readonly height: number;
  readonly titleLines: readonly string[];
  readonly nodes: readonly PictureNode[];
  readonly arrows: readonly PictureArrow[];
}

const POSITIVE = 'finish:positive';
const NEGATIVE = 'finish:negative';
const GLOBAL = 'global';

const targetKey = (outcome: CompiledOutcome) => (outcome.to === null ? (outcome.finish === 'positive' ? POSITIVE : NEGATIVE) : `stage:${outcome.to}`);

function outcomeMark(outcome: CompiledOutcome, stage: CompiledStage | null): string {
  if (outcome.to === null) return outcome.finish === 'positive' ? '✓' : '✗';
  return stage !== null && outcome.to === stage.id ? '↺' : '→';
}

function textLines(entries: readonly { text: string; size: number; bold: boolean; maxLines: number }[]): { lines: NodeLine[]; height: number } {
  const { padding, boxWidth, lineGap } = PICTURE_METRICS;
  const lines: NodeLine[] = [];
  let y = padding;
  for (const entry of entries) {
    for (const text of wrapText(plainText(entry.text), boxWidth - 2 * padding, entry.size, entry.maxLines)) {
      y += entry.size;
      lines.push({ text, size: entry.size, bold: entry.bold, baseline: y });
      y += lineGap;
    }
  }
  return { lines, height: y - lineGap + padding };
}

function outcomeEntries(outcomes: readonly CompiledOutcome[], stage: CompiledStage | null, labels: PictureLabels) {
  const { textSize, maxOutcomeLines } = PICTURE_METRICS;
  const shown = outcomes.length > maxOutcomeLines ? outcomes.slice(0, maxOutcomeLines - 1) : outcomes;
  const entries = shown.map((outcome) => ({ text: `${outcomeMark(outcome, stage)} ${outcome.name}`, size: textSize, bold: false, maxLines: 2 }));
  if (shown.length < outcomes.length) entries.push({ text: labels.more(outcomes.length - shown.length), size: textSize, bold: false, maxLines: 1 });
  return entries;
}

function stageEntries(stage: CompiledStage, labels: PictureLabels) {
  const { nameSize, textSize, maxNameLines } = PICTURE_METRICS;
  const limits = [
    stage.definition.maxDuration === undefined ? null : `${labels.limit} ${stage.definition.maxDuration}`,
    stage.definition.idleLimit === undefined ? null : `${labels.idle} ${stage.definition.idleLimit}`,
  ].filter((part) => part !== null);
  const own = [...stage.outcomes.values()].filter((outcome) => !outcome.global);
  return [
    { text: `${stage.index + 1}. ${stage.name}`, size: nameSize, bold: true, maxLines: maxNameLines },
    ...(limits.length > 0 ? [{ text: limits.join(' · '), size: textSize, bold: false, maxLines: 1 }] : []),
    ...(stage.negotiationsOngoing ? [{ text: labels.ongoing, size: textSize, bold: false, maxLines: 1 }] : []),
    ...outcomeEntries(own, stage, labels),
  ];
}

/**
 * Lays a sales topic out for drawing: stages left to right in procedure order
 * (S7), wrapped into rows of at most five (boxes of a row share its height) so forty
 * stages stay readable, then
 * a last row with the global outcomes (drawn once) and the positive and
 * negative finishes (S12). Text is wrapped to the box width; boxes never overlap.
 *
 * @example
 * layoutTopic(compileTopic(standardTopic), pictureLabels('en'), 'Standard').nodes.length; // 8
 */
export function layoutTopic(topic: CompiledSalesTopic, labels: PictureLabels, title: string): PictureLayout {
  const { boxWidth, columnGap, rowGap, margin, titleSize, lineGap, maxColumns } = PICTURE_METRICS;
  const columns = Math.min(maxColumns, Math.max(topic.stageList.length, 3));
  const contentWidth = columns * boxWidth + (columns - 1) * columnGap;
  const titleLines = wrapText(plainText(title), contentWidth, titleSize, 2);
  const globals = [...topic.globalOutcomes.values()];
  const arrows: PictureArrow[] = [];
  const seen = new Set<string>();
  const addArrow = (from: string, outcome: CompiledOutcome) => {
    const to = targetKey(outcome);
    const key = `${from}>${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    arrows.push({ from, to, loop: from === to, label: outcome.name });
  };
  const measured: { key: string; kind: PictureNode['kind']; lines: NodeLine[]; height: number }[] = topic.stageList.map((stage) => {
    const key = `stage:${stage.id}`;
    for (const outcome of stage.outcomes.values()) if (!outcome.global) addArrow(key, outcome);
    return { key, kind: stage.negotiationsOngoing ? 'ongoing' : 'stage', ...textLines(stageEntries(stage, labels)) };
  });
  const last: typeof measured = [];
  if (globals.length > 0) {
    for (const outcome of globals) addArrow(GLOBAL, outcome);
    last.push({ key: GLOBAL, kind: 'global', ...textLines([{ text: labels.anyStage, size: PICTURE_METRICS.nameSize, bold: true, maxLines: 2 }, ...outcomeEntries(globals, null, labels)]) });
  }
  const targets = new Set(arrows.map((arrow) => arrow.to));
  if (targets.has(POSITIVE)) last.push({ key: POSITIVE, kind: 'positive', ...textLines([{ text: labels.positive, size: PICTURE_METRICS.nameSize, bold: true, maxLines: 2 }]) });
  if (targets.has(NEGATIVE)) last.push({ key: NEGATIVE, kind: 'negative', ...textLines([{ text: labels.negative, size: PICTURE_METRICS.nameSize, bold: true, maxLines: 2 }]) });

  const rows: (typeof measured)[] = [];
  for (let start = 0; start < measured.length; start += columns) rows.push(measured.slice(start, start + columns));
  if (last.length > 0) rows.push(last);
  const nodes: PictureNode[] = [];
  let y = margin + titleLines.length * (titleSize + lineGap) + rowGap / 2;
  for (const row of rows) {
    const height = Math.max(...row.map((entry) => entry.height));
    row.forEach((entry, column) => {
      nodes.push({ key: entry.key, kind: entry.kind, lines: entry.lines, box: { x: margin + column * (boxWidth + columnGap), y, width: boxWidth, height } });
    });
    y += height + rowGap;
  }
  return { width: contentWidth + 2 * margin, height: y - rowGap + margin, titleLines, nodes, arrows };
}
