import fc from 'fast-check';
import type { CrmUser, CompiledOutcome, CompiledSalesTopic, Deal, DealEvent, DealLogEntry, FieldDefinition } from '../../src/index.js';
import { openDeal } from '../../src/index.js';
import { outcomeEvent, sampleFields } from '../../src/compile/outcome-event.js';
import { APPROVER_ID, CLOSE_EVENTS } from './topics.js';

/*
 * Random event sequences for a deal. fast-check draws a list of steps (an
 * operation and a few numbers); `eventFor` turns a step into a concrete event
 * against the deal as it is at that moment, so most events are ones the deal
 * could accept (an offered outcome with what it demands, a planned activity
 * it has, a field value of the right type) and the rest are rejectable
 * (wrong kind, missing comment, stranger's activity, stale revision, time
 * going back) or junk (malformed, wrong types, prototype keys).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The people of the generated events: each kind of actor the rules tell apart (S2, S4, S25).
 *
 * @example
 * applyEvent(topic, deal, { type: 'moveToStage', stageId: 's1', at, actor: actors.admin });
 */
export const actors = {
  manager: { id: 'manager-1', roles: ['manager'] },
  colleague: { id: 'manager-2', roles: ['manager'] },
  director: { id: 'director-1', roles: ['director'] },
  admin: { id: 'admin', administrator: true },
  approver: { id: APPROVER_ID },
  fullAccess: { id: 'crm-full', crmAccess: 'full' as const },
  reader: { id: 'crm-reader', crmAccess: 'read' as const, roles: [] },
} satisfies Record<string, CrmUser>;
const actorList: readonly CrmUser[] = Object.values(actors);

/** The operations a step may perform, each with how often it is drawn. */
const OPERATIONS = {
  outcome: 40,
  outcomeVariant: 10,
  unknownOutcome: 2,
  plan: 8,
  complete: 5,
  cancel: 3,
  requestDeadline: 4,
  approve: 3,
  reject: 2,
  setFields: 5,
  setAmount: 3,
  business: 4,
  move: 4,
  junk: 6,
  revision: 2,
} as const;

type Operation = keyof typeof OPERATIONS;

/**
 * One step of a sequence: what to do, with numbers that pick among the options the deal offers.
 *
 * @example
 * const step: Step = { op: 'outcome', a: 0, b: 1, actor: 0, gap: 3_600_000 };
 */
export interface Step {
  readonly op: Operation;
  readonly a: number;
  readonly b: number;
  readonly actor: number;
  /** Milliseconds after the deal's last change; negative steps back in time. */
  readonly gap: number;
}

const gapArbitrary = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 * HOUR }) },
  { weight: 3, arbitrary: fc.integer({ min: 4 * HOUR, max: 4 * DAY }) },
  { weight: 1, arbitrary: fc.integer({ min: 4 * DAY, max: 60 * DAY }) },
  { weight: 1, arbitrary: fc.integer({ min: -3 * DAY, max: -1 }) },
);

/** A step; see {@link Step}. */
const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.oneof(...Object.entries(OPERATIONS).map(([op, weight]) => ({ weight, arbitrary: fc.constant(op as Operation) }))),
  a: fc.nat(1_000_000),
  b: fc.nat(1_000_000),
  actor: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.nat(actorList.length - 1) }),
  gap: gapArbitrary,
});

/**
 * Up to 50 steps, any length from 0 to 50 equally likely.
 *
 * @example
 * fc.sample(stepsArbitrary, { numRuns: 1, seed: 1 });
 */
export const stepsArbitrary = fc.array(stepArbitrary, { maxLength: 50, size: 'max' });

/**
 * When generated deals open: some moment of 2026 (both of Berlin's DST changes fall inside), on a whole minute.
 *
 * @example
 * fc.record({ openedAt: openedAtArbitrary, steps: stepsArbitrary });
 */
export const openedAtArbitrary = fc.integer({ min: 0, max: 364 * 24 * 60 }).map((minutes) => Date.parse('2026-01-01T00:00:00Z') + minutes * MINUTE);

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/**
 * Opens a deal on a topic, filling in what its first stage requires.
 *
 * @example
 * const deal = openFor(compiled, Date.parse('2026-03-02T09:00:00Z'));
 */
export function openFor(topic: CompiledSalesTopic, at: number, id = 'deal-1'): Deal {
  return openLogged(topic, at, id).deal;
}

/**
 * {@link openFor} with the first entry of the deal's log.
 *
 * @example
 * const { deal, entry } = openLogged(compiled, Date.parse('2026-03-02T09:00:00Z'));
 */
export function openLogged(topic: CompiledSalesTopic, at: number, id = 'deal-1'): { deal: Deal; entry: DealLogEntry } {
  const fields = sampleFields(topic, topic.firstStage.requiredFields, at) ?? {};
  const result = openDeal(topic, { id, clientId: 'client-1', ownerId: actors.manager.id, at, actor: actors.manager, amount: 1000, fields });
  if (!result.ok) throw new Error(`openDeal refused a generated topic: ${result.error.code}: ${result.error.message}`);
  return result;
}

/** The time of the deal's last change: events before it are out of order. */
const lastChange = (deal: Deal): number => deal.lastEventAt;

/** A value of the right type for a field (or, with `bad`, of the wrong one). */
function fieldValue(field: FieldDefinition, n: number, bad = false): string | number | boolean | null {
  if (bad) {
    switch (field.type) {
      case 'text':
        return field.maxLength === undefined ? n : 'x'.repeat(field.maxLength + 1);
      case 'number':
        return field.min !== undefined ? field.min - 1 : field.max !== undefined ? field.max + 1 : 'seven';
      case 'date':
        return pick(['2025-02-29', '2026-13-01', '12.01.2026', ''], n) ?? '';
      case 'boolean':
        return 'true';
      case 'select':
        return 'no-such-option';
    }
  }
  switch (field.type) {
    case 'text':
      return (pick(['ПЭК', 'СДЭК', '', 'constructor', '__proto__', 'x'.repeat(40)], n) ?? '').slice(0, field.maxLength ?? 10_000);
    case 'number': {
      const low = field.min ?? -1e6;
      const high = field.max ?? low + 1e6;
      return low + (n % (high - low + 1));
    }
    case 'date':
      return pick(['2026-01-31', '2024-02-29', '2026-12-31'], n) ?? '2026-01-01';
    case 'boolean':
      return n % 2 === 0;
    case 'select':
      return pick(field.options, n)?.id ?? '';
  }
}

/** Junk: events no valid deal accepts, of every malformed shape. */
function junkEvent(n: number, at: number, actor: CrmUser): unknown {
  const protoKey = JSON.parse('{"type":"setFields","fields":{},"__proto__":{"polluted":true}}') as Record<string, unknown>;
  const protoFields = JSON.parse('{"type":"setFields","fields":{"__proto__":"x"}}') as Record<string, unknown>;
  const variants: unknown[] = [
    null,
    undefined,
    'recordOutcome',
    42,
    [],
    { type: 'explode', at, actor },
    { type: 'recordOutcome', at, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at: Number.NaN, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at: Number.POSITIVE_INFINITY, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at: -1, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at: at + 0.5, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at: String(at), actor },
    { type: 'recordOutcome', outcomeId: '__proto__', at, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at, actor: {} },
    { type: 'recordOutcome', outcomeId: 'o0', at, actor: { id: '' } },
    { type: 'recordOutcome', outcomeId: 'o0', at, actor, extra: true },
    { type: 'planActivity', activityId: 'a', kind: 'fax', plannedFor: at, at, actor },
    { type: 'setFields', fields: [], at, actor },
    { type: 'setFields', fields: { f0: { nested: true } }, at, actor },
    { type: 'setFields', fields: { f0: Number.NaN }, at, actor },
    { type: 'moveToStage', stageId: 'a.b', at, actor: actors.admin },
    { type: 'requestDeadlineChange', dueAt: Number.POSITIVE_INFINITY, at, actor },
    { type: 'constructor', at, actor },
    { type: 'toString', at, actor },
    { type: '__proto__', at, actor },
    { type: 'xstate.init', at, actor },
    { type: 'xstate.stop', at, actor },
    { type: 'xstate.error.actor.x', at, actor },
    { type: '*', at, actor },
    { ...protoKey, at, actor },
    { ...protoFields, at, actor },
    { type: 'recordOutcome', outcomeId: 'o0', at, actor, expectedRevision: -1 },
  ];
  return variants[n % variants.length];
}

/**
 * The concrete event of a step for the deal as it is now. Returns `unknown`:
 * junk steps give values that are not events at all.
 *
 * @example
 * applyEvent(topic, deal, eventFor(topic, deal, step) as DealEvent);
 */
export function eventFor(topic: CompiledSalesTopic, deal: Deal, step: Step): unknown {
  const at = Math.max(0, lastChange(deal) + step.gap);
  const actor = pick(actorList, step.actor) ?? actors.manager;
  const stage = topic.stages.get(deal.stageId);
  const outcomes: readonly CompiledOutcome[] = stage === undefined ? [] : [...stage.outcomes.values()];
  const fields = [...topic.fields.values()];
  const base = { at, actor };
  // A finished or closed deal accepts little; steer a third of its steps to what it does accept.
  const steer = (step.a >>> 12) % 6;
  const op: Operation = deal.status !== 'open' && steer < 2 ? (deal.status === 'finished' && steer === 0 ? 'business' : 'move') : step.op;
  switch (op) {
    case 'outcome':
    case 'outcomeVariant': {
      const outcome = pick(outcomes, step.a);
      if (outcome === undefined) return { type: 'recordOutcome', outcomeId: 'none', ...base };
      const activity = pick(deal.activities, step.b >> 3);
      const event: Record<string, unknown> = outcomeEvent(topic, deal, {
        outcome,
        at,
        actor,
        activityId: step.b % 4 === 0 ? activity?.id : undefined,
        plan: step.b % 3 === 0,
        planId: `plan-${step.a % 7}`,
        plannedFor: at + ((step.b % 5) - 1) * DAY,
      });
      if (op === 'outcome') return event;
      // A variant: one thing changed, most likely making the event rejectable.
      const variant = { ...event };
      switch (step.b % 8) {
        case 0:
          delete variant.kindId;
          break;
        case 1:
          variant.kindId = pick([...topic.kinds.keys(), 'no-such-kind'], step.a) ?? 'no-such-kind';
          break;
        case 2:
          delete variant.comment;
          break;
        case 3:
          variant.comment = '   ';
          break;
        case 4:
          delete variant.plan;
          break;
        case 5:
          delete variant.fields;
          break;
        case 6: {
          const field = pick(fields, step.a);
          variant.fields = field === undefined ? { nothing: 1 } : { [field.id]: fieldValue(field, step.a, true) };
          break;
        }
        default:
          variant.activityId = 'no-such-activity';
      }
      return variant;
    }
    case 'unknownOutcome': {
      const other = pick(topic.stageList, step.a);
      const foreign = other === undefined ? undefined : pick([...other.outcomes.keys()], step.b);
      return { type: 'recordOutcome', outcomeId: step.b % 2 === 0 ? (foreign ?? 'nope') : 'no-such-outcome', ...base };
    }
    case 'plan': {
      const duplicate = step.b % 5 === 0 ? deal.activities[0]?.id : undefined;
      return {
        type: 'planActivity',
        activityId: duplicate ?? `act-${step.a % 13}`,
        kind: pick(['call', 'meeting', 'task'] as const, step.b) ?? 'call',
        plannedFor: Math.max(0, at + ((step.b % 7) - 1) * DAY),
        ...base,
      };
    }
    case 'complete':
    case 'cancel': {
      const activity = pick(deal.activities, step.a);
      const id = step.b % 6 === 0 || activity === undefined ? `act-${step.a % 13}` : activity.id;
      const note = step.b % 2 === 0 ? {} : op === 'complete' ? { comment: 'done' } : { reason: 'not needed' };
      return { type: op === 'complete' ? 'completeActivity' : 'cancelActivity', activityId: id, ...note, ...base };
    }
    case 'requestDeadline':
      return { type: 'requestDeadlineChange', dueAt: Math.max(0, at + ((step.a % 40) - 5) * DAY), ...(step.b % 2 === 0 ? { reason: 'budget' } : {}), ...base };
    case 'approve':
      return { type: 'approveDeadlineChange', ...(step.b % 2 === 0 ? { comment: 'ok' } : {}), ...base };
    case 'reject':
      return { type: 'rejectDeadlineChange', ...(step.b % 2 === 0 ? { reason: 'no' } : {}), ...base };
    case 'setFields': {
      const values: Record<string, unknown> = {};
      for (let index = 0; index < step.a % 3; index += 1) {
        const field = pick(fields, step.a + index);
        if (field === undefined) break;
        const roll = (step.b + index) % 10;
        values[field.id] = roll === 0 ? null : fieldValue(field, step.b + index, roll === 1);
      }
      if (step.b % 17 === 0) values['no-such-field'] = 'x';
      return { type: 'setFields', fields: values, ...base };
    }
    case 'setAmount': {
      // Mostly amounts a deal may have (none among them), sometimes one the schema refuses.
      const amounts = [null, 0, 1500, 99_999.5, -1, Number.NaN];
      return { type: 'setAmount', amount: amounts[step.a % (step.b % 7 === 0 ? amounts.length : 4)], ...base };
    }
    case 'business':
      return { type: 'reportBusinessEvent', name: pick([...CLOSE_EVENTS, 'order-cancelled'], step.a) ?? 'x', ...base };
    case 'move': {
      const target = step.b % 9 === 0 ? 'no-such-stage' : (pick(topic.stageList, step.a)?.id ?? 'no-such-stage');
      const privileged = step.b % 4 === 0 ? actor : (pick([actors.admin, actors.director, actors.fullAccess], step.b) ?? actors.admin);
      return { type: 'moveToStage', stageId: target, ...(step.b % 3 === 0 ? { reason: 'reopened' } : {}), at, actor: privileged };
    }
    case 'junk':
      return junkEvent(step.a, at, actor);
    case 'revision': {
      const outcome = pick(outcomes, step.a);
      const event = outcome === undefined ? { type: 'setFields', fields: {}, ...base } : outcomeEvent(topic, deal, { outcome, at, actor });
      const expectedRevision = step.b % 2 === 0 ? deal.revision : Math.max(0, deal.revision + (step.b % 5) - 3);
      return { ...event, expectedRevision };
    }
  }
}

/**
 * Whether a value may be sent to an XState actor at all: an object with a
 * string `type` that XState does not reserve. XState throws on `*`, stops
 * the actor on `xstate.stop` and fails it on `xstate.error.*`, whatever the
 * machine says, so hosts must validate events before sending them (applyEvent
 * rejects all of these as `invalid_event`).
 *
 * @example
 * if (isRoutable(event)) actor.send(event);
 */
export function isRoutable(value: unknown): value is DealEvent {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && type !== '*' && !type.startsWith('xstate.');
}
