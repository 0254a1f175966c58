import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, editTopic, migrateDeal, parseLogEntry, planMigration, standardTopic, type Deal, type DealEvent, type SalesTopic, type TopicEdit } from '../../src/index.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { compileSales, director } from '../support.js';
import { stepsArbitrary, openedAtArbitrary } from './events.js';
import { runSequence, strictDiff } from './invariants.js';

/*
 * parseDeal against the other way a stored deal changes: migration to a new
 * version of its topic. Every deal that migrateDeal moves (with recomputed
 * deadlines) must pass parseDeal on the new version, keep working there, and
 * a deal migrated with its old deadlines kept must pass with
 * `deadlines: 'ignore'`. The deals come from random event sequences.
 */

const v1 = compileSales(standardTopic);
const deals: Deal[] = fc
  .sample(fc.record({ openedAt: openedAtArbitrary, steps: stepsArbitrary }), { numRuns: 120, seed: 7 })
  .map(({ openedAt, steps }, index) => ({ ...runSequence(v1, openedAt, steps, { machine: false, parse: false }), id: `deal-${index}`, clientId: `client-${index}` }));

function next(edit: TopicEdit | readonly TopicEdit[]): SalesTopic {
  const result = editTopic(standardTopic, director, edit);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.topic;
}

const versions: [string, SalesTopic, Record<string, string>?][] = [
  // (A deal with a change waiting cannot move to new approval rules: planMigration reports it, so the S25 row leaves those out.)
  ['a longer stage limit (S6)', next({ op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P5D' } })],
  ['a longer deal limit (S24)', next({ op: 'updateTopic', changes: { maxDuration: 'P60D' } })],
  ['no approval of deadline changes any more (S25)', next({ op: 'setDeadlineChange', deadlineChange: { approval: 'none', approvers: [] } })],
  ['a stage merged into the next (S7)', next({ op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' }), { payment: 'shipment' }],
  ['a working calendar', next({ op: 'updateTopic', changes: { calendar: { timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], holidays: [], workingDays: [] } } })],
];

describe('parseDeal accepts migrated deals', () => {
  it('the deals cover every status', () => {
    expect(new Set(deals.map((deal) => deal.status))).toEqual(new Set(['open', 'closed']));
    expect(deals.filter((deal) => deal.pendingDeadlineChange !== null).length).toBeGreaterThan(0);
  });

  it.each(versions)('%s', (_name, definition, mapping) => {
    const v2 = compileSales(definition);
    const approvalChanged = definition.deadlineChange.approval !== standardTopic.deadlineChange.approval;
    const movable = approvalChanged ? deals.filter((deal) => deal.pendingDeadlineChange === null) : deals;
    const plan = planMigration(v1, v2, movable, mapping ?? {});
    expect(plan.ok, JSON.stringify(plan.conflicts.slice(0, 3))).toBe(true);
    let moved = 0;
    for (const deal of movable) {
      if (plan.deals.find((step) => step.dealId === deal.id)?.action !== 'migrate') continue;
      const recomputed = migrateDeal(plan, deal);
      if (!recomputed.ok) expect.fail(recomputed.error.message);
      const parsed = parseDeal(v2, recomputed.deal);
      if (!parsed.ok) expect.fail(`${deal.id}: ${parsed.error.code} at ${parsed.error.path}: ${parsed.error.message}`);
      expect(strictDiff(parsed.deal, recomputed.deal)).toBeUndefined();
      const kept = migrateDeal(plan, deal, { deadlines: 'keep' });
      if (!kept.ok) expect.fail(kept.error.message);
      expect(parseDeal(v2, kept.deal, { deadlines: 'ignore' })).toMatchObject({ ok: true });
      // The entry to append to the deal's log: the migration, read back as it was written.
      expect(recomputed.entry).toMatchObject({ type: 'migrated', dealId: deal.id, revision: deal.revision + 1, fromVersion: v1.version, version: v2.version, from: deal.stageId, to: recomputed.deal.stageId, at: deal.lastEventAt, deadlines: 'recompute' });
      expect(parseLogEntry(JSON.parse(JSON.stringify(recomputed.entry)))).toEqual({ ok: true, entry: recomputed.entry });
      expect(kept.entry).toMatchObject({ type: 'migrated', deadlines: 'keep' });
      // The migrated deal keeps working on the new version.
      const at = recomputed.deal.lastEventAt + 1;
      const event: DealEvent = { type: 'moveToStage', stageId: v2.firstStage.id, at, actor: director };
      const result = applyEvent(v2, recomputed.deal, event);
      if (!result.ok) expect.fail(result.error.message);
      expect(parseDeal(v2, result.deal)).toMatchObject({ ok: true });
      moved += 1;
    }
    expect(moved).toBeGreaterThan(10);
  });
});
