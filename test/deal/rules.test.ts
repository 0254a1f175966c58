import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  entryEvent,
  formatDealError,
  isEffect,
  availableOutcomes,
  addDuration,
  compileTopic,
  diffTopics,
  editTopic,
  parseDuration,
  replayDeal,
  funnelReport,
  safeParseTopic,
  simulate,
  openDeal,
  standardTopic,
  type Deal,
  type DealEvent,
} from '../../src/index.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { accepted, admin, colleague, compileSales, DAY, director, HOUR, manager, MONDAY, open, rejected, standard, standardWith } from '../support.js';

const parameters = (changes: Record<string, unknown>) => ({ parameters: { ...standardTopic.parameters, ...changes } });
const outcome = (outcomeId: string, at: number, extra: Partial<DealEvent> = {}): DealEvent =>
  ({ type: 'recordOutcome', outcomeId, at, actor: manager, ...extra }) as DealEvent;

describe('deals on sales topics', () => {
  it('S36: a deal opens in the first stage with its deadlines (S6, S24) and one history entry', () => {
    const topic = standard();
    const deal = open(topic);
    expect(deal).toMatchObject({
      topicId: 'standard',
      topicVersion: 1,
      status: 'open',
      stageId: 'new',
      openedAt: MONDAY,
      stageEnteredAt: MONDAY,
      stageDueAt: MONDAY + DAY, // "new" has P1D
      dueAt: MONDAY + 30 * DAY, // the topic has P30D
      idleDueAt: null,
      revision: 1,
      negotiationsOngoing: false,
    });
    expect(deal).toMatchObject({ agreedDueAt: null, lastEventAt: MONDAY });
    expect(JSON.parse(JSON.stringify(deal))).toEqual(deal);
    const { entry } = accepted(openDeal(standard(), { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY }));
    expect(entry).toEqual({ dealId: 'deal-1', revision: 1, version: 1, type: 'opened', at: MONDAY, by: manager.id, from: 'new', to: 'new', status: 'open', input: { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY } });
  });

  it('S36–S38: deals exist on sales topics only', () => {
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit' });
    const result = openDeal(audit, { id: 'd', clientId: 'c', ownerId: 'u', at: MONDAY });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_a_sales_topic' } });
  });

  it('S32: a second open deal for the same client is refused when concurrent deals are forbidden', () => {
    const forbidden = standard();
    const first = open(forbidden);
    const second = openDeal(forbidden, { id: 'deal-2', clientId: 'client-1', ownerId: manager.id, at: MONDAY }, { clientDeals: [first] });
    expect(second).toMatchObject({ ok: false, error: { code: 'concurrent_deal', rule: 'S32', path: 'clientId' } });
    const otherClient = openDeal(forbidden, { id: 'deal-3', clientId: 'client-2', ownerId: manager.id, at: MONDAY }, { clientDeals: [first] });
    expect(otherClient.ok).toBe(true);
    const closedFirst = { ...first, status: 'closed' as const };
    expect(openDeal(forbidden, { id: 'deal-2', clientId: 'client-1', ownerId: manager.id, at: MONDAY }, { clientDeals: [closedFirst] }).ok).toBe(true);
    const allowed = standardWith(parameters({ concurrentDeals: 'allowed' }));
    expect(openDeal(allowed, { id: 'deal-2', clientId: 'client-1', ownerId: manager.id, at: MONDAY }, { clientDeals: [first] }).ok).toBe(true);
  });

  it('S8: only the outcomes of the current stage and the global ones may be recorded', () => {
    const topic = standard();
    const deal = open(topic);
    expect(rejected(applyEvent(topic, deal, outcome('interested', MONDAY + HOUR)))).toMatchObject({ code: 'unknown_outcome', rule: 'S8', path: 'outcomeId' });
    expect(accepted(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR))).deal.stageId).toBe('acquaintance');
    expect(accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal.status).toBe('closed');
  });

  it('S6, S9, S10: a move restarts the stage clock, a cyclic outcome keeps it unless it says otherwise', () => {
    const topic = standard();
    let deal = accepted(applyEvent(topic, open(topic), outcome('qualified', MONDAY + HOUR))).deal;
    expect(deal).toMatchObject({ stageEnteredAt: MONDAY + HOUR, stageDueAt: MONDAY + HOUR + 2 * DAY });
    deal = accepted(applyEvent(topic, deal, outcome('no-answer', MONDAY + 5 * HOUR))).deal;
    expect(deal).toMatchObject({ stageId: 'acquaintance', stageEnteredAt: MONDAY + HOUR, stageDueAt: MONDAY + HOUR + 2 * DAY, lastActivityAt: MONDAY + 5 * HOUR });
    deal = accepted(applyEvent(topic, deal, outcome('interested', MONDAY + DAY))).deal;
    // "revise" is cyclic with restartsStageClock: the offer gets its three days again.
    deal = accepted(applyEvent(topic, deal, outcome('revise', MONDAY + 2 * DAY, { comment: 'New prices' }))).deal;
    expect(deal).toMatchObject({ stageId: 'offer', stageEnteredAt: MONDAY + 2 * DAY, stageDueAt: MONDAY + 5 * DAY });
  });

  it('S11: a deal in a stage without outcomes is marked "negotiations ongoing"', () => {
    const topic = standardWith({
      stages: [
        { id: 'talks', name: 'Переговоры' },
        { id: 'done', name: 'Итог', outcomes: [{ id: 'won', name: 'Выиграли', finish: 'positive' }] },
      ],
      documents: [],
      globalOutcomes: [
        { id: 'refused', name: 'Отказ', finish: 'negative' },
        { id: 'to-done', name: 'К итогу', to: 'done' },
      ],
    });
    const deal = open(topic);
    expect(deal.negotiationsOngoing).toBe(true);
    const moved = accepted(applyEvent(topic, deal, outcome('to-done', MONDAY + HOUR))).deal;
    expect(moved.negotiationsOngoing).toBe(false);
  });

  it('S12: finishing outcomes end the deal positively or negatively, and a finished deal takes no more outcomes', () => {
    const topic = standard();
    const lost = accepted(applyEvent(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'too-expensive' }))).deal;
    expect(lost).toMatchObject({ status: 'closed', finish: { outcomeId: 'refused', result: 'negative', kindId: 'too-expensive', at: MONDAY + HOUR, by: manager.id } });
    expect(rejected(applyEvent(topic, lost, outcome('qualified', MONDAY + 2 * HOUR)))).toMatchObject({ code: 'deal_closed' });
  });

  it('S27: outcome kinds must fit the outcome, and kinds or outcomes may require a comment', () => {
    const topic = standard();
    const deal = open(topic);
    expect(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR)))).toMatchObject({ code: 'kind_required', path: 'kindId' });
    expect(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'nope' })))).toMatchObject({ code: 'kind_not_allowed', path: 'kindId' });
    expect(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'competitor' })))).toMatchObject({ code: 'comment_required', path: 'comment' });
    expect(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'competitor', comment: '   ' })))).toMatchObject({ code: 'comment_required' });
    const lost = accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'competitor', comment: 'Went to a rival' })));
    expect(lost.deal.finish).toMatchObject({ kindId: 'competitor', comment: 'Went to a rival' });
    expect(lost.entry).toMatchObject({ type: 'recordOutcome', event: { outcomeId: 'refused', kindId: 'competitor', comment: 'Went to a rival' }, from: 'new', to: 'new', status: 'closed' });

    const positiveKind = standardWith({ outcomeKinds: [...standardTopic.outcomeKinds, { id: 'happy', name: 'Доволен', polarity: 'positive' }] });
    expect(rejected(applyEvent(positiveKind, open(positiveKind), outcome('refused', MONDAY + HOUR, { kindId: 'happy' })))).toMatchObject({ code: 'kind_not_allowed' });
  });

  it('S28: entering a stage suggests its document templates', () => {
    const topic = standard();
    let deal = accepted(applyEvent(topic, open(topic), outcome('qualified', MONDAY + HOUR))).deal;
    const entered = accepted(applyEvent(topic, deal, outcome('interested', MONDAY + 2 * HOUR)));
    expect(entered.effects).toEqual([{ type: 'suggestDocuments', dealId: 'deal-1', stageId: 'offer', documents: [standardTopic.documents[0]] }]);
    // isEffect narrows by type: the documents are there without a cast, and other types are told apart.
    expect(entered.effects.filter((effect) => isEffect(effect, 'suggestDocuments')).flatMap((effect) => effect.documents)).toEqual([standardTopic.documents[0]]);
    expect(entered.effects.some((effect) => isEffect(effect, 'dealClosed'))).toBe(false);
    deal = entered.deal;
    expect(accepted(applyEvent(topic, deal, outcome('revise', MONDAY + 3 * HOUR, { comment: 'x' }))).effects).toEqual([]);
  });

  it('S29: field values are checked against their types; null clears a field', () => {
    const topic = standardWith({
      fields: [
        { id: 'date', name: 'Дата', type: 'date' },
        { id: 'text', name: 'Текст', type: 'text', maxLength: 5 },
        { id: 'count', name: 'Число', type: 'number', min: 1, max: 10 },
        { id: 'flag', name: 'Флаг', type: 'boolean' },
        { id: 'mode', name: 'Режим', type: 'select', options: [{ id: 'road', name: 'Авто' }] },
      ],
    });
    const deal = open(topic);
    const set = (fields: Record<string, unknown>) => applyEvent(topic, deal, { type: 'setFields', fields, at: MONDAY + HOUR, actor: manager } as DealEvent);
    const good = accepted(set({ date: '2026-02-28', text: 'abc', count: 3, flag: false, mode: 'road' })).deal;
    expect(good.fields).toEqual({ date: '2026-02-28', text: 'abc', count: 3, flag: false, mode: 'road' });
    expect(rejected(set({ date: '2026-02-30' }))).toMatchObject({ code: 'invalid_field_value', rule: 'S29', path: 'fields.date' });
    expect(rejected(set({ text: 'too long' }))).toMatchObject({ code: 'invalid_field_value', path: 'fields.text' });
    expect(rejected(set({ count: 11 }))).toMatchObject({ code: 'invalid_field_value', path: 'fields.count' });
    expect(rejected(set({ count: '3' }))).toMatchObject({ code: 'invalid_field_value', path: 'fields.count' });
    expect(rejected(set({ flag: 'yes' }))).toMatchObject({ code: 'invalid_field_value', path: 'fields.flag' });
    expect(rejected(set({ mode: 'air' }))).toMatchObject({ code: 'invalid_field_value', path: 'fields.mode' });
    expect(rejected(set({ colour: 'red' }))).toMatchObject({ code: 'unknown_field', path: 'fields.colour' });
    const cleared = accepted(applyEvent(topic, good, { type: 'setFields', fields: { text: null }, at: MONDAY + 2 * HOUR, actor: manager })).deal;
    expect(cleared.fields).not.toHaveProperty('text');
  });

  it('requires the fields a stage needs before a deal enters it (HubSpot, Pipedrive, Bitrix24)', () => {
    const stages = structuredClone(standardTopic.stages).map((stage) => (stage.id === 'acquaintance' ? { ...stage, requiredFields: ['carrier'] } : stage));
    const topic = standardWith({ stages });
    const deal = open(topic);
    expect(rejected(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR)))).toMatchObject({ code: 'required_fields_missing', path: 'fields' });
    expect(accepted(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR, { fields: { carrier: 'ПЭК' } }))).deal).toMatchObject({
      stageId: 'acquaintance',
      fields: { carrier: 'ПЭК' },
    });
  });

  describe('S33: mandatory planning', () => {
    const topic = standardWith(parameters({ planning: 'mandatory' }));

    it('rejects a continuing outcome without a call or meeting planned after it', () => {
      const deal = open(topic);
      expect(rejected(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR)))).toMatchObject({ code: 'planning_required', rule: 'S33' });
      const task = accepted(applyEvent(topic, deal, { type: 'planActivity', activityId: 't', kind: 'task', plannedFor: MONDAY + DAY, at: MONDAY, actor: manager })).deal;
      expect(rejected(applyEvent(topic, task, outcome('qualified', MONDAY + HOUR)))).toMatchObject({ code: 'planning_required' });
      const call = accepted(applyEvent(topic, deal, { type: 'planActivity', activityId: 'c', kind: 'call', plannedFor: MONDAY + 2 * HOUR, at: MONDAY, actor: manager })).deal;
      expect(accepted(applyEvent(topic, call, outcome('qualified', MONDAY + HOUR))).deal.stageId).toBe('acquaintance');
      // The planned call is not "next" any more once its time has passed.
      expect(rejected(applyEvent(topic, call, outcome('qualified', MONDAY + 3 * HOUR)))).toMatchObject({ code: 'planning_required' });
      // Recording the planned call itself leaves nothing planned.
      expect(rejected(applyEvent(topic, call, outcome('qualified', MONDAY + HOUR, { activityId: 'c' })))).toMatchObject({ code: 'planning_required' });
    });

    it('accepts the next contact planned in the same event, and finishing outcomes without one', () => {
      const deal = open(topic);
      const planned = accepted(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR, { plan: { activityId: 'c', kind: 'meeting', plannedFor: MONDAY + DAY } })));
      expect(planned.deal.activities).toEqual([{ id: 'c', kind: 'meeting', authorId: manager.id, plannedFor: MONDAY + DAY }]);
      expect(accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal.status).toBe('closed');
      expect(rejected(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR, { plan: { activityId: 'c', kind: 'call', plannedFor: MONDAY } })))).toMatchObject({
        code: 'activity_in_past',
        path: 'plan.plannedFor',
      });
    });

    it('lists outcomes for the screen with the planning error on continuing ones', () => {
      const options = availableOutcomes(topic, open(topic), MONDAY + HOUR, manager);
      expect(options.map((option) => [option.id, option.allowed, option.error?.code])).toEqual([
        ['qualified', false, 'planning_required'],
        ['refused', true, undefined],
      ]);
      expect(options[1]).toMatchObject({ global: true, finish: 'negative', kindRequired: true });
      expect(options[1]?.kinds.map((kind) => kind.id)).toEqual(['too-expensive', 'competitor', 'no-need', 'unreachable', 'other']);
    });
  });

  describe('S4: planned contacts of other employees', () => {
    const planned = (topicChanges: Record<string, unknown>) => {
      const topic = standardWith(topicChanges);
      const deal = accepted(applyEvent(topic, open(topic), { type: 'planActivity', activityId: 'call', kind: 'call', plannedFor: MONDAY + DAY, at: MONDAY, actor: manager })).deal;
      return { topic, deal };
    };

    it('with "author-only", only the author closes a planned contact', () => {
      const { topic, deal } = planned(parameters({ plannedContacts: 'author-only' }));
      for (const type of ['completeActivity', 'cancelActivity'] as const) {
        expect(rejected(applyEvent(topic, deal, { type, activityId: 'call', at: MONDAY + HOUR, actor: colleague }))).toMatchObject({
          code: 'not_activity_author',
          rule: 'S4',
        });
        expect(accepted(applyEvent(topic, deal, { type, activityId: 'call', at: MONDAY + HOUR, actor: manager })).deal.activities).toEqual([]);
      }
      expect(rejected(applyEvent(topic, deal, outcome('qualified', MONDAY + HOUR, { actor: colleague, activityId: 'call' })))).toMatchObject({ code: 'not_activity_author' });
      // The final contact of another employee leaves the author's contacts alone (S35 decides after close).
      const lost = accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { actor: colleague, kindId: 'no-need' })));
      expect(lost.effects.map((effect) => effect.type)).not.toContain('removePlannedActivities');
    });

    it('with "anyone", anybody closes it, and the final contact removes the other authors\' contacts', () => {
      const { topic, deal } = planned(parameters({ plannedContacts: 'anyone', afterClose: { plannedActivities: 'keep', unpaidInvoices: 'keep' } }));
      expect(accepted(applyEvent(topic, deal, { type: 'completeActivity', activityId: 'call', at: MONDAY + HOUR, actor: colleague })).deal.activities).toEqual([]);
      const lost = accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { actor: colleague, kindId: 'no-need' })));
      expect(lost.effects[0]).toEqual({ type: 'removePlannedActivities', dealId: 'deal-1', activityIds: ['call'], authorIds: [manager.id] });
      expect(lost.deal.activities).toEqual([]);
    });

    it('rejects unknown and duplicate activities', () => {
      const { topic, deal } = planned({});
      expect(rejected(applyEvent(topic, deal, { type: 'completeActivity', activityId: 'nope', at: MONDAY + HOUR, actor: manager }))).toMatchObject({ code: 'unknown_activity' });
      expect(rejected(applyEvent(topic, deal, { type: 'planActivity', activityId: 'call', kind: 'call', plannedFor: MONDAY + DAY, at: MONDAY, actor: manager }))).toMatchObject({
        code: 'duplicate_activity',
      });
    });
  });

  it('S5: a shared client assignment is created on the final contact only when the topic says so', () => {
    const off = standard();
    expect(accepted(applyEvent(off, open(off), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).effects.map((effect) => effect.type)).not.toContain('createSharedAssignment');
    const on = standardWith(parameters({ sharedAssignmentOnFinish: true }));
    expect(accepted(applyEvent(on, open(on), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).effects).toContainEqual({
      type: 'createSharedAssignment',
      dealId: 'deal-1',
      clientId: 'client-1',
    });
  });

  describe('S25: deadline changes', () => {
    it('are applied at once when no approval is needed', () => {
      const topic = standardWith({ deadlineChange: { approval: 'none', approvers: [] } });
      const moved = accepted(applyEvent(topic, open(topic), { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + HOUR, actor: manager }));
      expect(moved.deal).toMatchObject({ dueAt: MONDAY + 40 * DAY, pendingDeadlineChange: null });
      expect(moved.effects).toEqual([]);
    });

    it('wait for a listed approver, by role or by user, who may approve or reject', () => {
      const topic = standardWith({ deadlineChange: { approval: 'required', approvers: [{ userId: 'ceo' }] } });
      const deal = open(topic);
      expect(rejected(applyEvent(topic, deal, { type: 'approveDeadlineChange', at: MONDAY + HOUR, actor: { id: 'ceo' } }))).toMatchObject({ code: 'no_pending_deadline_change' });
      expect(rejected(applyEvent(topic, deal, { type: 'requestDeadlineChange', dueAt: MONDAY, at: MONDAY + HOUR, actor: manager }))).toMatchObject({
        code: 'invalid_deadline',
        path: 'dueAt',
      });
      const pending = accepted(applyEvent(topic, deal, { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + HOUR, actor: manager })).deal;
      expect(rejected(applyEvent(topic, pending, { type: 'requestDeadlineChange', dueAt: MONDAY + 50 * DAY, at: MONDAY + HOUR, actor: manager }))).toMatchObject({
        code: 'deadline_change_pending',
      });
      expect(rejected(applyEvent(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + HOUR, actor: director }))).toMatchObject({ code: 'not_an_approver' });
      const refused = accepted(applyEvent(topic, pending, { type: 'rejectDeadlineChange', reason: 'No', at: MONDAY + HOUR, actor: { id: 'ceo' } })).deal;
      expect(refused).toMatchObject({ dueAt: MONDAY + 30 * DAY, pendingDeadlineChange: null });
      const approved = accepted(applyEvent(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + HOUR, actor: { id: 'ceo' } })).deal;
      expect(approved).toMatchObject({ dueAt: MONDAY + 40 * DAY, pendingDeadlineChange: null });
    });
  });

  describe('S25: four eyes on deadline changes', () => {
    const ceo = { id: 'ceo', roles: ['director'] };
    const request = { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + HOUR, actor: ceo } as const;

    it('the approver who asked for a change may not approve it, but another approver may, and the requester may withdraw it', () => {
      const topic = standardWith({ deadlineChange: { approval: 'required', approvers: [{ role: 'director' }] } });
      const pending = accepted(applyEvent(topic, open(topic), request)).deal;
      const own = rejected(applyEvent(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + 2 * HOUR, actor: ceo }));
      expect(own).toMatchObject({ code: 'self_approval', rule: 'S25', path: 'actor', params: { actor: 'ceo' } });
      expect(formatDealError(own, 'ru')).toContain('сам запросил');
      const approved = accepted(applyEvent(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + 2 * HOUR, actor: director })).deal;
      expect(approved).toMatchObject({ dueAt: MONDAY + 40 * DAY, pendingDeadlineChange: null });
      const withdrawn = accepted(applyEvent(topic, pending, { type: 'rejectDeadlineChange', at: MONDAY + 2 * HOUR, actor: ceo })).deal;
      expect(withdrawn).toMatchObject({ dueAt: MONDAY + 30 * DAY, pendingDeadlineChange: null });
    });

    it('a topic that allows self-approval lets the requester approve', () => {
      const topic = standardWith({ deadlineChange: { approval: 'required', approvers: [{ role: 'director' }], selfApproval: true } });
      const pending = accepted(applyEvent(topic, open(topic), request)).deal;
      expect(accepted(applyEvent(topic, pending, { type: 'approveDeadlineChange', at: MONDAY + 2 * HOUR, actor: ceo })).deal.dueAt).toBe(MONDAY + 40 * DAY);
    });
  });

  describe('S34, S35: closing', () => {
    const toShipment = (topic: ReturnType<typeof standard>, deal: Deal): Deal =>
      ['qualified', 'interested', 'accepted', 'paid'].reduce((current, id, index) => accepted(applyEvent(topic, current, outcome(id, MONDAY + (index + 1) * HOUR))).deal, deal);

    it('a positive finish waits for the business event when the topic closes on one', () => {
      const topic = standardWith(parameters({ closeOn: { on: 'business-event', events: ['goods-shipped'] } }));
      const deal = toShipment(topic, open(topic));
      expect(rejected(applyEvent(topic, deal, { type: 'reportBusinessEvent', name: 'goods-shipped', at: MONDAY + 5 * HOUR, actor: manager }))).toMatchObject({
        code: 'unexpected_business_event',
      });
      const won = accepted(applyEvent(topic, deal, outcome('shipped', MONDAY + 5 * HOUR)));
      expect(won.deal.status).toBe('finished');
      expect(won.effects.map((effect) => effect.type)).not.toContain('dealClosed');
      expect(rejected(applyEvent(topic, won.deal, outcome('refused', MONDAY + 6 * HOUR, { kindId: 'no-need' })))).toMatchObject({ code: 'deal_finished' });
      expect(rejected(applyEvent(topic, won.deal, { type: 'reportBusinessEvent', name: 'invoice-paid', at: MONDAY + 6 * HOUR, actor: manager }))).toMatchObject({
        code: 'unexpected_business_event',
        path: 'name',
      });
      const closed = accepted(applyEvent(topic, won.deal, { type: 'reportBusinessEvent', name: 'goods-shipped', at: MONDAY + 6 * HOUR, actor: manager }));
      expect(closed.deal.status).toBe('closed');
      expect(closed.effects).toContainEqual({ type: 'dealClosed', dealId: 'deal-1', result: 'positive' });
      expect(closed.entry).toMatchObject({ type: 'reportBusinessEvent', event: { name: 'goods-shipped' }, status: 'closed' });
    });

    it('a negative finish closes at once even when the topic closes on a business event', () => {
      const topic = standardWith(parameters({ closeOn: { on: 'business-event', events: ['invoice-paid'] } }));
      expect(accepted(applyEvent(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal.status).toBe('closed');
    });

    it('S35: kept planned activities can still be completed after close; nothing else can change', () => {
      const topic = standardWith(parameters({ afterClose: { plannedActivities: 'keep', unpaidInvoices: 'keep' } }));
      const planned = accepted(applyEvent(topic, open(topic), { type: 'planActivity', activityId: 'call', kind: 'call', plannedFor: MONDAY + DAY, at: MONDAY, actor: manager })).deal;
      const closed = accepted(applyEvent(topic, planned, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' })));
      expect(closed.deal.activities).toHaveLength(1);
      expect(closed.effects).toEqual([{ type: 'dealClosed', dealId: 'deal-1', result: 'negative' }]);
      expect(accepted(applyEvent(topic, closed.deal, { type: 'completeActivity', activityId: 'call', at: MONDAY + DAY, actor: manager })).deal.activities).toEqual([]);
      expect(rejected(applyEvent(topic, closed.deal, { type: 'setFields', fields: { carrier: 'x' }, at: MONDAY + DAY, actor: manager }))).toMatchObject({ code: 'deal_closed' });
      const cancelling = standard();
      const cancelled = accepted(applyEvent(cancelling, { ...planned }, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' })));
      expect(cancelled.effects.map((effect) => effect.type)).toEqual(['cancelPlannedActivities', 'cancelUnpaidInvoices', 'dealClosed']);
      expect(rejected(applyEvent(cancelling, cancelled.deal, { type: 'completeActivity', activityId: 'call', at: MONDAY + DAY, actor: manager }))).toMatchObject({
        code: 'deal_closed',
      });
    });
  });

  describe('S2: the privileged move', () => {
    it('is refused to a manager and allowed to a director, an administrator or full CRM access', () => {
      const topic = standard();
      const deal = open(topic);
      const move = (actor: object) => applyEvent(topic, deal, { type: 'moveToStage', stageId: 'payment', at: MONDAY + HOUR, actor } as DealEvent);
      expect(rejected(move(manager))).toMatchObject({ code: 'not_permitted', rule: 'S2' });
      expect(rejected(move({ id: 'x', crmAccess: 'read' }))).toMatchObject({ code: 'not_permitted' });
      for (const actor of [director, admin, { id: 'y', crmAccess: 'full' }]) {
        const moved = accepted(move(actor));
        expect(moved.deal).toMatchObject({ stageId: 'payment', stageEnteredAt: MONDAY + HOUR, stageDueAt: MONDAY + HOUR + 5 * DAY });
        expect(moved.entry).toMatchObject({ type: 'moveToStage', from: 'new', to: 'payment', by: actor.id });
        expect(moved.effects).toEqual([expect.objectContaining({ type: 'suggestDocuments', stageId: 'payment' })]);
      }
      expect(rejected(applyEvent(topic, deal, { type: 'moveToStage', stageId: 'nowhere', at: MONDAY + HOUR, actor: director }))).toMatchObject({ code: 'unknown_stage' });
    });

    it('reopens a closed deal, and nothing else does', () => {
      const topic = standard();
      const lost = accepted(applyEvent(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal;
      const reopened = accepted(applyEvent(topic, lost, { type: 'moveToStage', stageId: 'offer', reason: 'Client came back', at: MONDAY + DAY, actor: director }));
      expect(reopened.deal).toMatchObject({ status: 'open', stageId: 'offer', finish: null });
      expect(reopened.entry).toMatchObject({ event: { reason: 'Client came back' }, status: 'open' });
    });
  });

  describe("the deal's amount changes", () => {
    const topic = standard();
    const setAmount = (amount: unknown, at: number, actor = manager) => ({ type: 'setAmount', amount, at, actor }) as DealEvent;

    it('sets and clears the amount, keeps who and when in the log, and the funnel counts the current amount', () => {
      const opened = open(topic);
      expect(opened.amount).toBeNull();
      const set = accepted(applyEvent(topic, opened, setAmount(150_000, MONDAY + HOUR)));
      expect(set.deal).toMatchObject({ amount: 150_000, revision: opened.revision + 1, stageId: opened.stageId, lastActivityAt: opened.lastActivityAt });
      expect(set.entry).toMatchObject({ type: 'setAmount', by: manager.id, at: MONDAY + HOUR, event: { amount: 150_000 } });
      expect(set.effects).toEqual([]);
      const qualified = accepted(applyEvent(topic, set.deal, outcome('qualified', MONDAY + 2 * HOUR))).deal;
      const raised = accepted(applyEvent(topic, qualified, setAmount(200_000, MONDAY + 3 * HOUR))).deal;
      const report = funnelReport(topic, [{ deal: raised, entries: [] }], { now: MONDAY + 4 * HOUR });
      expect(report.ok && report.report.openValue).toBe(200_000);
      const cleared = accepted(applyEvent(topic, raised, setAmount(null, MONDAY + 4 * HOUR)));
      expect(cleared.deal.amount).toBeNull();
      expect(cleared.entry.event).toEqual({ amount: null, actor: manager }); // an actor with roles is kept whole
    });

    it('refuses an amount that is negative, not finite or not a number, naming the path', () => {
      const deal = open(topic);
      for (const amount of [-1, Number.NaN, Number.POSITIVE_INFINITY, '100', undefined, {}]) {
        expect(rejected(applyEvent(topic, deal, setAmount(amount, MONDAY + HOUR))), String(amount)).toMatchObject({ code: 'invalid_event', path: 'amount' });
      }
    });

    it('changes on a won deal waiting for its business event (S34), not on a closed one (S12)', () => {
      const waiting = standardWith(parameters({ closeOn: { on: 'business-event', events: ['goods-shipped'] } }));
      const won = ['qualified', 'interested', 'accepted', 'paid', 'shipped'].reduce(
        (current, id, index) => accepted(applyEvent(waiting, current, outcome(id, MONDAY + (index + 1) * HOUR))).deal,
        open(waiting),
      );
      expect(won.status).toBe('finished');
      expect(accepted(applyEvent(waiting, won, setAmount(180_000, MONDAY + 6 * HOUR))).deal).toMatchObject({ amount: 180_000, status: 'finished' });
      const lost = accepted(applyEvent(topic, open(topic), outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))).deal;
      expect(lost.status).toBe('closed');
      expect(rejected(applyEvent(topic, lost, setAmount(1, MONDAY + 2 * HOUR)))).toMatchObject({ code: 'deal_closed' });
    });
  });

  describe('requirements on outcomes', () => {
    // "Lost needs a reason", "won needs the amount": the refusal requires the carrier field here, the shipment the amount.
    const requiring = () => {
      const input = structuredClone(standardTopic) as unknown as { stages: { id: string; outcomes: Record<string, unknown>[] }[]; globalOutcomes: Record<string, unknown>[] };
      (input.globalOutcomes[0] as Record<string, unknown>).requiredFields = ['carrier'];
      const shipment = input.stages.find((stage) => stage.id === 'shipment');
      (shipment?.outcomes[0] as Record<string, unknown>).amountRequired = true;
      return compileTopic(input) as ReturnType<typeof standard>;
    };
    const topic = requiring();
    const toShipment = (deal: Deal): Deal =>
      ['qualified', 'interested', 'accepted', 'paid'].reduce((current, id, index) => accepted(applyEvent(topic, current, outcome(id, MONDAY + (index + 1) * HOUR))).deal, deal);

    it('refuses an outcome whose required fields are empty, and takes the values with the outcome', () => {
      const deal = open(topic);
      expect(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' })))).toMatchObject({
        code: 'outcome_fields_missing',
        path: 'fields',
        params: { id: 'refused', fields: 'carrier' },
        rule: 'outcome requirements',
      });
      const blank = accepted(applyEvent(topic, deal, { type: 'setFields', fields: { carrier: '' }, at: MONDAY + HOUR, actor: manager })).deal;
      expect(rejected(applyEvent(topic, blank, outcome('refused', MONDAY + 2 * HOUR, { kindId: 'no-need' }))).code).toBe('outcome_fields_missing');
      const lost = accepted(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need', fields: { carrier: 'СДЭК' } })));
      expect(lost.deal).toMatchObject({ status: 'closed', fields: { carrier: 'СДЭК' } });
      expect(formatDealError(rejected(applyEvent(topic, deal, outcome('refused', MONDAY + HOUR, { kindId: 'no-need' }))), 'ru')).toBe('Для итога «refused» нужно заполнить поля: carrier.');
    });

    it('refuses an outcome that requires the amount of a deal without one, and takes it with the outcome or before', () => {
      const deal = toShipment(open(topic));
      expect(deal.amount).toBeNull();
      expect(rejected(applyEvent(topic, deal, outcome('shipped', MONDAY + 5 * HOUR)))).toMatchObject({ code: 'amount_required', path: 'amount', params: { id: 'shipped' } });
      const withIt = accepted(applyEvent(topic, deal, outcome('shipped', MONDAY + 5 * HOUR, { amount: 120_000 } as Partial<DealEvent>)));
      expect(withIt.deal).toMatchObject({ status: 'closed', amount: 120_000 });
      expect(withIt.entry.event).toMatchObject({ outcomeId: 'shipped', amount: 120_000 });
      const before = accepted(applyEvent(topic, deal, { type: 'setAmount', amount: 90_000, at: MONDAY + 5 * HOUR, actor: manager })).deal;
      expect(accepted(applyEvent(topic, before, outcome('shipped', MONDAY + 6 * HOUR))).deal).toMatchObject({ status: 'closed', amount: 90_000 });
      // Clearing the amount with the outcome itself does not satisfy it.
      expect(rejected(applyEvent(topic, before, outcome('shipped', MONDAY + 6 * HOUR, { amount: null } as Partial<DealEvent>))).code).toBe('amount_required');
    });

    it('offers the requirements with the outcome buttons, and the events outcomeEvent and simulate build meet them', () => {
      const refused = availableOutcomes(topic, open(topic), MONDAY + HOUR, manager).find((option) => option.id === 'refused');
      expect(refused).toMatchObject({ requiredFields: ['carrier'], amountRequired: false, allowed: false, error: { code: 'outcome_fields_missing' } });
      const result = simulate(topic, { deals: 300, seed: 'requirements' });
      expect(result.rejected).toBe(0);
      expect(result.report.positive).toBeGreaterThan(0);
      expect(result.report.negative).toBeGreaterThan(0);
    });

    it('lint names an unknown required field, and removing a field an outcome requires is refused', () => {
      const input = structuredClone(standardTopic) as unknown as { globalOutcomes: Record<string, unknown>[] };
      (input.globalOutcomes[0] as Record<string, unknown>).requiredFields = ['no-such-field'];
      expect(safeParseTopic(input)).toMatchObject({ ok: false, issues: [{ code: 'unknown_field', path: 'globalOutcomes[0].requiredFields[0]' }] });
      const definition = topic.definition;
      const removed = editTopic(definition, admin, { op: 'removeField', fieldId: 'carrier' });
      expect(removed).toMatchObject({ ok: false, issues: [{ code: 'field_required_by_outcome', path: 'globalOutcomes[0].requiredFields[0]' }] });
      const relaxed = editTopic(definition, admin, [{ op: 'updateOutcome', stageId: null, outcomeId: 'refused', changes: { requiredFields: [] } }, { op: 'removeField', fieldId: 'carrier' }]);
      expect(relaxed.ok).toBe(true);
    });
  });

  describe('plans on entering a stage', () => {
    const withPlans = (changes: Record<string, unknown> = {}) => {
      const input = structuredClone(standardTopic) as unknown as { stages: { id: string; plans?: unknown[] }[] } & Record<string, unknown>;
      (input.stages[0] as { plans?: unknown[] }).plans = [{ id: 'intro', kind: 'task', after: 'PT2H', title: 'Прочитать заявку' }];
      (input.stages.find((stage) => stage.id === 'offer') as { plans?: unknown[] }).plans = [{ id: 'follow-up', kind: 'call', after: 'P1D', title: 'Позвонить по КП' }];
      return compileSales({ ...input, ...changes });
    };
    const topic = withPlans();
    const due = (at: number, text: string) => addDuration(at, parseDuration(text) as NonNullable<ReturnType<typeof parseDuration>>, topic.calendar ?? undefined);
    const toOffer = (deal: Deal, on = topic): Deal =>
      ['qualified', 'interested'].reduce((current, id, index) => accepted(applyEvent(on, current, outcome(id, MONDAY + (index + 1) * HOUR))).deal, deal);

    it('plans the first stage’s activities when a deal opens, for its owner, with an effect carrying the titles', () => {
      const opened = accepted(openDeal(topic, { id: 'd-1', clientId: 'c-1', ownerId: manager.id, at: MONDAY }));
      expect(opened.deal.activities).toEqual([{ id: 'auto-1-0', kind: 'task', authorId: manager.id, plannedFor: due(MONDAY, 'PT2H') }]);
      expect(opened.effects).toContainEqual({ type: 'activitiesPlanned', dealId: 'd-1', stageId: 'new', activities: [{ id: 'auto-1-0', kind: 'task', plannedFor: due(MONDAY, 'PT2H'), planId: 'intro', title: 'Прочитать заявку' }] });
      expect(replayDeal(topic, [opened.entry])).toEqual({ ok: true, deal: opened.deal });
      // simulate opens its deals from a template: their first-stage plans are their own, so every log replays to its deal.
      const simulated = simulate(topic, { deals: 60, seed: 'plans', keepDeals: true });
      expect(simulated.rejected).toBe(0);
      simulated.logs.forEach((log, index) => expect(replayDeal(topic, log)).toEqual({ ok: true, deal: simulated.deals[index] }));
      expect(simulated.deals.every((deal) => deal.activities.length > 0 || deal.status === 'closed')).toBe(true);
    });

    it('plans on every move into the stage, not on a cyclic stay, and the owner may close what the topic planned', () => {
      const deal = toOffer(open(topic));
      const call = deal.activities.find((activity) => activity.kind === 'call');
      expect(call).toEqual({ id: `auto-${deal.revision}-0`, kind: 'call', authorId: manager.id, plannedFor: due(MONDAY + 2 * HOUR, 'P1D') });
      const revised = accepted(applyEvent(topic, deal, outcome('revise', MONDAY + 3 * HOUR, { comment: 'New prices' })));
      expect(revised.deal.activities).toEqual(deal.activities);
      expect(revised.effects.map((effect) => effect.type)).not.toContain('activitiesPlanned');
      const authorOnly = withPlans(parameters({ plannedContacts: 'author-only' }));
      const own = toOffer(open(authorOnly), authorOnly);
      const done = own.activities.find((activity) => activity.kind === 'call') as Deal['activities'][number];
      expect(accepted(applyEvent(authorOnly, own, { type: 'completeActivity', activityId: done.id, at: MONDAY + 3 * HOUR, actor: manager })).deal.activities).not.toContainEqual(done);
    });

    it('counts a planned call as the next contact under mandatory planning (S33)', () => {
      const mandatory = withPlans(parameters({ planning: 'mandatory' }));
      const qualified = accepted(applyEvent(mandatory, open(mandatory), outcome('qualified', MONDAY + HOUR, { plan: { activityId: 'c1', kind: 'call', plannedFor: MONDAY + DAY } }))).deal;
      // "interested" enters the offer stage, whose call is the next contact; no plan of the manager's own is needed.
      const offered = accepted(applyEvent(mandatory, qualified, outcome('interested', MONDAY + 2 * HOUR, { activityId: 'c1' })));
      expect(offered.effects.map((effect) => effect.type)).toEqual(['suggestDocuments', 'activitiesPlanned']);
      expect(rejected(applyEvent(mandatory, qualified, outcome('no-answer', MONDAY + 2 * HOUR, { activityId: 'c1' })))).toMatchObject({ code: 'planning_required' });
    });

    it('plans on the privileged move into another stage, refuses an id the deal already uses, and lint names a repeated plan id', () => {
      const deal = open(topic);
      const moved = accepted(applyEvent(topic, deal, { type: 'moveToStage', stageId: 'offer', at: MONDAY + HOUR, actor: admin }));
      expect(moved.deal.activities.map((activity) => activity.id)).toEqual(['auto-1-0', 'auto-2-0']);
      expect(accepted(applyEvent(topic, moved.deal, { type: 'moveToStage', stageId: 'offer', at: MONDAY + 2 * HOUR, actor: admin })).deal.activities).toEqual(moved.deal.activities);
      const squatter = accepted(applyEvent(topic, deal, { type: 'planActivity', activityId: 'auto-4-0', kind: 'call', plannedFor: MONDAY + DAY, at: MONDAY + HOUR, actor: manager })).deal;
      const qualified = accepted(applyEvent(topic, squatter, outcome('qualified', MONDAY + 2 * HOUR))).deal;
      expect(rejected(applyEvent(topic, qualified, outcome('interested', MONDAY + 3 * HOUR)))).toMatchObject({ code: 'duplicate_activity', params: { id: 'auto-4-0' } }); // the entry at revision 4 plans auto-4-0
      const twice = structuredClone(standardTopic) as unknown as { stages: { plans?: unknown[] }[] };
      (twice.stages[0] as { plans?: unknown[] }).plans = [{ id: 'p', kind: 'call', after: 'PT1H', title: 'A' }, { id: 'p', kind: 'task', after: 'PT2H', title: 'B' }];
      expect(safeParseTopic(twice)).toMatchObject({ ok: false, issues: [{ code: 'duplicate_id', path: 'stages[0].plans[1].id' }] });
      expect(diffTopics(standardTopic, topic.definition).filter((change) => change.property === 'plans').map((change) => [change.type, change.path])).toEqual([
        ['stage-changed', 'stages[0].plans'],
        ['stage-changed', 'stages[2].plans'],
      ]);
    });
  });

  describe('rejections lose nothing', () => {
    const topic = standard();
    const deal = deepFreeze(open(topic));

    it('returns the typed error and leaves the frozen deal as it was', () => {
      const before = structuredClone(deal);
      const result = applyEvent(topic, deal, outcome('nope', MONDAY + HOUR));
      expect(result.ok).toBe(false);
      expect(deal).toEqual(before);
    });

    it('every acceptance makes one log entry and one revision', () => {
      const event = { type: 'setFields', fields: { carrier: 'СДЭК' }, at: MONDAY + HOUR, actor: manager } as const;
      const { deal: next, entry } = accepted(applyEvent(topic, deal, event));
      expect(next.revision).toBe(deal.revision + 1);
      expect(next.lastEventAt).toBe(MONDAY + HOUR);
      // The event's type, time and actor id are the entry's own; the log keeps the rest, and the actor whole only when it has more than an id.
      const { type, at, actor, ...rest } = event;
      expect(entry).toEqual({ dealId: 'deal-1', revision: 2, version: 1, type, at, by: actor.id, from: 'new', to: 'new', status: 'open', event: { ...rest, actor } });
      expect(entryEvent(entry)).toEqual(event);
      const plain = accepted(applyEvent(topic, deal, { ...event, actor: { id: 'u-2' }, expectedRevision: 1 })).entry;
      expect(plain.event).toEqual(rest);
      expect(plain).toMatchObject({ by: 'u-2', revision: 2 });
    });

    it('compare-and-set: a stale expected revision is rejected', () => {
      expect(rejected(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY, actor: manager, expectedRevision: 7 }))).toMatchObject({
        code: 'stale_revision',
        path: 'expectedRevision',
      });
      expect(accepted(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY, actor: manager, expectedRevision: 1 })).deal.revision).toBe(2);
    });

    it('time runs forward: no events before the opening or before the last change', () => {
      expect(rejected(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY - 1, actor: manager }))).toMatchObject({ code: 'event_before_open', path: 'at' });
      const later = accepted(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY + DAY, actor: manager })).deal;
      expect(rejected(applyEvent(topic, later, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager }))).toMatchObject({ code: 'event_out_of_order' });
    });

    it('malformed events and tampered deals get their own codes with paths', () => {
      expect(rejected(applyEvent(topic, deal, { type: 'recordOutcome', at: MONDAY, actor: manager } as unknown as DealEvent))).toMatchObject({ code: 'invalid_event', path: 'outcomeId' });
      expect(rejected(applyEvent(topic, deal, { type: 'explode', at: MONDAY, actor: manager } as unknown as DealEvent))).toMatchObject({ code: 'invalid_event', path: 'type' });
      expect(rejected(applyEvent(topic, deal, { ...outcome('qualified', MONDAY), extra: 1 } as unknown as DealEvent))).toMatchObject({ code: 'invalid_event', path: 'extra' });
      expect(rejected(applyEvent(topic, deal, outcome('qualified', Number.NaN)))).toMatchObject({ code: 'invalid_event', path: 'at' });
      expect(rejected(applyEvent(topic, { ...deal, stageId: 'gone' }, outcome('qualified', MONDAY)))).toMatchObject({ code: 'unknown_stage', path: 'stageId' });
      expect(rejected(applyEvent(topic, { ...deal, topicVersion: 2 }, outcome('qualified', MONDAY)))).toMatchObject({ code: 'topic_mismatch' });
      expect(rejected(applyEvent(topic, { ...deal, revision: -1 }, outcome('qualified', MONDAY)))).toMatchObject({ code: 'invalid_deal', path: 'revision' });
      expect(rejected(applyEvent(topic, null as unknown as Deal, outcome('qualified', MONDAY)))).toMatchObject({ code: 'invalid_deal' });
    });
  });

  it('idle clock: planned and completed activities refresh it, cancelling does not (Pipedrive "rotting")', () => {
    const topic = standard();
    const deal = accepted(applyEvent(topic, open(topic), outcome('qualified', MONDAY))).deal;
    expect(deal.idleDueAt).toBe(MONDAY + DAY); // acquaintance has an idle limit of P1D
    const planned = accepted(applyEvent(topic, deal, { type: 'planActivity', activityId: 'a', kind: 'call', plannedFor: MONDAY + DAY, at: MONDAY + HOUR, actor: manager })).deal;
    expect(planned.idleDueAt).toBe(MONDAY + HOUR + DAY);
    const cancelled = accepted(applyEvent(topic, planned, { type: 'cancelActivity', activityId: 'a', at: MONDAY + 2 * HOUR, actor: manager })).deal;
    expect(cancelled.idleDueAt).toBe(MONDAY + HOUR + DAY);
  });
});
