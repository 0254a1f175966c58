import { describe, expect, it } from 'vitest';
import { applyEvent, checkPlanning, type Deal, type DealEvent } from '../../src/index.js';
import { accepted, colleague, DAY, director, HOUR, manager, MONDAY, newClients, open, rejected } from '../support.js';

/*
 * A sales team walks the "New clients" topic of S1/S9: five stages, mandatory
 * planning (S33), deadline changes approved by a director (S25), anyone may
 * close planned contacts (S4), shared assignment on the final contact (S5),
 * planned activities and unpaid invoices cancelled after close (S35).
 */
describe('walking the "New clients" topic (S1, S9)', () => {
  const topic = newClients();
  const step = (deal: Deal, event: DealEvent) => accepted(applyEvent(topic, deal, event));

  it('moves, stays, waits for planning and approval, and finishes with the effects of S4, S5 and S35', () => {
    let deal = open(topic);
    expect(topic.stageList.map((stage) => stage.name)).toEqual(['Знакомство с клиентом', 'Коммерческое предложение', 'Счет', 'Оплата', 'Отгрузка']);
    expect(deal.stageId).toBe('acquaintance');

    // S33: with mandatory planning, no outcome until the next call is planned.
    const unplanned = rejected(applyEvent(topic, deal, { type: 'recordOutcome', outcomeId: 'unreachable', at: MONDAY + HOUR, actor: manager }));
    expect(unplanned).toMatchObject({ code: 'planning_required', rule: 'S33' });
    expect(checkPlanning(topic, deal, MONDAY + HOUR)).toMatchObject({ ok: false, error: { code: 'planning_required' } });

    deal = step(deal, { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 3 * HOUR, at: MONDAY + HOUR, actor: manager }).deal;
    expect(checkPlanning(topic, deal, MONDAY + HOUR)).toEqual({ ok: true });

    // S9: "could not reach the client" stays in the stage (cyclic), recording the planned call;
    // the next call is planned in the same event, as mandatory planning demands.
    const stayed = step(deal, {
      type: 'recordOutcome',
      outcomeId: 'unreachable',
      activityId: 'call-1',
      plan: { activityId: 'call-2', kind: 'call', plannedFor: MONDAY + DAY },
      at: MONDAY + 3 * HOUR,
      actor: manager,
    });
    expect(stayed.deal.stageId).toBe('acquaintance');
    expect(stayed.deal.stageEnteredAt).toBe(MONDAY); // the stage clock keeps running
    expect(stayed.deal.activities.map((activity) => activity.id)).toEqual(['call-2']);
    deal = stayed.deal;

    // S9: "client interested" moves to the commercial offer and suggests its template (S28).
    const moved = step(deal, {
      type: 'recordOutcome',
      outcomeId: 'interested',
      activityId: 'call-2',
      plan: { activityId: 'meeting-1', kind: 'meeting', plannedFor: MONDAY + 2 * DAY },
      at: MONDAY + DAY,
      actor: manager,
    });
    expect(moved.deal.stageId).toBe('offer');
    expect(moved.deal.stageEnteredAt).toBe(MONDAY + DAY);
    expect(moved.effects).toEqual([
      { type: 'suggestDocuments', dealId: 'deal-1', stageId: 'offer', documents: [expect.objectContaining({ template: 'commercial-offer' })] },
    ]);
    deal = moved.deal;

    // S25: a deadline change waits for the director.
    const dueBefore = deal.dueAt;
    const requested = step(deal, { type: 'requestDeadlineChange', dueAt: MONDAY + 45 * DAY, reason: 'Budget in February', at: MONDAY + DAY + HOUR, actor: manager });
    expect(requested.deal.dueAt).toBe(dueBefore);
    expect(requested.deal.pendingDeadlineChange).toMatchObject({ dueAt: MONDAY + 45 * DAY, requestedBy: manager.id });
    expect(requested.effects).toEqual([
      { type: 'requestApproval', dealId: 'deal-1', approvers: [{ role: 'director' }], dueAt: MONDAY + 45 * DAY, requestedBy: manager.id },
    ]);
    expect(rejected(applyEvent(topic, requested.deal, { type: 'approveDeadlineChange', at: MONDAY + DAY + 2 * HOUR, actor: colleague }))).toMatchObject({
      code: 'not_an_approver',
      rule: 'S25',
    });
    deal = step(requested.deal, { type: 'approveDeadlineChange', at: MONDAY + DAY + 2 * HOUR, actor: director }).deal;
    expect(deal.dueAt).toBe(MONDAY + 45 * DAY);
    expect(deal.pendingDeadlineChange).toBeNull();

    // Through invoice and payment to shipment, which requires the delivery date.
    const plan = (id: string, at: number) => ({ activityId: id, kind: 'call' as const, plannedFor: at + DAY });
    deal = step(deal, { type: 'recordOutcome', outcomeId: 'offer-accepted', plan: plan('call-3', MONDAY + 2 * DAY), at: MONDAY + 2 * DAY, actor: manager }).deal;
    deal = step(deal, { type: 'recordOutcome', outcomeId: 'invoice-sent', plan: plan('call-4', MONDAY + 3 * DAY), at: MONDAY + 3 * DAY, actor: manager }).deal;
    expect(deal.stageId).toBe('payment');
    const noDate = rejected(applyEvent(topic, deal, { type: 'recordOutcome', outcomeId: 'paid', plan: plan('call-5', MONDAY + 4 * DAY), at: MONDAY + 4 * DAY, actor: manager }));
    expect(noDate).toMatchObject({ code: 'required_fields_missing', path: 'fields' });
    deal = step(deal, {
      type: 'recordOutcome',
      outcomeId: 'paid',
      fields: { 'delivery-date': '2026-01-20' },
      plan: { activityId: 'call-5', kind: 'call', plannedFor: MONDAY + 5 * DAY },
      at: MONDAY + 4 * DAY,
      actor: manager,
    }).deal;
    expect(deal.stageId).toBe('shipment');

    // A colleague's planned meeting is still open when the manager records the final contact.
    deal = step(deal, { type: 'planActivity', activityId: 'meeting-2', kind: 'meeting', plannedFor: MONDAY + 6 * DAY, at: MONDAY + 4 * DAY + HOUR, actor: colleague }).deal;
    const finished = step(deal, { type: 'recordOutcome', outcomeId: 'shipped', activityId: 'call-5', at: MONDAY + 5 * DAY, actor: manager });
    expect(finished.deal).toMatchObject({ status: 'closed', finish: { outcomeId: 'shipped', result: 'positive', by: manager.id } });
    expect(finished.effects).toEqual([
      // S4: anyone may close planned contacts, so the other authors' ones disappear.
      { type: 'removePlannedActivities', dealId: 'deal-1', activityIds: ['meeting-2'], authorIds: [colleague.id] },
      // S5: shared client assignment on the final contact.
      { type: 'createSharedAssignment', dealId: 'deal-1', clientId: 'client-1' },
      // S35: what was still planned, and unpaid invoices, are cancelled.
      { type: 'cancelPlannedActivities', dealId: 'deal-1', activityIds: ['meeting-1', 'call-3', 'call-4'] },
      { type: 'cancelUnpaidInvoices', dealId: 'deal-1', clientId: 'client-1' },
      { type: 'dealClosed', dealId: 'deal-1', result: 'positive' },
    ]);
    expect(finished.deal.activities).toEqual([]);
  });

  it('ends negatively from any stage with a reason (S12, S27)', () => {
    const deal = open(topic);
    const noReason = rejected(applyEvent(topic, deal, { type: 'recordOutcome', outcomeId: 'not-interested', at: MONDAY + HOUR, actor: manager }));
    expect(noReason).toMatchObject({ code: 'kind_required', rule: 'S27', path: 'kindId' });
    const lost = step(deal, { type: 'recordOutcome', outcomeId: 'not-interested', kindId: 'no-need', at: MONDAY + HOUR, actor: manager });
    expect(lost.deal).toMatchObject({ status: 'closed', finish: { result: 'negative', kindId: 'no-need' } });
    expect(lost.effects.map((effect) => effect.type)).toEqual(['createSharedAssignment', 'cancelUnpaidInvoices', 'dealClosed']);
  });
});
