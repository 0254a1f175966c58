import type { CompiledSalesTopic, CompiledStage } from './compiled-topic.js';

/** The diagram languages {@link topicDiagram} writes. */
export type DiagramFormat = 'mermaid' | 'dot';

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly cyclic: boolean;
}

const WON = 'won';
const LOST = 'lost';

/**
 * The topic as a diagram: stages in order with their limits, outcome names on
 * the arrows, cyclic arrows back into their stage (S9, S10), the positive and
 * negative finishes (S12), global outcomes drawn from every stage, and stages
 * without outcomes marked "negotiations ongoing" (S11). Mermaid renders in
 * GitHub and most docs sites; DOT renders with Graphviz.
 *
 * @example
 * fs.writeFileSync('topic.mmd', topicDiagram(compiled, 'mermaid'));
 */
export function topicDiagram(topic: CompiledSalesTopic, format: DiagramFormat = 'mermaid'): string {
  const node = new Map(topic.stageList.map((stage) => [stage.id, `s${stage.index}`]));
  const edges: Edge[] = topic.stageList.flatMap((stage) =>
    [...stage.outcomes.values()].map((outcome) => ({
      from: node.get(stage.id) as string,
      to: outcome.to === null ? (outcome.finish === 'positive' ? WON : LOST) : (node.get(outcome.to) as string),
      label: outcome.name,
      cyclic: outcome.cyclic,
    })),
  );
  const finishes = { won: edges.some((edge) => edge.to === WON), lost: edges.some((edge) => edge.to === LOST) };
  return format === 'dot' ? dot(topic, edges, finishes) : mermaid(topic, edges, finishes);
}

function stageLabel(stage: CompiledStage): string {
  const limit = stage.definition.maxDuration === undefined ? '' : ` (${stage.definition.maxDuration})`;
  return `${stage.name}${limit}${stage.negotiationsOngoing ? ' [negotiations ongoing]' : ''}`;
}

function mermaid(topic: CompiledSalesTopic, edges: readonly Edge[], finishes: { won: boolean; lost: boolean }): string {
  const text = (value: string) => value.replace(/["\n\r]/g, ' ').replace(/:/g, '∶');
  const lines = ['stateDiagram-v2', `  %% ${text(topic.definition.name)} v${topic.version}`];
  for (const stage of topic.stageList) lines.push(`  state "${text(stageLabel(stage))}" as s${stage.index}`);
  if (finishes.won) lines.push(`  state "Positive finish" as ${WON}`);
  if (finishes.lost) lines.push(`  state "Negative finish" as ${LOST}`);
  lines.push(`  [*] --> s${topic.firstStage.index}`);
  for (const edge of edges) lines.push(`  ${edge.from} --> ${edge.to}: ${text(edge.label)}${edge.cyclic ? ' ↺' : ''}`);
  if (finishes.won) lines.push(`  ${WON} --> [*]`);
  if (finishes.lost) lines.push(`  ${LOST} --> [*]`);
  const ongoing = topic.stageList.filter((stage) => stage.negotiationsOngoing);
  lines.push('  classDef positive fill:#d3f9d8,stroke:#2b8a3e', '  classDef negative fill:#ffe3e3,stroke:#c92a2a', '  classDef ongoing fill:#fff3bf,stroke:#e67700,stroke-dasharray: 4 4');
  if (finishes.won) lines.push(`  class ${WON} positive`);
  if (finishes.lost) lines.push(`  class ${LOST} negative`);
  if (ongoing.length > 0) lines.push(`  class ${ongoing.map((stage) => `s${stage.index}`).join(',')} ongoing`);
  return `${lines.join('\n')}\n`;
}

function dot(topic: CompiledSalesTopic, edges: readonly Edge[], finishes: { won: boolean; lost: boolean }): string {
  const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
  const lines = [
    `digraph ${quote(topic.id)} {`,
    `  label=${quote(`${topic.definition.name} v${topic.version}`)};`,
    '  rankdir=LR;',
    '  node [shape=box, style=rounded];',
    '  start [shape=point];',
  ];
  for (const stage of topic.stageList) {
    const style = stage.negotiationsOngoing ? ', style="rounded,dashed", color="#e67700"' : '';
    lines.push(`  s${stage.index} [label=${quote(stageLabel(stage))}${style}];`);
  }
  if (finishes.won) lines.push(`  ${WON} [label="Positive finish", shape=doublecircle, color="#2b8a3e"];`);
  if (finishes.lost) lines.push(`  ${LOST} [label="Negative finish", shape=doublecircle, color="#c92a2a"];`);
  lines.push(`  start -> s${topic.firstStage.index};`);
  for (const edge of edges) lines.push(`  ${edge.from} -> ${edge.to} [label=${quote(edge.label)}${edge.cyclic ? ', style=dashed' : ''}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
