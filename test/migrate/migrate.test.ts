import { describe, expect, it } from 'vitest';
import { applyEvent, openDeal, replayDeal, standardTopic, type CompiledSalesTopic, type Deal, type DealEvent, type DealLogEntry } from '../../src/index.js';
import { migrateDeal, retiredFields, type MigrateResult } from '../../src/migrate/migrate.js';
import { planMigration, type MigrationPlan } from '../../src/migrate/plan.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { accepted, DAY, director, HOUR, manager, MONDAY, open, standard } from '../support.js';
import { compile, dealAt, FORWARD, next, outcome, pipeline } from './helpers.js';

function migratedResult(result: MigrateResult): Extract<MigrateResult, { ok: true }> {
  if (!result.ok) expect.fail(`expected the deal to migrate, got ${result.error.code}: ${result.error.message}`);
  return result;
}

function migrated(result: MigrateResult): Deal {
  return migratedResult(result).deal;
}

/** A deal with the log its caller keeps beside it. */
interface Logged {
  readonly deal: Deal;
  readonly log: readonly DealLogEntry[];
}

/** What `dealAt` builds, with its log: opened at MONDAY and moved `steps` stages forward, one hour apart. */
function loggedAt(topic: CompiledSalesTopic, steps: number, id: string): Logged {
  const opened = accepted(openDeal(topic, { id, clientId: `client-${id}`, ownerId: manager.id, at: MONDAY }));
  let logged: Logged = { deal: opened.deal, log: [opened.entry] };
  for (const [index, outcomeId] of FORWARD.slice(0, steps).entries()) logged = applied(topic, logged, outcome(outcomeId, MONDAY + (index + 1) * HOUR));
  return logged;
}

/** The logged deal after one more accepted event, its entry appended to the log. */
function applied(topic: CompiledSalesTopic, { deal, log }: Logged, event: DealEvent): Logged {
  const result = accepted(applyEvent(topic, deal, event));
  return { deal: result.deal, log: [...log, result.entry] };
}

/** The log, stored as JSON and read back, replays on the topic's versions to the deal. */
function expectReplays(versions: readonly CompiledSalesTopic[], log: readonly DealLogEntry[], deal: Deal): void {
  const replayed = replayDeal(versions, JSON.parse(JSON.stringify(log)) as unknown[]);
  if (!replayed.ok) expect.fail(`expected the log to replay, entry ${replayed.index} failed: ${replayed.error.code}: ${replayed.error.message}`);
  expect(replayed.deal).toEqual(deal);
}

function refusal(result: MigrateResult) {
  if (result.ok) expect.fail('expected the migration to be refused');
  return result.error;
}

/** Migrates every deal the plan moves, with the migration entries; fails on any refusal. */
function migrateEach(plan: MigrationPlan, deals: readonly Deal[], options = {}): Record<string, Extract<MigrateResult, { ok: true }>> {
  const moved: Record<string, Extract<MigrateResult, { ok: true }>> = {};
  for (const deal of deals) if (plan.deals.find((step) => step.dealId === deal.id)?.action === 'migrate') moved[deal.id] = migratedResult(migrateDeal(plan, deal, options));
  return moved;
}

/** Migrates every deal the plan moves; fails on any refusal. */
function migrateAll(plan: MigrationPlan, deals: readonly Deal[], options = {}): Record<string, Deal> {
  return Object.fromEntries(Object.entries(migrateEach(plan, deals, options)).map(([id, result]) => [id, result.deal]));
}

const v1 = standard();

describe('migrating open deals to a new version', () => {
  const { deals, byStage, lost } = pipeline(v1);

  describe('S7: a stage is removed (payment merged into shipment)', () => {
    const v2 = next(standardTopic, { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' });

    it('without a mapping, the deal in the removed stage is a conflict and nothing can be applied', () => {
      const plan = planMigration(standardTopic, v2, deals);
      expect(plan).toMatchObject({ topicId: 'standard', fromVersion: 1, toVersion: 2, ok: false });
      expect(plan.conflicts).toEqual([
        expect.objectContaining({ code: 'stage_removed', dealId: 'd-payment', stageId: 'payment', path: 'stageId', rule: 'S7' }),
      ]);
      expect(plan.deals.map((step) => [step.dealId, step.action, step.from, step.to])).toEqual([
        ['d-new', 'migrate', 'new', 'new'],
        ['d-acquaintance', 'migrate', 'acquaintance', 'acquaintance'],
        ['d-offer', 'migrate', 'offer', 'offer'],
        ['d-payment', 'conflict', 'payment', null],
        ['d-shipment', 'migrate', 'shipment', 'shipment'],
        ['d-lost', 'stay', 'new', null],
      ]);
      expect(refusal(migrateDeal(plan, byStage.new as Deal))).toMatchObject({ code: 'plan_has_conflicts' });
      expect(plan.changes.map((change) => change.type)).toContain('stage-removed');
    });

    it('with a mapping, the deal lands in the named stage, keeps its stage clock start and gets the new stage limit', () => {
      const plan = planMigration(standardTopic, v2, deals, { payment: 'shipment' });
      expect(plan.ok).toBe(true);
      expect(plan.deals.find((step) => step.dealId === 'd-payment')).toMatchObject({ action: 'migrate', from: 'payment', to: 'shipment', mapped: true });
      const deal = byStage.payment as Deal;
      // The same deal, with the log its caller keeps.
      const { deal: logged, log } = loggedAt(v1, 3, 'd-payment');
      expect(logged).toEqual(deal);
      const { deal: moved, entry } = migratedResult(migrateDeal(plan, deal, { at: MONDAY + DAY, by: director.id, reason: 'Оплата и отгрузка объединены' }));
      expect(moved).toMatchObject({
        topicVersion: 2,
        stageId: 'shipment',
        stageEnteredAt: deal.stageEnteredAt,
        stageDueAt: deal.stageEnteredAt + 3 * DAY, // shipment has P3D, payment had P5D
        dueAt: deal.dueAt,
        revision: deal.revision + 1,
        fields: deal.fields,
        activities: deal.activities,
        lastEventAt: MONDAY + DAY,
      });
      // The entry the caller appends to the log: one more entry, the migration.
      expect(entry).toEqual({
        dealId: 'd-payment',
        revision: deal.revision + 1,
        version: 2,
        type: 'migrated',
        at: MONDAY + DAY,
        by: director.id,
        from: 'payment',
        to: 'shipment',
        status: 'open',
        fromVersion: 1,
        deadlines: 'recompute',
        reason: 'Оплата и отгрузка объединены',
      });
      const compiled = compile(v2);
      // The log with the migration entry appended rebuilds the migrated deal, each entry on its version.
      expectReplays([v1, compiled], [...log, entry], moved);
      // The migrated deal keeps working on the new version.
      expect(accepted(applyEvent(compiled, moved, outcome('shipped', MONDAY + 2 * DAY))).deal.status).toBe('closed');
      expect(applyEvent(v1, moved, outcome('paid', MONDAY + 2 * DAY))).toMatchObject({ ok: false, error: { code: 'topic_mismatch' } });
    });

    it('closed deals stay on their version; a deal not in the plan or changed since is refused', () => {
      const plan = planMigration(standardTopic, v2, deals, { payment: 'shipment' });
      expect(refusal(migrateDeal(plan, lost))).toMatchObject({ code: 'deal_stays' });
      const stranger = dealAt(v1, 1, 'd-stranger');
      expect(refusal(migrateDeal(plan, stranger))).toMatchObject({ code: 'deal_not_in_plan', path: 'id' });
      const changed = accepted(applyEvent(v1, byStage.offer as Deal, { type: 'setFields', fields: { carrier: 'ПЭК' }, at: MONDAY + DAY, actor: manager })).deal;
      expect(refusal(migrateDeal(plan, changed))).toMatchObject({ code: 'stale_deal', rule: 'compare-and-set' });
    });

    it('never modifies the deal it is given, and the migration time cannot go back', () => {
      const plan = planMigration(standardTopic, v2, deals, { payment: 'shipment' });
      const frozen = deepFreeze(structuredClone(byStage.offer as Deal));
      const before = structuredClone(frozen);
      const { deal: moved, entry } = migratedResult(migrateDeal(plan, frozen));
      expect(frozen).toEqual(before);
      expect(entry.at).toBe(frozen.lastEventAt); // by default: the deal's last change
      expect(moved.lastEventAt).toBe(frozen.lastEventAt);
      expect(refusal(migrateDeal(plan, frozen, { at: MONDAY }))).toMatchObject({ code: 'event_out_of_order', path: 'at' });
      expect(refusal(migrateDeal(plan, frozen, { deadlines: 'sometimes' as never }))).toMatchObject({ code: 'invalid_options', path: 'deadlines' });
      expect(refusal(migrateDeal(plan, null as never))).toMatchObject({ code: 'invalid_deal' });
    });

    it('a mapping that names stages the versions do not have is a conflict', () => {
      const plan = planMigration(standardTopic, v2, deals, { payment: 'gone', nowhere: 'new' });
      expect(plan.conflicts.map((conflict) => [conflict.code, conflict.path])).toEqual([
        ['invalid_mapping', 'mapping.payment'],
        ['invalid_mapping', 'mapping.nowhere'],
        ['stage_removed', 'stageId'],
      ]);
    });
  });

  it('S7: a stage is inserted: every deal stays in its stage, with one migration entry', () => {
    const v2 = next(standardTopic, [
      { op: 'addStage', index: 3, stage: { id: 'contract', name: 'Договор', maxDuration: 'P2D', outcomes: [{ id: 'signed', name: 'Подписан', to: 'payment' }] } },
      { op: 'updateOutcome', stageId: 'offer', outcomeId: 'accepted', changes: { to: 'contract' } },
    ]);
    const plan = planMigration(v1, compile(v2), deals);
    expect(plan.ok).toBe(true);
    const results = migrateEach(plan, deals);
    const moved = migrateAll(plan, deals);
    expect(Object.keys(moved)).toEqual(['d-new', 'd-acquaintance', 'd-offer', 'd-payment', 'd-shipment']);
    for (const [index, deal] of deals.filter((candidate) => candidate.status !== 'closed').entries()) {
      const after = moved[deal.id] as Deal;
      const entry = results[deal.id]?.entry;
      expect(after).toEqual({ ...deal, topicVersion: 2, revision: deal.revision + 1 });
      expect(entry).toEqual(expect.objectContaining({ type: 'migrated', dealId: deal.id, revision: deal.revision + 1, from: deal.stageId, to: deal.stageId, fromVersion: 1, version: 2 }));
      const { log } = loggedAt(v1, index, deal.id);
      expectReplays([v1, plan.topic as CompiledSalesTopic], [...log, entry as DealLogEntry], after);
    }
    // The deal in the offer now moves on to the contract.
    const compiled = compile(v2);
    expect(accepted(applyEvent(compiled, moved['d-offer'] as Deal, outcome('accepted', MONDAY + DAY))).deal.stageId).toBe('contract');
  });

  describe('S6: a stage limit shrinks', () => {
    const v2 = next(standardTopic, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P1D', idleLimit: 'PT12H' } });
    const now = MONDAY + 2 * DAY;
    const deal = byStage.offer as Deal;

    it('recompute (the default): the deal in the stage becomes overdue by the new limit, counted from when it entered', () => {
      expect(deal.stageDueAt).toBe(deal.stageEnteredAt + 3 * DAY);
      expect(deal.stageDueAt as number).toBeGreaterThan(now);
      const moved = migrateAll(planMigration(v1, v2, deals), deals)['d-offer'] as Deal;
      expect(moved.stageDueAt).toBe(deal.stageEnteredAt + DAY);
      expect(moved.stageDueAt as number).toBeLessThan(now);
      expect(moved.idleDueAt).toBe(deal.lastActivityAt + 12 * HOUR);
      expect(moved.dueAt).toBe(deal.dueAt);
    });

    it('keep: the old deadlines stay', () => {
      const moved = migrateAll(planMigration(v1, v2, deals), deals, { deadlines: 'keep' })['d-offer'] as Deal;
      expect([moved.stageDueAt, moved.idleDueAt, moved.dueAt]).toEqual([deal.stageDueAt, deal.idleDueAt, deal.dueAt]);
    });
  });

  it('S24: a shorter deal limit moves every open deal\'s due date', () => {
    const v2 = next(standardTopic, { op: 'updateTopic', changes: { maxDuration: 'P10D' } });
    const moved = migrateAll(planMigration(v1, v2, deals), deals);
    for (const deal of Object.values(moved)) expect(deal.dueAt).toBe(MONDAY + 10 * DAY);
  });

  it('S29: a field that becomes required by a stage is a conflict for the deals there that lack it', () => {
    const v2 = next(standardTopic, { op: 'updateStage', stageId: 'shipment', changes: { requiredFields: ['carrier'] } });
    const plan = planMigration(v1, v2, deals);
    expect(plan.ok).toBe(false);
    expect(plan.conflicts).toEqual([
      expect.objectContaining({ code: 'required_fields_missing', dealId: 'd-shipment', stageId: 'shipment', fields: ['carrier'], path: 'fields' }),
    ]);
    // Filled in on the old version, the deal migrates; deals in earlier stages meet the rule when they enter.
    const filled = accepted(applyEvent(v1, byStage.shipment as Deal, { type: 'setFields', fields: { carrier: 'ПЭК' }, at: MONDAY + DAY, actor: manager })).deal;
    const others = deals.filter((deal) => deal.id !== 'd-shipment');
    expect(planMigration(v1, v2, [...others, filled]).ok).toBe(true);
    // A deal mapped into a stage needs everything that stage requires.
    const v3 = next(v2, { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' });
    const mapped = planMigration(v2, v3, [migrated(migrateDeal(planMigration(v1, v2, [byStage.payment as Deal]), byStage.payment as Deal))], { payment: 'shipment' });
    expect(mapped.conflicts.map((conflict) => conflict.code)).toEqual(['required_fields_missing']);
  });

  it('S29: a value that no longer fits its field is a conflict; values of removed fields are kept', () => {
    const { deal: withCarrier, log } = applied(v1, loggedAt(v1, 2, 'd-offer'), { type: 'setFields', fields: { carrier: 'Деловые линии', 'delivery-date': '2026-02-01' }, at: MONDAY + DAY, actor: manager });
    const shorter = next(standardTopic, { op: 'updateField', fieldId: 'carrier', changes: { maxLength: 5 } });
    expect(planMigration(v1, shorter, [withCarrier]).conflicts).toEqual([expect.objectContaining({ code: 'invalid_field_value', path: 'fields.carrier', fields: ['carrier'] })]);
    const removed = next(standardTopic, { op: 'removeField', fieldId: 'delivery-date' });
    const plan = planMigration(v1, removed, [withCarrier]);
    const { deal: moved, entry } = migratedResult(migrateDeal(plan, withCarrier));
    // The removed field's value leaves `fields` (field rules would refuse it) and is kept by the migration entry.
    expect(moved.fields).toEqual({ carrier: 'Деловые линии' });
    expect(entry.retiredFields).toEqual({ 'delivery-date': '2026-02-01' });
    expect(retiredFields(log)).toEqual({});
    expect(retiredFields([...log, entry])).toEqual({ 'delivery-date': '2026-02-01' });
    expectReplays([v1, plan.topic as CompiledSalesTopic], [...log, entry], moved);
  });

  describe('S25: deadline changes', () => {
    const requested = accepted(applyEvent(v1, byStage.offer as Deal, { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + DAY, actor: manager })).deal;
    const approved = accepted(applyEvent(v1, requested, { type: 'approveDeadlineChange', at: MONDAY + DAY + HOUR, actor: director })).deal;
    const rejected = accepted(applyEvent(v1, requested, { type: 'rejectDeadlineChange', at: MONDAY + DAY + HOUR, actor: director })).deal;

    it('a pending change conflicts when approval is turned off or its approvers change, not when they are only reordered', () => {
      const off = next(standardTopic, { op: 'setDeadlineChange', deadlineChange: { approval: 'none' } });
      expect(planMigration(v1, off, [requested]).conflicts).toEqual([expect.objectContaining({ code: 'pending_deadline_change', rule: 'S25', path: 'pendingDeadlineChange' })]);
      const ceo = next(standardTopic, { op: 'setDeadlineChange', deadlineChange: { approval: 'required', approvers: [{ userId: 'ceo' }] } });
      expect(planMigration(v1, ceo, [requested]).conflicts.map((conflict) => conflict.code)).toEqual(['pending_deadline_change']);
      // Settled on the old version first, the deal migrates.
      expect(planMigration(v1, off, [approved, rejected].map((deal, index) => ({ ...deal, id: `d-${index}` }))).ok).toBe(true);
      const two = next(standardTopic, { op: 'setDeadlineChange', deadlineChange: { approval: 'required', approvers: [{ role: 'director' }, { userId: 'ceo' }] } });
      const twoV1 = compile(two);
      const pendingOnTwo = accepted(applyEvent(twoV1, dealAt(twoV1, 1, 'd-two'), { type: 'requestDeadlineChange', dueAt: MONDAY + 40 * DAY, at: MONDAY + DAY, actor: manager })).deal;
      const reordered = next(two, { op: 'setDeadlineChange', deadlineChange: { approval: 'required', approvers: [{ userId: 'ceo' }, { role: 'director' }] } });
      const plan = planMigration(twoV1, reordered, [pendingOnTwo]);
      expect(plan.ok).toBe(true);
      expect(migrated(migrateDeal(plan, pendingOnTwo)).pendingDeadlineChange).toEqual(pendingOnTwo.pendingDeadlineChange);
    });

    it('an approved change survives recompute; a rejected or pending one does not count', () => {
      expect([approved.agreedDueAt, rejected.agreedDueAt, requested.agreedDueAt, (byStage.offer as Deal).agreedDueAt]).toEqual([MONDAY + 40 * DAY, null, null, null]);
      const shorter = next(standardTopic, { op: 'updateTopic', changes: { maxDuration: 'P20D' } });
      const ids = (deal: Deal, id: string) => ({ ...deal, id });
      const plan = planMigration(v1, shorter, [ids(approved, 'a'), ids(rejected, 'r'), ids(requested, 'p')]);
      expect(migrated(migrateDeal(plan, ids(approved, 'a'))).dueAt).toBe(MONDAY + 40 * DAY);
      expect(migrated(migrateDeal(plan, ids(rejected, 'r'))).dueAt).toBe(MONDAY + 20 * DAY);
      expect(migrated(migrateDeal(plan, ids(requested, 'p')))).toMatchObject({ dueAt: MONDAY + 20 * DAY, pendingDeadlineChange: requested.pendingDeadlineChange });
    });

    it('a change accepted at once on a topic without approval survives recompute too, over several migrations', () => {
      const noApproval = next(standardTopic, { op: 'setDeadlineChange', deadlineChange: { approval: 'none' } });
      const compiled = compile(noApproval);
      const { deal, log } = applied(compiled, loggedAt(compiled, 2, 'd-free'), { type: 'requestDeadlineChange', dueAt: MONDAY + 50 * DAY, at: MONDAY + DAY, actor: manager });
      expect(deal.dueAt).toBe(MONDAY + 50 * DAY);
      expect(deal.agreedDueAt).toBe(MONDAY + 50 * DAY);
      const v3 = next(noApproval, { op: 'updateTopic', changes: { maxDuration: 'P20D' } });
      const toV3 = planMigration(compiled, v3, [deal]);
      const once = migratedResult(migrateDeal(toV3, deal));
      const v4 = next(v3, { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P2D' } });
      const toV4 = planMigration(v3, v4, [once.deal]);
      const twice = migratedResult(migrateDeal(toV4, once.deal));
      expect([once.deal.dueAt, twice.deal.dueAt, twice.deal.topicVersion, twice.deal.agreedDueAt]).toEqual([MONDAY + 50 * DAY, MONDAY + 50 * DAY, 4, MONDAY + 50 * DAY]);
      const full = [...log, once.entry, twice.entry];
      expect(full.filter((entry) => entry.type === 'migrated').map((entry) => entry.version)).toEqual([3, 4]);
      expectReplays([compiled, toV3.topic as CompiledSalesTopic, toV4.topic as CompiledSalesTopic], full, twice.deal);
    });
  });

  it('S11: "negotiations ongoing" follows the new stage', () => {
    const v2 = next(standardTopic, { op: 'removeOutcome', stageId: 'shipment', outcomeId: 'shipped' });
    const moved = migrateAll(planMigration(v1, v2, deals), deals);
    expect(moved['d-shipment']?.negotiationsOngoing).toBe(true);
    expect(moved['d-payment']?.negotiationsOngoing).toBe(false);
  });

  it('S34: a finished deal waiting for a business event migrates, unless the new version closes on the finish itself', () => {
    const businessTopic = next(standardTopic, { op: 'setParameters', parameters: { closeOn: { on: 'business-event', events: ['goods-shipped'] } } });
    const compiled = compile(businessTopic);
    const finished = accepted(applyEvent(compiled, dealAt(compiled, 4, 'd-won'), outcome('shipped', MONDAY + DAY))).deal;
    expect(finished.status).toBe('finished');
    const renamed = next(businessTopic, { op: 'updateTopic', changes: { name: 'Продажи' } });
    const plan = planMigration(compiled, renamed, [finished]);
    const moved = migrated(migrateDeal(plan, finished));
    expect(moved).toMatchObject({ status: 'finished', finish: finished.finish, topicVersion: 3 });
    expect(accepted(applyEvent(compile(renamed), moved, { type: 'reportBusinessEvent', name: 'goods-shipped', at: MONDAY + 2 * DAY, actor: manager })).deal.status).toBe('closed');
    const onFinish = next(businessTopic, { op: 'setParameters', parameters: { closeOn: { on: 'finish' } } });
    expect(planMigration(compiled, onFinish, [finished]).conflicts).toEqual([expect.objectContaining({ code: 'cannot_close', rule: 'S34' })]);
  });

  it('deals of another topic or version, malformed and duplicated deals are conflicts; so are unrelated versions', () => {
    const v2 = next(standardTopic, { op: 'updateTopic', changes: { name: 'Продажи' } });
    const deal = byStage.offer as Deal;
    const plan = planMigration(v1, v2, [{ ...deal, topicVersion: 7 }, { ...deal, id: 'x', topicId: 'other' }, { ...deal, id: 'y', stageId: 'gone' }, null as never, { ...deal, id: 'twin' }, { ...deal, id: 'twin' }]);
    expect(plan.conflicts.map((conflict) => [conflict.code, conflict.dealId, conflict.path])).toEqual([
      ['topic_mismatch', 'd-offer', 'topicId'],
      ['topic_mismatch', 'x', 'topicId'],
      ['unknown_stage', 'y', 'stageId'],
      ['invalid_deal', undefined, '[3]'],
      ['duplicate_deal', 'twin', 'id'],
      ['duplicate_deal', 'twin', 'id'],
    ]);
    expect(planMigration(v2, v1, []).conflicts.map((conflict) => conflict.code)).toEqual(['version_not_newer']);
    expect(planMigration(v1, { ...v2, id: 'other' }, []).conflicts.map((conflict) => conflict.code)).toEqual(['topic_mismatch']);
    expect(planMigration(v1, { ...v2, stages: [] } as never, [deal])).toMatchObject({ ok: false, deals: [], topic: null, conflicts: [expect.objectContaining({ code: 'invalid_topic', path: 'after' })] });
    expect(planMigration({ id: 'standard', name: 'S', kind: 'service', version: 1 }, v2, [])).toMatchObject({ ok: false, conflicts: [expect.objectContaining({ code: 'not_a_sales_topic', path: 'before' })] });
  });

  it('an empty plan is applicable and the plan is plain data apart from the compiled topic', () => {
    const v2 = next(standardTopic, { op: 'updateTopic', changes: { name: 'Продажи' } });
    const plan = planMigration(v1, v2, []);
    expect(plan).toMatchObject({ ok: true, deals: [], conflicts: [] });
    const { topic, ...data } = plan;
    expect(topic?.version).toBe(2);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(refusal(migrateDeal(plan, open(v1)))).toMatchObject({ code: 'deal_not_in_plan' });
  });
});
