import { describe, expect, it } from 'vitest';

import { applyEvent, diffTopics, openDeal, topicDiagram } from '../../src/index.js';
import { jsonLocations } from '../../src/cli/json-locations.js';
import { MONDAY, compileSales, manager } from '../support.js';

const russian = {
  kind: 'sales',
  id: 'новые-клиенты',
  name: 'Новые клиенты',
  maxDuration: 'P30D',
  stages: [
    { id: 'знакомство', name: 'Знакомство', maxDuration: 'P2D', outcomes: [{ id: 'интерес', name: 'Клиент заинтересован', to: 'счёт' }, { id: 'недозвон', name: 'Не дозвонились', to: 'знакомство' }] },
    { id: 'счёт', name: 'Счёт', maxDuration: 'P5D', outcomes: [{ id: 'оплачено', name: 'Оплачено', finish: 'positive' }] },
  ],
  globalOutcomes: [{ id: 'отказ', name: 'Отказ', finish: 'negative' }],
};

describe('Russian stage ids (issue 16 item 6)', () => {
  const topic = compileSales(russian);

  it('compile, open a deal and move it by Russian outcome ids', () => {
    const opened = openDeal(topic, { id: 'сделка-1', clientId: 'клиент-1', ownerId: manager.id, at: MONDAY });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.deal.stageId).toBe('знакомство');
    const moved = applyEvent(topic, opened.deal, { type: 'recordOutcome', outcomeId: 'интерес', at: MONDAY + 1, actor: manager });
    expect(moved.ok && moved.deal.stageId).toBe('счёт');
  });

  it('the Mermaid and DOT diagrams keep ids out of node names', () => {
    const mermaid = topicDiagram(topic, 'mermaid');
    expect(mermaid).toContain('state "Знакомство (P2D)" as s0');
    expect(mermaid).not.toMatch(/знакомство|счёт/); // ids never appear; the names do, quoted
    expect(topicDiagram(topic, 'dot')).toContain('digraph "новые-клиенты"');
  });

  it('diffTopics names Russian ids', () => {
    const next = compileSales({ ...russian, version: 2, stages: [russian.stages[0], { ...russian.stages[1], id: 'оплата' }].map((stage, index) => (index === 0 ? { ...stage, outcomes: [{ id: 'интерес', name: 'Клиент заинтересован', to: 'оплата' }] } : stage)) });
    const ids = diffTopics(topic.definition, next.definition).map((change) => ('id' in change ? change.id : undefined));
    expect(ids).toContain('оплата');
    expect(ids).toContain('счёт');
  });

  it('JSON locations climb Unicode dot keys instead of jumping to the top', () => {
    const offsetOf = jsonLocations('{"stages":[{"id":"счёт"}]}');
    expect(offsetOf('stages[0].имя')).toBe(offsetOf('stages[0]'));
    expect(offsetOf('stages[0]')).toBe(11);
  });
});
