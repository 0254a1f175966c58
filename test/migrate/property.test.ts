import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  availableOutcomes,
  openDeal,
  replayDeal,
  standardTopic,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type FieldDefinition,
  type FieldValue,
  type SalesTopic,
} from '../../src/index.js';
import { editTopic, type TopicEdit } from '../../src/definition/edit.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { migrateDeal, retiredFields, type MigrateOptions } from '../../src/migrate/migrate.js';
import { planMigration, type StageMapping } from '../../src/migrate/plan.js';
import { DAY, director, HOUR, manager, MONDAY } from '../support.js';
import { compile } from './helpers.js';

/*
 * Random versions of the standard topic (random valid edits), random deals
 * walked through them with applyEvent, one more random edit, and a migration:
 * every deal of a conflict-free plan lands in a stage of the new version,
 * adds one migration entry to the log its caller keeps (the log then replays,
 * on the two versions, to the migrated deal), and keeps working on the new
 * version.
 */

/** A random edit, as numbers the interpreter turns into an edit of the topic at hand. */
const seedArbitrary = fc.record({
  op: fc.integer({ min: 0, max: 15 }),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});
type Seed = { op: number; a: number; b: number; c: number };

const LIMITS = ['PT12H', 'P1D', 'P2D', 'P3D', 'P5D', null] as const;
const pick = <T,>(items: readonly T[], n: number): T => items[n % items.length] as T;
let fresh = 0;

/** The edit a seed stands for on this topic: valid or not, the editor decides. */
function interpret(topic: SalesTopic, { op, a, b, c }: Seed): TopicEdit | TopicEdit[] {
  const stages = topic.stages;
  const stage = pick(stages, a);
  const other = pick(stages, b);
  switch (op) {
    case 0: {
      // Insert a stage after another, reached from it, leading to the next one or finishing.
      const id = `s${(fresh += 1)}`;
      const after = a % stages.length;
      const following = stages[after + 1];
      const outcome = following === undefined ? { id: `${id}-won`, name: 'Won', finish: 'positive' as const } : { id: `${id}-on`, name: 'On', to: following.id };
      return [
        { op: 'addStage', index: after + 1, stage: { id, name: `Stage ${id}`, maxDuration: pick(LIMITS, c) ?? undefined, outcomes: [outcome] } },
        { op: 'addOutcome', stageId: pick(stages, a).id, outcome: { id: `to-${id}`, name: `To ${id}`, to: id } },
      ];
    }
    case 1:
      return { op: 'removeStage', stageId: stage.id, redirectTo: other.id };
    case 2:
      return { op: 'updateStage', stageId: stage.id, changes: { maxDuration: pick(LIMITS, b), idleLimit: pick(LIMITS, c) } };
    case 3:
      return { op: 'moveStage', stageId: stage.id, index: b % stages.length };
    case 4: {
      const outcome = stage.outcomes.length === 0 ? undefined : pick(stage.outcomes, c);
      return outcome === undefined ? { op: 'updateStage', stageId: stage.id, changes: { name: `Renamed ${b}` } } : { op: 'updateOutcome', stageId: stage.id, outcomeId: outcome.id, changes: { to: other.id } };
    }
    case 5:
      return { op: 'updateStage', stageId: stage.id, changes: { requiredFields: topic.fields.filter((_, index) => ((b >> index) & 1) === 1).map((field) => field.id) } };
    case 6:
      return { op: 'setDeadlineChange', deadlineChange: pick([{ approval: 'none' as const }, { approval: 'required' as const, approvers: [{ role: 'director' }] }, { approval: 'required' as const, approvers: [{ userId: 'ceo' }] }], b) };
    case 7:
      return { op: 'updateTopic', changes: { maxDuration: pick(['P20D', 'P30D', 'P45D', null], b) } };
    case 8:
      return { op: 'addField', field: pick<FieldDefinition>([{ id: `f${(fresh += 1)}`, name: 'Volume', type: 'number', min: 0 }, { id: `f${(fresh += 1)}`, name: 'Urgent', type: 'boolean' }], b) };
    case 9:
      return { op: 'setParameters', parameters: { planning: pick(['optional', 'mandatory'] as const, b), closeOn: pick([{ on: 'finish' as const }, { on: 'business-event' as const, events: ['goods-shipped'] }], c) } };
    case 10: {
      const outcome = stage.outcomes.length === 0 ? undefined : pick(stage.outcomes, c);
      return outcome === undefined ? { op: 'removeStage', stageId: stage.id } : { op: 'removeOutcome', stageId: stage.id, outcomeId: outcome.id };
    }
    case 11:
      return { op: 'updateStage', stageId: stage.id, changes: { name: `Stage ${b}`, comment: b % 2 === 0 ? null : 'Do it' } };
    case 14: {
      // Remove a field: deals that hold a value of it must keep it somewhere parseDeal accepts.
      const field = topic.fields.length === 0 ? undefined : pick(topic.fields, b);
      return field === undefined ? { op: 'updateTopic', changes: { maxDuration: 'P30D' } } : { op: 'removeField', fieldId: field.id };
    }
    case 15:
      // Other close events (S34): a finished deal may wait for one the new version drops.
      return {
        op: 'setParameters',
        parameters: { closeOn: { on: 'business-event' as const, events: pick([['goods-shipped', 'payment-received'], ['payment-received'], ['goods-shipped']], c) } },
      };
    default: {
      // Merge a stage into its neighbour: the likeliest removal to keep every stage reachable.
      const index = a % stages.length;
      const neighbour = stages[index + 1] ?? stages[index - 1] ?? stage;
      return { op: 'removeStage', stageId: stage.id, redirectTo: neighbour.id };
    }
  }
}

/** Applies the seeds that make valid edits; refused ones are skipped. */
function evolve(topic: SalesTopic, seeds: readonly Seed[]): SalesTopic {
  let current = topic;
  for (const seed of seeds) {
    const result = editTopic(current, director, interpret(current, seed));
    if (result.ok) current = result.topic;
  }
  return current;
}

function valueFor(field: FieldDefinition): FieldValue {
  switch (field.type) {
    case 'text':
      return 'ПЭК';
    case 'number':
      return field.min ?? 1;
    case 'date':
      return '2026-02-01';
    case 'boolean':
      return true;
    case 'select':
      return field.options[0]?.id ?? '';
  }
}

/** A deal opened on the topic and walked by random steps; each step that the deal accepts is kept, and its entry logged. */
function walk(topic: CompiledSalesTopic, id: string, steps: readonly number[]): { deal: Deal; log: DealLogEntry[] } {
  const fields = Object.fromEntries([...topic.fields.values()].map((field) => [field.id, valueFor(field)]));
  // Some deals start with every field filled, others with none (when the first stage lets them).
  const start = steps.length % 2 === 0 ? fields : {};
  const opened = openDeal(topic, { id, clientId: `client-${id}`, ownerId: manager.id, at: MONDAY, fields: start });
  if (!opened.ok && opened.error.code === 'required_fields_missing') return walk(topic, id, [...steps, 0]);
  if (!opened.ok) throw new Error(opened.error.message);
  let deal = opened.deal;
  const log: DealLogEntry[] = [opened.entry];
  let at = MONDAY;
  for (const step of steps) {
    at += HOUR;
    const events: DealEvent[] = [];
    const choice = step % 5;
    if (choice <= 1) {
      const options = availableOutcomes(topic, deal, at, manager).filter((option) => option.finish === null || step % 7 === 0);
      const option = options.length === 0 ? undefined : pick(options, step);
      if (option !== undefined) {
        const kind = option.kindRequired ? option.kinds[0] : undefined;
        events.push({
          type: 'recordOutcome',
          outcomeId: option.id,
          at,
          actor: manager,
          ...(step % 3 === 0 ? {} : { fields }),
          plan: { activityId: `call-${at}`, kind: 'call', plannedFor: at + DAY },
          ...(kind === undefined ? {} : { kindId: kind.id }),
          comment: 'ok',
        });
      }
    } else if (choice === 2) {
      events.push({ type: 'requestDeadlineChange', dueAt: MONDAY + 60 * DAY, at, actor: manager });
    } else if (choice === 3) {
      events.push({ type: 'approveDeadlineChange', at, actor: { id: 'ceo', roles: ['director'] } });
    } else {
      events.push({ type: 'planActivity', activityId: `task-${at}`, kind: 'task', plannedFor: at + DAY, at, actor: manager });
    }
    for (const event of events) {
      const result = applyEvent(topic, deal, event);
      if (result.ok) {
        deal = result.deal;
        log.push(result.entry);
      }
    }
  }
  return { deal, log };
}

/** The log, stored as JSON and read back, replays on the versions to exactly the deal. */
function expectReplays(versions: readonly CompiledSalesTopic[], log: readonly DealLogEntry[], deal: Deal, label: string): void {
  const replayed = replayDeal(versions, JSON.parse(JSON.stringify(log)) as unknown[]);
  if (!replayed.ok) return expect.fail(`${label}: entry ${replayed.index} of the log does not replay: ${replayed.error.code}: ${replayed.error.message}`);
  expect(replayed.deal).toEqual(deal);
}

describe('migration properties', () => {
  it('S7, S9, S25, S29: every deal of a conflict-free plan lands in a stage of the new version, adds one replayable migration entry to its log and keeps working', () => {
    let applied = 0;
    fc.assert(
      fc.property(
        fc.array(seedArbitrary, { maxLength: 4 }),
        fc.array(fc.array(fc.nat({ max: 1000 }), { maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        seedArbitrary,
        fc.nat(),
        // Options of migrateDeal, each with whether it is valid.
        fc.constantFrom<[unknown, boolean]>(
          [undefined, true],
          [null, true],
          [{}, true],
          [{ deadlines: 'keep' }, true],
          [{ by: 'admin', reason: 'v2' }, true],
          [{ at: 8.64e15 + 1 }, false],
          [{ by: 7 }, false],
          [{ reason: 'x'.repeat(10_001) }, false],
          [{ when: 1 }, false],
        ),
        (history, walks, last, mappingSeed, [options, validOptions]) => {
          // Half the runs start from a topic that closes on a business event (S34), so that some deals wait finished.
          const start = mappingSeed % 2 === 0 ? standardTopic : evolve(standardTopic, [{ op: 9, a: 0, b: 0, c: 1 }]);
          const before = evolve(start, history);
          const old = compile(before);
          // Plus one deal walked by first choices, which goes forward to a finish when the stages allow it.
          const walked = [...walks, [0, 0, 0, 0, 0, 0, 0, 0]].map((steps, index) => walk(old, `deal-${index}`, steps));
          const deals = walked.map(({ deal }) => deal);
          const logs = new Map(walked.map(({ deal, log }) => [deal.id, log]));
          const edited = editTopic(before, director, interpret(before, last));
          if (!edited.ok) return;
          const after = edited.topic;
          const kept = new Set(after.stages.map((stage) => stage.id));
          const mapping: StageMapping = Object.fromEntries(
            before.stages.filter((stage) => !kept.has(stage.id)).map((stage, index) => [stage.id, pick(after.stages, mappingSeed + index).id]),
          );
          const plan = planMigration(old, after, deals, mapping);
          const compiled = plan.topic;
          expect(compiled?.version).toBe(before.version + 1);
          for (const deal of deals) {
            const result = migrateDeal(plan, deal, options as MigrateOptions);
            const step = plan.deals.find((candidate) => candidate.dealId === deal.id);
            if (!validOptions) {
              // Checked before anything else, whatever the plan says.
              expect(result).toMatchObject({ ok: false, error: { code: 'invalid_options' } });
              continue;
            }
            if (step?.status === 'finished' && compiled !== null && [...old.closeEvents].some((name) => !compiled.closeEvents.has(name))) {
              expect(step.conflicts.map((found) => found.code)).toContain('cannot_close');
            }
            if (!plan.ok || step?.action !== 'migrate') {
              expect(result.ok).toBe(false);
              if (deal.status === 'closed') expect(step?.action).toBe('stay');
              continue;
            }
            if (!result.ok || compiled === null) return expect.fail(`expected ${deal.id} to migrate: ${JSON.stringify(result)}`);
            applied += 1;
            const { deal: moved, entry } = result;
            const log = logs.get(deal.id) as DealLogEntry[];
            const movedLog = [...log, entry];
            // Whatever migrateDeal returns is a valid stored deal of the new version.
            const keep = typeof options === 'object' && options !== null && 'deadlines' in options;
            const parsed = parseDeal(compiled, moved, { deadlines: keep ? 'ignore' : 'check' });
            if (!parsed.ok) return expect.fail(`${deal.id}: ${parsed.error.code} at ${parsed.error.path}: ${parsed.error.message}`);
            expect(Object.keys(moved.fields).every((id) => compiled.fields.has(id))).toBe(true);
            expect({ ...moved.fields, ...retiredFields(movedLog) }).toEqual({ ...retiredFields(log), ...deal.fields });
            expect(compiled.stages.has(moved.stageId)).toBe(true);
            expect(moved.stageId).toBe(mapping[deal.stageId] ?? deal.stageId);
            expect(moved.topicVersion).toBe(after.version);
            expect(moved.revision).toBe(deal.revision + 1);
            // The log grows by one entry, the migration, and with it rebuilds the migrated deal on the two versions.
            expect(entry).toMatchObject({
              type: 'migrated',
              dealId: deal.id,
              revision: moved.revision,
              from: deal.stageId,
              to: moved.stageId,
              status: moved.status,
              fromVersion: before.version,
              version: after.version,
              at: moved.lastEventAt,
            });
            expect(entry.at).toBeGreaterThanOrEqual(deal.lastEventAt);
            expect(log).toHaveLength(deal.revision);
            expectReplays([old, compiled], movedLog, moved, deal.id);
            const at = entry.at + HOUR;
            const nextEvent = applyEvent(compiled, moved, { type: 'setFields', fields: {}, at, actor: manager });
            if (!nextEvent.ok) return expect.fail(`${deal.id}: ${nextEvent.error.message}`);
            expect(parseDeal(compiled, nextEvent.deal, { deadlines: keep ? 'ignore' : 'check' }).ok).toBe(true);
            const nextLog = [...movedLog, nextEvent.entry];
            expect(retiredFields(nextLog)).toEqual(retiredFields(movedLog));
            expectReplays([old, compiled], nextLog, nextEvent.deal, `${deal.id} after the migration`);
            if (moved.status === 'open') {
              expect(applyEvent(compiled, moved, { type: 'planActivity', activityId: 'after-migration', kind: 'call', plannedFor: at + DAY, at, actor: manager }).ok).toBe(true);
              expect(() => availableOutcomes(compiled, moved, at, manager)).not.toThrow();
            }
          }
        },
      ),
      { numRuns: 100 },
    );
    expect(applied).toBeGreaterThan(0);
  });

  it('S2: random edits by a user without rights are always refused, and leave nothing changed', () => {
    fc.assert(
      fc.property(fc.array(seedArbitrary, { maxLength: 3 }), seedArbitrary, (history, seed) => {
        const topic = evolve(standardTopic, history);
        const copy = structuredClone(topic);
        const result = editTopic(topic, manager, interpret(topic, seed));
        expect(result).toMatchObject({ ok: false, issues: [{ code: 'not_permitted', rule: 'S2' }] });
        expect(topic).toEqual(copy);
      }),
      { numRuns: 100 },
    );
  });
});
