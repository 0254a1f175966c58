import { describe, expect, it } from 'vitest';
import { topicDiagram } from '../../src/index.js';
import { compileSales, standard } from '../support.js';

describe('topicDiagram', () => {
  it('draws every stage, outcome arrow, cyclic arrow and finish of the standard topic in Mermaid', () => {
    const text = topicDiagram(standard());
    expect(text.split('\n').slice(0, 3)).toEqual(['stateDiagram-v2', '  %% Стандартная тема v1', '  state "Новый (P1D)" as s0']);
    expect(text).toContain('  s1 --> s1: Не удалось связаться с клиентом ↺');
    expect(text).toContain('  s4 --> won: Товар отгружен');
    // The global refusal leaves from every stage.
    for (const stage of ['s0', 's1', 's2', 's3', 's4']) expect(text).toContain(`  ${stage} --> lost: Отказ`);
    expect(text).toContain('  class won positive');
  });

  it('escapes labels in DOT and leaves out a finish nobody reaches', () => {
    const topic = compileSales({
      id: 'quotes',
      name: 'Say "hi" \\ now',
      kind: 'sales',
      stages: [
        { id: 'a', name: 'A "first"', outcomes: [{ id: 'next', name: 'Go \\ on', to: 'b' }] },
        { id: 'b', name: 'B', outcomes: [{ id: 'won', name: 'Won', finish: 'positive' }] },
      ],
    });
    const dot = topicDiagram(topic, 'dot');
    expect(dot).toContain('label="Say \\"hi\\" \\\\ now v1";');
    expect(dot).toContain('s0 [label="A \\"first\\""];');
    expect(dot).toContain('s0 -> s1 [label="Go \\\\ on"];');
    expect(dot).toContain('won [label="Positive finish"');
    expect(dot).not.toContain('lost');
    expect(topicDiagram(topic, 'mermaid')).not.toContain('lost');
  });
});
