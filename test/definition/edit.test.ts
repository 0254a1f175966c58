import { describe, expect, it } from 'vitest';
import { parseTopic, standardTopic, type SalesTopic, type TopicDefinition } from '../../src/index.js';
import { createTopic, editTopic, type EditResult, type TopicEdit } from '../../src/definition/edit.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { admin, director, manager } from '../support.js';
import { codes } from './helpers.js';

/*
 * An administrator edits the standard topic step by step, as the settings
 * screen does (S1–S12, S23–S35), and a manager tries the same edits (S2).
 */

function edited<T extends TopicDefinition>(result: EditResult<T>): T {
  if (!result.ok) expect.fail(`expected the edit to be accepted, got ${JSON.stringify(result.issues, null, 2)}`);
  return result.topic;
}

function refused(result: EditResult) {
  if (result.ok) expect.fail('expected the edit to be refused');
  return result.issues;
}

const stageIds = (topic: SalesTopic) => topic.stages.map((stage) => stage.id);
const stage = (topic: SalesTopic, id: string) => topic.stages.find((candidate) => candidate.id === id);

/** Insert "contract" between "offer" and "payment": the stage, and the outcome that now leads to it. */
const insertContract: readonly TopicEdit[] = [
  {
    op: 'addStage',
    index: 3,
    stage: { id: 'contract', name: 'Договор', comment: 'Подпишите договор.', maxDuration: 'P2D', outcomes: [{ id: 'signed', name: 'Договор подписан', to: 'payment' }] },
  },
  { op: 'updateOutcome', stageId: 'offer', outcomeId: 'accepted', changes: { to: 'contract' } },
];

/** One edit of every operation, each valid on the standard topic. */
const everyOperation: readonly TopicEdit[] = [
  { op: 'updateTopic', changes: { name: 'Оптовые продажи', group: 'Продажи' } },
  { op: 'setDeadlineChange', deadlineChange: { approval: 'none' } },
  { op: 'setParameters', parameters: { concurrentDeals: 'allowed' } },
  { op: 'addStage', index: 0, stage: { id: 'call-centre', name: 'Колл-центр', outcomes: [{ id: 'passed', name: 'Передан', to: 'new' }] } },
  { op: 'updateStage', stageId: 'offer', changes: { name: 'КП' } },
  { op: 'moveStage', stageId: 'acquaintance', index: 1 },
  { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' },
  { op: 'addOutcome', stageId: 'new', outcome: { id: 'spam', name: 'Спам', finish: 'negative' } },
  { op: 'updateOutcome', stageId: 'new', outcomeId: 'qualified', changes: { name: 'Квалифицирован' } },
  { op: 'removeOutcome', stageId: 'acquaintance', outcomeId: 'no-answer' },
  { op: 'addOutcomeKind', kind: { id: 'budget', name: 'Нет бюджета', polarity: 'negative' } },
  { op: 'updateOutcomeKind', kindId: 'other', changes: { commentRequired: false } },
  { op: 'removeOutcomeKind', kindId: 'unreachable' },
  { op: 'addField', field: { id: 'budget', name: 'Бюджет', type: 'number', min: 0 } },
  { op: 'updateField', fieldId: 'carrier', changes: { maxLength: 100 } },
  { op: 'removeField', fieldId: 'delivery-date' },
  { op: 'addDocument', document: { id: 'contract', name: 'Договор', template: 'contract' } },
  { op: 'updateDocument', documentId: 'invoice-template', changes: { stages: null } },
  { op: 'removeDocument', documentId: 'offer-template' },
];

describe('editing topics (immer)', () => {
  describe('S2: only the administrator, a director or full Clients/CRM access may edit', () => {
    for (const edit of everyOperation) {
      it(`${edit.op}: refused to a manager and to read access, accepted for a director, an administrator and full access`, () => {
        for (const actor of [manager, { id: 'reader', crmAccess: 'read' as const }, { id: 'nobody' }]) {
          const issues = refused(editTopic(standardTopic, actor, edit));
          expect(issues).toEqual([expect.objectContaining({ severity: 'error', code: 'not_permitted', rule: 'S2', path: '' })]);
          expect(issues[0]?.message).toContain(actor.id);
        }
        for (const actor of [director, admin, { id: 'crm', crmAccess: 'full' as const }]) {
          expect(edited(editTopic(standardTopic, actor, edit)).version).toBe(2);
        }
      });
    }

    it('a missing or malformed actor is refused, not thrown at', () => {
      expect(codes(refused(editTopic(standardTopic, null as never, everyOperation[0] as TopicEdit)))).toEqual(['invalid_actor@actor']);
      expect(codes(refused(createTopic(undefined as never, { kind: 'service', id: 's', name: 'S' })))).toEqual(['invalid_actor@actor']);
    });
  });

  describe('results are new versions', () => {
    it('bump the version by one, validate, and equal what parseTopic makes of them', () => {
      const v2 = edited(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P2D' } }));
      const v3 = edited(editTopic(v2, director, { op: 'updateStage', stageId: 'offer', changes: { name: '  КП  ' } }));
      expect([standardTopic.version, v2.version, v3.version]).toEqual([1, 2, 3]);
      expect(stage(v3, 'offer')?.name).toBe('КП'); // trimmed, as the schema does
      expect(parseTopic(v3)).toEqual(v3);
    });

    it('never touch the deeply frozen input, and share every untouched part with it', () => {
      const before = structuredClone(standardTopic);
      const v2 = edited(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P2D' } }));
      expect(standardTopic).toEqual(before);
      expect(stage(v2, 'offer')?.maxDuration).toBe('P2D');
      expect(v2).not.toBe(standardTopic);
      expect(v2.stages).not.toBe(standardTopic.stages);
      expect(v2.stages[0]).toBe(standardTopic.stages[0]);
      expect(v2.stages[4]).toBe(standardTopic.stages[4]);
      expect(stage(v2, 'offer')?.outcomes).toBe(stage(standardTopic, 'offer')?.outcomes);
      expect(v2.outcomeKinds).toBe(standardTopic.outcomeKinds);
      expect(v2.parameters).toBe(standardTopic.parameters);
      expect(Object.isFrozen(v2) && Object.isFrozen(v2.stages) && Object.isFrozen(stage(v2, 'offer'))).toBe(true);
    });

    it('work on a topic that is not frozen, and leave its contents as they were', () => {
      const topic = parseTopic(structuredClone(standardTopic)) as SalesTopic;
      const before = structuredClone(topic);
      edited(editTopic(topic, director, [...insertContract]));
      expect(topic).toEqual(before);
    });

    it('a refused edit returns issues, never throws, and leaves the input as it was', () => {
      const frozen = deepFreeze(structuredClone(standardTopic));
      for (const bad of [{ op: 'explode' }, null, { op: 'updateStage', stageId: 'offer', changes: 7 }, { op: 'addStage', stage: null }, []]) {
        const result = editTopic(frozen, director, bad as never);
        expect(result.ok).toBe(false);
      }
      expect(codes(refused(editTopic(frozen, director, { op: 'explode' } as never)))).toEqual(['invalid_edit@op']);
      expect(codes(refused(editTopic(frozen, director, [])))).toEqual(['invalid_edit@']);
      expect(frozen).toEqual(standardTopic);
    });

    it('report validation issues with paths into the topic, and mistakes in the edit with paths into the edit', () => {
      const badLimit = refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P1M' } }));
      expect(codes(badLimit)).toEqual(['invalid_duration@stages[2].maxDuration']);
      const tooLong = refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P40D' } }));
      expect(codes(tooLong)).toEqual(['stage_limit_exceeds_deal_limit@stages[2].maxDuration']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'nope', changes: {} })))).toEqual(['unknown_stage@stageId']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'moveStage', stageId: 'new', index: 5 })))).toEqual(['invalid_position@index']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'addStage', stage: { id: 'x', name: '' } })))).toEqual(['too_small@stages[5].name']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'new', changes: { id: 'fresh' } as never })))).toEqual(['invalid_edit@changes.id']);
      // In a batch, the path starts with the edit's position; the first failing edit stops the batch.
      const batch = refused(editTopic(standardTopic, director, [{ op: 'updateStage', stageId: 'new', changes: { name: 'N' } }, { op: 'removeOutcome', stageId: 'new', outcomeId: 'nope' }]));
      expect(codes(batch)).toEqual(['unknown_outcome@[1].outcomeId']);
    });

    it('speak Russian when asked', () => {
      const [issue] = refused(editTopic(standardTopic, manager, { op: 'updateTopic', changes: { name: 'X' } }, { locale: 'ru' }));
      expect(issue?.message).toMatch(/не может редактировать темы/);
      const [limit] = refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P1M' } }, { locale: 'ru' }));
      expect(limit?.message).toMatch(/Ожидалась длительность/);
    });
  });

  describe('S23, S21: creating a topic of a kind', () => {
    it('a sales topic starts with the process of the standard topic', () => {
      const created = edited(createTopic(director, { kind: 'sales', id: 'wholesale', name: 'Оптовые продажи', group: 'Продажи' }));
      expect(created).toMatchObject({ id: 'wholesale', name: 'Оптовые продажи', group: 'Продажи', version: 1, kind: 'sales', maxDuration: 'P30D' });
      if (created.kind !== 'sales') expect.fail('expected a sales topic');
      expect(stageIds(created)).toEqual(stageIds(standardTopic));
      expect(created.instruction).toBeUndefined();
      expect(Object.isFrozen(created)).toBe(true);
    });

    it('audit and service topics start empty (S37, S38); a manager may not create topics (S2)', () => {
      expect(edited(createTopic(admin, { kind: 'audit', id: 'audit', name: 'Аудит' }))).toEqual({ id: 'audit', name: 'Аудит', kind: 'audit', version: 1, outcomeKinds: [] });
      expect(edited(createTopic(admin, { kind: 'service', id: 'support', name: 'Сервис', instruction: 'Отвечайте быстро.' }))).toMatchObject({ kind: 'service', version: 1 });
      expect(codes(refused(createTopic(manager, { kind: 'sales', id: 'x', name: 'X' })))).toEqual(['not_permitted@']);
      expect(codes(refused(createTopic(admin, { kind: 'sales', id: 'bad id', name: 'X' })))).toEqual(['invalid_id@id']);
    });
  });

  describe('stages (S6, S7)', () => {
    it('S7: a stage is inserted at its place in the procedure, with the outcome that leads to it, in one version', () => {
      const v2 = edited(editTopic(standardTopic, director, [...insertContract]));
      expect(v2.version).toBe(2);
      expect(stageIds(v2)).toEqual(['new', 'acquaintance', 'offer', 'contract', 'payment', 'shipment']);
      expect(stage(v2, 'contract')).toEqual({
        id: 'contract',
        name: 'Договор',
        comment: 'Подпишите договор.',
        maxDuration: 'P2D',
        requiredFields: [],
        outcomes: [{ id: 'signed', name: 'Договор подписан', to: 'payment', kindRequired: false, commentRequired: false, restartsStageClock: false }],
      });
      // Alone, the new stage is unreachable: the linter refuses it.
      expect(codes(refused(editTopic(standardTopic, director, insertContract[0] as TopicEdit)))).toEqual(['unreachable_stage@stages[3]']);
    });

    it('S7: stages are reordered; a stage appended goes last', () => {
      const moved = edited(editTopic(standardTopic, director, { op: 'moveStage', stageId: 'shipment', index: 3 }));
      expect(stageIds(moved)).toEqual(['new', 'acquaintance', 'offer', 'shipment', 'payment']);
      const appended = edited(editTopic(standardTopic, director, [
        { op: 'addStage', stage: { id: 'loyalty', name: 'Лояльность', outcomes: [{ id: 'repeat', name: 'Повторная покупка', finish: 'positive' }] } },
        { op: 'addOutcome', stageId: 'shipment', outcome: { id: 'to-loyalty', name: 'В программу лояльности', to: 'loyalty' } },
      ]));
      expect(stageIds(appended).at(-1)).toBe('loyalty');
      // The first stage is where deals open: moving it away leaves it unreachable.
      expect(codes(refused(editTopic(standardTopic, director, { op: 'moveStage', stageId: 'new', index: 1 })))).toContain('unreachable_stage@stages[1]');
    });

    it('S6: a stage is renamed, its comment and limits changed or cleared', () => {
      const v2 = edited(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { name: 'КП', comment: null, maxDuration: 'P5D', idleLimit: null, probability: 50 } }));
      expect(stage(v2, 'offer')).toEqual({ ...stage(standardTopic, 'offer'), name: 'КП', comment: undefined, maxDuration: 'P5D', idleLimit: undefined, probability: 50 });
      expect(stage(v2, 'offer')).not.toHaveProperty('comment');
      expect(stage(v2, 'offer')).not.toHaveProperty('idleLimit');
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { name: null } })))).toEqual(['required@stages[2].name']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'offer', changes: { outcomes: [] } as never })))).toEqual(['invalid_edit@changes.outcomes']);
    });

    it('S9: removing a stage that outcomes still move to is refused with the list of those outcomes', () => {
      const issues = refused(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'offer' }));
      expect(issues).toEqual([
        expect.objectContaining({ code: 'stage_in_use', path: 'stages[1].outcomes[0].to', value: 'interested', rule: 'S9' }),
      ]);
      const global = edited(editTopic(standardTopic, director, { op: 'addOutcome', stageId: null, outcome: { id: 'to-offer', name: 'Сразу к КП', to: 'offer' } }));
      expect(codes(refused(editTopic(global, director, { op: 'removeStage', stageId: 'offer' })))).toEqual(['stage_in_use@stages[1].outcomes[0].to', 'stage_in_use@globalOutcomes[1].to']);
    });

    it('S9: ... unless they are redirected in the same edit, by outcome id or all at once; templates follow redirectTo', () => {
      // Merge "payment" into "shipment".
      const merged = edited(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' }));
      expect(stageIds(merged)).toEqual(['new', 'acquaintance', 'offer', 'shipment']);
      expect(stage(merged, 'offer')?.outcomes[0]).toMatchObject({ id: 'accepted', to: 'shipment' });
      expect(merged.documents.find((document) => document.id === 'invoice-template')?.stages).toEqual(['shipment']);

      const byId = edited(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'payment', redirect: { accepted: 'shipment' } }));
      expect(stage(byId, 'offer')?.outcomes[0]).toMatchObject({ id: 'accepted', to: 'shipment' });
      expect(byId.documents.find((document) => document.id === 'invoice-template')?.stages).toEqual([]);

      expect(codes(refused(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'payment', redirectTo: 'payment' })))).toEqual(['invalid_redirect@redirectTo']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'payment', redirect: { accepted: 'nowhere' } })))).toEqual(['invalid_redirect@redirect.accepted']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment', redirect: { paid: 'new' } })))).toEqual(['invalid_redirect@redirect.paid']);
    });

    it('the last stage cannot go: a sales topic has at least one', () => {
      const single = edited(editTopic(standardTopic, director, [
        { op: 'removeStage', stageId: 'shipment', redirectTo: 'new' },
        { op: 'removeStage', stageId: 'payment', redirectTo: 'new' },
        { op: 'removeStage', stageId: 'offer', redirectTo: 'new' },
        { op: 'removeStage', stageId: 'acquaintance', redirectTo: 'new' },
      ]));
      expect(stageIds(single)).toEqual(['new']);
      expect(codes(refused(editTopic(single, director, { op: 'removeStage', stageId: 'new' })))).toEqual(['too_small@stages']);
    });
  });

  describe('outcomes (S8–S12)', () => {
    it('S8, S9: a continuing outcome is added to a stage, cyclic (S10) or forward', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'addOutcome', stageId: 'new', index: 0, outcome: { id: 'call-back', name: 'Перезвонить', to: 'new' } },
        { op: 'addOutcome', stageId: 'new', outcome: { id: 'hot', name: 'Горячий клиент', to: 'offer' } },
      ]));
      expect(stage(v2, 'new')?.outcomes.map((outcome) => ('to' in outcome ? `${outcome.id}→${outcome.to}` : outcome.id))).toEqual(['call-back→new', 'qualified→acquaintance', 'hot→offer']);
    });

    it('S12: a finishing outcome is added, a move turned into a finish and back', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'addOutcome', stageId: 'offer', outcome: { id: 'signed-now', name: 'Оплата на месте', finish: 'positive' } },
        { op: 'updateOutcome', stageId: 'payment', outcomeId: 'awaiting-payment', changes: { finish: 'negative' } },
      ]));
      expect(stage(v2, 'offer')?.outcomes.at(-1)).toEqual({ id: 'signed-now', name: 'Оплата на месте', finish: 'positive', kindRequired: false, commentRequired: false });
      expect(stage(v2, 'payment')?.outcomes[1]).toEqual({ id: 'awaiting-payment', weight: 2, name: 'Ждём оплату', finish: 'negative', kindRequired: false, commentRequired: false });
      const back = edited(editTopic(v2, director, { op: 'updateOutcome', stageId: 'payment', outcomeId: 'awaiting-payment', changes: { to: 'payment' } }));
      expect(stage(back, 'payment')?.outcomes).toEqual(stage(standardTopic, 'payment')?.outcomes);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateOutcome', stageId: 'payment', outcomeId: 'paid', changes: { to: 'new', finish: 'negative' } })))).toEqual([
        'invalid_edit@changes',
      ]);
    });

    it('S9: an outcome retargeted to a stage that does not exist is refused by the linter', () => {
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateOutcome', stageId: 'new', outcomeId: 'qualified', changes: { to: 'nowhere' } })))).toContain(
        'unknown_stage@stages[0].outcomes[0].to',
      );
    });

    it('S8: outcomes are removed; global outcomes are addressed with stageId null', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'removeOutcome', stageId: 'acquaintance', outcomeId: 'no-answer' },
        { op: 'updateOutcome', stageId: null, outcomeId: 'refused', changes: { kindRequired: false, commentRequired: true } },
        { op: 'addOutcome', stageId: null, outcome: { id: 'postponed', name: 'Отложено', to: 'new' } },
      ]));
      expect(stage(v2, 'acquaintance')?.outcomes.map((outcome) => outcome.id)).toEqual(['interested']);
      expect(v2.globalOutcomes).toEqual([
        { id: 'refused', weight: 1, name: 'Отказ', finish: 'negative', kindRequired: false, commentRequired: true },
        { id: 'postponed', name: 'Отложено', to: 'new', kindRequired: false, commentRequired: false, restartsStageClock: false },
      ]);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'removeOutcome', stageId: null, outcomeId: 'qualified' })))).toEqual(['unknown_outcome@outcomeId']);
    });

    it('S8: an outcome id taken by a global outcome is a duplicate', () => {
      expect(codes(refused(editTopic(standardTopic, director, { op: 'addOutcome', stageId: 'new', outcome: { id: 'refused', name: 'Отказ', finish: 'negative' } })))).toEqual([
        'duplicate_id@stages[0].outcomes[1].id',
      ]);
    });
  });

  describe('outcome kinds, fields, documents (S27–S29)', () => {
    it('S27: kinds are added, changed and removed; one an outcome lists is refused until the outcome changes', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'addOutcomeKind', kind: { id: 'budget', name: 'Нет бюджета', polarity: 'negative' } },
        { op: 'updateOutcomeKind', kindId: 'competitor', changes: { commentRequired: false } },
        { op: 'removeOutcomeKind', kindId: 'other' },
      ]));
      expect(v2.outcomeKinds.map((kind) => kind.id)).toEqual(['too-expensive', 'competitor', 'no-need', 'unreachable', 'budget']);
      expect(v2.outcomeKinds[1]?.commentRequired).toBe(false);

      const listed = edited(editTopic(standardTopic, director, { op: 'updateOutcome', stageId: null, outcomeId: 'refused', changes: { kinds: ['too-expensive', 'competitor'] } }));
      expect(codes(refused(editTopic(listed, director, { op: 'removeOutcomeKind', kindId: 'competitor' })))).toEqual(['kind_in_use@globalOutcomes[0].kinds[1]']);
      const unlisted = edited(editTopic(listed, director, [
        { op: 'updateOutcome', stageId: null, outcomeId: 'refused', changes: { kinds: null } },
        { op: 'removeOutcomeKind', kindId: 'competitor' },
      ]));
      expect(unlisted.globalOutcomes[0]).not.toHaveProperty('kinds');
    });

    it('S27: a refusal that needs a kind cannot lose every negative kind', () => {
      const edits: TopicEdit[] = ['too-expensive', 'competitor', 'no-need', 'unreachable', 'other'].map((kindId) => ({ op: 'removeOutcomeKind', kindId }));
      expect(codes(refused(editTopic(standardTopic, director, edits)))).toEqual(['no_kinds_available@globalOutcomes[0].kindRequired']);
    });

    it('S29: fields are added, required by a stage, retyped; a required field cannot be removed', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'addField', field: { id: 'volume', name: 'Объём, т', type: 'number', min: 0 } },
        { op: 'updateStage', stageId: 'shipment', changes: { requiredFields: ['carrier', 'volume'] } },
        { op: 'updateField', fieldId: 'carrier', changes: { type: 'select', options: [{ id: 'pek', name: 'ПЭК' }] } },
      ]));
      expect(v2.fields.at(-1)).toEqual({ id: 'volume', name: 'Объём, т', type: 'number', min: 0 });
      expect(v2.fields[1]).toEqual({ id: 'carrier', name: 'Транспортная компания', type: 'select', options: [{ id: 'pek', name: 'ПЭК' }] });
      expect(codes(refused(editTopic(v2, director, { op: 'removeField', fieldId: 'volume' })))).toEqual(['field_in_use@stages[4].requiredFields[1]']);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateStage', stageId: 'shipment', changes: { requiredFields: ['nope'] } })))).toEqual([
        'unknown_field@stages[4].requiredFields[0]',
      ]);
    });

    it('S28: document templates are added, tied to stages, and removed', () => {
      const v2 = edited(editTopic(standardTopic, director, [
        { op: 'addDocument', index: 0, document: { id: 'contract', name: 'Договор', template: 'contract', stages: ['payment'] } },
        { op: 'updateDocument', documentId: 'offer-template', changes: { stages: ['offer', 'payment'] } },
        { op: 'removeDocument', documentId: 'invoice-template' },
      ]));
      expect(v2.documents.map((document) => [document.id, document.stages])).toEqual([
        ['contract', ['payment']],
        ['offer-template', ['offer', 'payment']],
      ]);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'removeDocument', documentId: 'nope' })))).toEqual(['unknown_document@documentId']);
    });
  });

  describe('the topic and its parameters (S3, S24, S25, S32–S35)', () => {
    it('S3, S24: the name and the maximum deal duration change; a deal limit shorter than a stage limit is refused', () => {
      const v2 = edited(editTopic(standardTopic, director, { op: 'updateTopic', changes: { name: 'Продажи', maxDuration: 'P20D', instruction: null } }));
      expect(v2).toMatchObject({ name: 'Продажи', maxDuration: 'P20D' });
      expect(v2).not.toHaveProperty('instruction');
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateTopic', changes: { maxDuration: 'P2D' } })))).toEqual([
        'stage_limit_exceeds_deal_limit@stages[2].maxDuration',
        'stage_limit_exceeds_deal_limit@stages[3].maxDuration',
        'stage_limit_exceeds_deal_limit@stages[4].maxDuration',
      ]);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'updateTopic', changes: { id: 'other' } as never })))).toEqual(['invalid_edit@changes.id']);
    });

    it('S25: deadline changes stop needing approval, or need another approver', () => {
      const none = edited(editTopic(standardTopic, director, { op: 'setDeadlineChange', deadlineChange: { approval: 'none' } }));
      expect(none.deadlineChange).toEqual({ approval: 'none', approvers: [], selfApproval: false });
      const ceo = edited(editTopic(standardTopic, director, { op: 'setDeadlineChange', deadlineChange: { approval: 'required', approvers: [{ userId: 'ceo' }] } }));
      expect(ceo.deadlineChange.approvers).toEqual([{ userId: 'ceo' }]);
      expect(codes(refused(editTopic(standardTopic, director, { op: 'setDeadlineChange', deadlineChange: { approval: 'required' } })))).toEqual(['approvers_missing@deadlineChange.approvers']);
    });

    it('S32–S35: parameters change one at a time, after-close settings in part', () => {
      const v2 = edited(editTopic(standardTopic, director, {
        op: 'setParameters',
        parameters: { concurrentDeals: 'allowed', planning: 'mandatory', closeOn: { on: 'business-event', events: ['goods-shipped'] }, afterClose: { unpaidInvoices: 'keep' } },
      }));
      expect(v2.parameters).toEqual({
        ...standardTopic.parameters,
        concurrentDeals: 'allowed',
        planning: 'mandatory',
        closeOn: { on: 'business-event', events: ['goods-shipped'] },
        afterClose: { plannedActivities: 'cancel', unpaidInvoices: 'keep' },
      });
      expect(codes(refused(editTopic(standardTopic, director, { op: 'setParameters', parameters: { planning: 'sometimes' } as never })))).toEqual(['invalid_value@parameters.planning']);
    });
  });

  describe('S23: edits fit the kind of topic', () => {
    const audit = parseTopic({ id: 'audit', name: 'Аудит', kind: 'audit' });

    it('S37: an audit topic takes outcome kinds, each with a comment', () => {
      const v2 = edited(editTopic(audit, admin, { op: 'addOutcomeKind', kind: { id: 'ok', name: 'Порядок', polarity: 'positive', commentRequired: true } }));
      expect(v2).toMatchObject({ kind: 'audit', version: 2, outcomeKinds: [{ id: 'ok', commentRequired: true }] });
      expect(codes(refused(editTopic(audit, admin, { op: 'addOutcomeKind', kind: { id: 'ok', name: 'Порядок' } })))).toEqual(['audit_kind_without_comment@outcomeKinds[0].commentRequired']);
    });

    it('S37, S38: stages and parameters belong to sales topics', () => {
      expect(codes(refused(editTopic(audit, admin, { op: 'addStage', stage: { id: 'a', name: 'A' } })))).toEqual(['wrong_topic_kind@op']);
      const service = parseTopic({ id: 'support', name: 'Сервис', kind: 'service' });
      expect(codes(refused(editTopic(service, admin, { op: 'addOutcomeKind', kind: { id: 'k', name: 'K' } })))).toEqual(['wrong_topic_kind@op']);
      expect(codes(refused(editTopic(service, admin, { op: 'updateTopic', changes: { maxDuration: 'P1D' } })))).toEqual(['unknown_key@maxDuration']);
      expect(edited(editTopic(service, admin, { op: 'updateTopic', changes: { script: 'scripts/support' } }))).toMatchObject({ script: 'scripts/support', version: 2 });
    });
  });
});
