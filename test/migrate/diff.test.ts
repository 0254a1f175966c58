import { describe, expect, it } from 'vitest';
import { parseTopic, standardTopic } from '../../src/index.js';
import { diffTopics, type TopicChange } from '../../src/migrate/diff.js';
import { next } from './helpers.js';

const brief = (changes: readonly TopicChange[]) => changes.map((change) => `${change.type}@${change.path}`);

describe('diffTopics', () => {
  it('finds nothing between a version and itself, or an edit undone', () => {
    expect(diffTopics(standardTopic, standardTopic)).toEqual([]);
    expect(diffTopics(standardTopic, parseTopic(structuredClone(standardTopic)))).toEqual([]);
    const renamed = next(standardTopic, { op: 'updateStage', stageId: 'offer', changes: { name: 'КП' } });
    const back = next(renamed, { op: 'updateStage', stageId: 'offer', changes: { name: standardTopic.stages[2]?.name } });
    expect(back.version).toBe(3); // the version is not a change
    expect(diffTopics(standardTopic, back)).toEqual([]);
  });

  it('S6, S7: stages added, removed, renamed, with limits and comments changed, each with a path and a message', () => {
    const v2 = next(standardTopic, [
      { op: 'addStage', index: 3, stage: { id: 'contract', name: 'Договор', maxDuration: 'P2D', outcomes: [{ id: 'signed', name: 'Подписан', to: 'payment' }] } },
      { op: 'updateOutcome', stageId: 'offer', outcomeId: 'accepted', changes: { to: 'contract' } },
      { op: 'updateStage', stageId: 'acquaintance', changes: { name: 'Квалификация', maxDuration: 'P1D', idleLimit: null, comment: 'Позвоните.' } },
      { op: 'removeStage', stageId: 'shipment', redirectTo: 'payment' },
      { op: 'addOutcome', stageId: 'payment', outcome: { id: 'shipped', name: 'Отгружено', finish: 'positive' } },
    ]);
    const changes = diffTopics(standardTopic, v2);
    expect(brief(changes)).toEqual([
      'stage-removed@stages[4]',
      'stage-renamed@stages[1].name',
      'stage-limit-changed@stages[1].maxDuration',
      'stage-limit-changed@stages[1].idleLimit',
      'stage-changed@stages[1].comment',
      'outcome-retargeted@stages[2].outcomes[0].to',
      'stage-added@stages[3]',
      'outcome-retargeted@stages[4].outcomes[0].to',
      'outcome-added@stages[4].outcomes[2]',
    ]);
    expect(changes[0]).toMatchObject({ stageId: 'shipment', rule: 'S7', message: 'Stage "shipment" ("Отгрузка") removed (was at position 5).' });
    expect(changes[1]).toMatchObject({ before: 'Знакомство', after: 'Квалификация', message: 'Stage "acquaintance" renamed: "Знакомство" → "Квалификация".' });
    expect(changes[2]).toMatchObject({ rule: 'S6', property: 'maxDuration', before: 'P2D', after: 'P1D', message: 'Stage "acquaintance": maxDuration P2D → P1D.' });
    expect(changes[3]).toMatchObject({ property: 'idleLimit', before: 'P1D', message: 'Stage "acquaintance": idleLimit P1D → none.' });
    expect(changes[3]).not.toHaveProperty('after');
    expect(changes[5]).toMatchObject({
      stageId: 'offer',
      id: 'accepted',
      rule: 'S9',
      before: { to: 'payment' },
      after: { to: 'contract' },
      message: 'Outcome "accepted" of stage "offer" now moves to "contract" (was: moves to "payment").',
    });
    expect(changes[6]).toMatchObject({ stageId: 'contract', message: 'Stage "contract" ("Договор") added at position 4.', after: expect.objectContaining({ id: 'contract' }) });
    // "paid" moved to the removed shipment; redirected to its own stage, it is now cyclic.
    expect(changes[7]).toMatchObject({ id: 'paid', rule: 'S9', message: 'Outcome "paid" of stage "payment" now moves to "payment" (was: moves to "shipment").' });
    expect(JSON.parse(JSON.stringify(changes))).toEqual(changes);
  });

  it('S7: a reorder lists only the stages that changed place', () => {
    // Of two swapped stages, one moved: the first of them keeps its place.
    const swapped = next(standardTopic, [{ op: 'moveStage', stageId: 'shipment', index: 3 }]);
    expect(diffTopics(standardTopic, swapped).map((change) => [change.type, change.id, change.before, change.after, change.message])).toEqual([
      ['stage-moved', 'payment', 3, 4, 'Stage "payment" moved from position 4 to 5.'],
    ]);
    const first = next(standardTopic, [
      { op: 'moveStage', stageId: 'offer', index: 0 },
      { op: 'updateOutcome', stageId: 'acquaintance', outcomeId: 'interested', changes: { to: 'new' } },
      { op: 'updateOutcome', stageId: 'new', outcomeId: 'qualified', changes: { to: 'acquaintance' } },
      { op: 'updateOutcome', stageId: 'offer', outcomeId: 'accepted', changes: { to: 'new' } },
      { op: 'addOutcome', stageId: 'new', outcome: { id: 'to-payment', name: 'К оплате', to: 'payment' } },
    ]);
    expect(diffTopics(standardTopic, first).filter((change) => change.type === 'stage-moved').map((change) => change.id)).toEqual(['offer']);
    const inserted = next(standardTopic, [
      { op: 'addStage', index: 1, stage: { id: 'triage', name: 'Сортировка', outcomes: [{ id: 'go', name: 'Дальше', to: 'acquaintance' }] } },
      { op: 'updateOutcome', stageId: 'new', outcomeId: 'qualified', changes: { to: 'triage' } },
    ]);
    // Everything after the new stage shifted, but nothing moved.
    expect(diffTopics(standardTopic, inserted).map((change) => change.type)).toEqual(['outcome-retargeted', 'stage-added']);
  });

  it('S8, S12: outcomes added, removed, retargeted, turned into finishes and otherwise changed, global ones included', () => {
    const v2 = next(standardTopic, [
      { op: 'removeOutcome', stageId: 'acquaintance', outcomeId: 'no-answer' },
      { op: 'updateOutcome', stageId: 'payment', outcomeId: 'awaiting-payment', changes: { finish: 'negative', commentRequired: true } },
      { op: 'updateOutcome', stageId: null, outcomeId: 'refused', changes: { kinds: ['too-expensive'] } },
      { op: 'addOutcome', stageId: null, outcome: { id: 'restart', name: 'Сначала', to: 'new' } },
    ]);
    const changes = diffTopics(standardTopic, v2);
    expect(brief(changes)).toEqual([
      'outcome-removed@stages[1].outcomes[1]',
      'outcome-retargeted@stages[3].outcomes[1].finish',
      'outcome-changed@stages[3].outcomes[1].commentRequired',
      'outcome-changed@stages[3].outcomes[1].restartsStageClock',
      'outcome-changed@globalOutcomes[0].kinds',
      'outcome-added@globalOutcomes[1]',
    ]);
    expect(changes[1]).toMatchObject({ rule: 'S12', before: { to: 'payment' }, after: { finish: 'negative' }, message: 'Outcome "awaiting-payment" of stage "payment" now finishes negatively (was: moves to "payment").' });
    expect(changes[4]).toMatchObject({ rule: 'S27', after: ['too-expensive'], message: 'Global outcome "refused": kinds none → ["too-expensive"].' });
    expect(changes[4]).not.toHaveProperty('stageId');
    expect(changes[5]?.message).toBe('Global outcome "restart" ("Сначала") added: moves to "new".');
  });

  it('S24, S25, S27–S29, S32–S35: limits, approval, kinds, fields, documents and parameters', () => {
    const v2 = next(standardTopic, [
      { op: 'updateTopic', changes: { maxDuration: 'P45D', name: 'Продажи' } },
      { op: 'setDeadlineChange', deadlineChange: { approval: 'required', approvers: [{ userId: 'ceo' }] } },
      { op: 'addOutcomeKind', kind: { id: 'budget', name: 'Нет бюджета', polarity: 'negative' } },
      { op: 'removeOutcomeKind', kindId: 'unreachable' },
      { op: 'updateOutcomeKind', kindId: 'other', changes: { name: 'Иное' } },
      { op: 'addField', field: { id: 'volume', name: 'Объём', type: 'number' } },
      { op: 'updateField', fieldId: 'carrier', changes: { maxLength: null } },
      { op: 'updateStage', stageId: 'shipment', changes: { requiredFields: ['carrier'] } },
      { op: 'removeDocument', documentId: 'offer-template' },
      { op: 'setParameters', parameters: { concurrentDeals: 'allowed', planning: 'mandatory', closeOn: { on: 'business-event', events: ['goods-shipped'] }, afterClose: { plannedActivities: 'keep' } } },
    ]);
    const changes = diffTopics(standardTopic, v2);
    expect(changes.map((change) => [change.type, change.path, change.rule])).toEqual([
      ['topic-changed', 'name', 'S3'],
      ['deal-limit-changed', 'maxDuration', 'S24'],
      ['deadline-approval-changed', 'deadlineChange', 'S25'],
      ['required-fields-changed', 'stages[4].requiredFields', 'S29'],
      ['outcome-kind-removed', 'outcomeKinds[3]', 'S27'],
      ['outcome-kind-changed', 'outcomeKinds[3].name', 'S27'],
      ['outcome-kind-added', 'outcomeKinds[4]', 'S27'],
      ['field-changed', 'fields[1].maxLength', 'S29'],
      ['field-added', 'fields[2]', 'S29'],
      ['document-removed', 'documents[0]', 'S28'],
      ['parameter-changed', 'parameters.concurrentDeals', 'S32'],
      ['parameter-changed', 'parameters.planning', 'S33'],
      ['parameter-changed', 'parameters.closeOn', 'S34'],
      ['parameter-changed', 'parameters.afterClose.plannedActivities', 'S35'],
    ]);
    expect(changes.map((change) => change.message)).toEqual([
      'Topic name: Стандартная тема → Продажи.',
      'Maximum deal duration: P30D → P45D.',
      'Deadline changes: approval by role director → approval by user ceo.',
      'Stage "shipment" now requires carrier.',
      'Outcome kind "unreachable" ("Не выходит на связь") removed.',
      'Outcome kind "other": name Другое → Иное.',
      'Outcome kind "budget" ("Нет бюджета") added.',
      'Field "carrier": maxLength 200 → none.',
      'Field "volume" ("Объём") added.',
      'Document "offer-template" ("Коммерческое предложение") removed.',
      'Parameter concurrentDeals: forbidden → allowed.',
      'Parameter planning: optional → mandatory.',
      'Parameter closeOn: {"on":"finish"} → {"on":"business-event","events":["goods-shipped"]}.',
      'Parameter afterClose.plannedActivities: cancel → keep.',
    ]);
  });

  it('S23: topics of different kinds compare by what they have', () => {
    const audit = parseTopic({ id: 'standard', name: 'Стандартная тема', kind: 'audit' });
    const changes = diffTopics(standardTopic, audit);
    expect(changes[0]).toMatchObject({ type: 'topic-changed', property: 'kind', before: 'sales', after: 'audit' });
    expect(changes.filter((change) => change.type === 'stage-removed')).toHaveLength(5);
  });
});
