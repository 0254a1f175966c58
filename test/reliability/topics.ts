import fc from 'fast-check';
import { durationToMs, parseDuration, type TopicInput } from '../../src/index.js';

/*
 * An arbitrary of sales topic definitions that pass `parseTopic` (schema and
 * lint): 1 to 30 stages that all can be reached and all can end, cyclic and
 * backward outcomes, global outcomes, outcome kinds of every polarity, fields
 * of every type (required by stages too), both planning modes, both ways of
 * closing, both planned-contact rules, both after-close rules, approval none
 * or required, and sometimes a working calendar in Moscow or Berlin.
 *
 * fast-check draws a "blueprint" of plain numbers and flags; `buildTopic`
 * turns it into a topic deterministically, so shrinking a failure shrinks the
 * blueprint and still yields a valid topic.
 */

/**
 * The most stages a generated topic has.
 *
 * @example
 * expect(topic.stages.length).toBeLessThanOrEqual(MAX_GENERATED_STAGES);
 */
export const MAX_GENERATED_STAGES = 30;

/**
 * Ids that are valid by the id pattern and are also names of `Object.prototype` members or XState-sensitive words.
 *
 * @example
 * TRICKY_IDS.includes(stage.id);
 */
export const TRICKY_IDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'prototype', 'then', 'length', 'type', 'value', 'toJSON', 'xstate'] as const;

const STAGE_LIMITS = ['PT30S', 'PT90M', 'PT1H', 'PT4H', 'P1D', 'P2D', 'P1DT12H', 'P1W', 'P3D'] as const;
const TOPIC_LIMITS = ['P1W', 'P30D', 'P60D', 'P3650D'] as const;
const HOLIDAY_POOL = ['2026-01-01', '2026-01-02', '2026-01-07', '2026-02-23', '2026-03-09', '2026-03-30', '2026-05-01', '2026-05-11', '2026-06-12', '2026-10-26', '2026-11-04', '2026-12-25', '2026-12-31'] as const;
const WORKING_DAY_POOL = ['2026-01-03', '2026-02-28', '2026-03-28', '2026-10-24', '2026-11-01', '2026-12-26'] as const;
const WORK_HOURS = [
  { start: '09:00', end: '18:00' },
  { start: '08:30', end: '17:15' },
  { start: '00:00', end: '24:00' },
  { start: '22:00', end: '24:00' },
  { start: '01:30', end: '03:30' }, // holds Berlin's spring-forward gap and fall-back hour
] as const;

/** A blueprint of one outcome: where it goes and what it demands. */
interface OutcomePrint {
  readonly target: number;
  readonly finish: 'positive' | 'negative' | null;
  readonly kindRequired: boolean;
  readonly listKinds: number | null;
  readonly commentRequired: boolean;
  readonly restartsStageClock: boolean;
  readonly weight: number | null;
  /** What recording it requires (issue 16): a field (by index) and the amount, now and then. */
  readonly requires: { readonly field: number; readonly amount: boolean } | null;
}

interface StagePrint {
  readonly parent: number;
  /** The outcome from the parent that makes this stage reachable (unused for the first stage). */
  readonly forward: OutcomePrint;
  readonly extra: readonly OutcomePrint[];
  readonly finishes: readonly OutcomePrint[];
  readonly restsWithoutOutcomes: boolean;
  readonly maxDuration: number | null;
  readonly idleLimit: number | null;
  readonly probability: number | null;
  readonly requiredFields: readonly number[];
  readonly comment: boolean;
  /** Activities planned on entering (issue 16): kind and delay by index. */
  readonly plans: readonly { readonly kind: 'call' | 'meeting' | 'task'; readonly after: number }[];
}

interface FieldPrint {
  readonly type: 'text' | 'number' | 'date' | 'boolean' | 'select';
  readonly maxLength: number | null;
  readonly min: number | null;
  readonly span: number | null;
  readonly options: number;
}

interface CalendarPrint {
  readonly timeZone: 'Europe/Moscow' | 'Europe/Berlin';
  readonly workDays: readonly number[];
  readonly workHours: number | null;
  readonly holidays: readonly string[];
  readonly workingDays: readonly string[];
}

/**
 * Everything a generated topic is built from.
 *
 * @example
 * const input = buildTopic(fc.sample(topicPrintArbitrary, { numRuns: 1, seed: 1 })[0] as TopicPrint);
 */
export interface TopicPrint {
  readonly idStyle: 'plain' | 'tricky' | 'long';
  readonly version: number;
  readonly stages: readonly StagePrint[];
  readonly globals: readonly OutcomePrint[];
  readonly kinds: readonly { readonly polarity: 'positive' | 'negative' | 'neutral'; readonly commentRequired: boolean }[];
  readonly fields: readonly FieldPrint[];
  readonly documents: readonly { readonly stages: readonly number[] | null }[];
  readonly maxDuration: number | null;
  readonly approval: 'none' | 'role' | 'user' | 'both';
  readonly concurrentDeals: 'allowed' | 'forbidden';
  readonly planning: 'optional' | 'mandatory';
  readonly closeOn: 'finish' | 'business-event';
  readonly plannedActivities: 'keep' | 'cancel';
  readonly unpaidInvoices: 'keep' | 'cancel';
  readonly plannedContacts: 'author-only' | 'anyone';
  readonly sharedAssignmentOnFinish: boolean;
  readonly calendar: CalendarPrint | null;
  readonly extras: boolean;
}

const outcomePrint = (finish: fc.Arbitrary<'positive' | 'negative' | null>): fc.Arbitrary<OutcomePrint> =>
  fc.record({
    target: fc.nat(1000),
    finish,
    kindRequired: fc.boolean(),
    listKinds: fc.option(fc.nat(31), { nil: null }),
    commentRequired: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    restartsStageClock: fc.boolean(),
    weight: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 4 }),
    requires: fc.option(fc.record({ field: fc.nat(5), amount: fc.boolean() }), { nil: null, freq: 5 }),
  });

const stagePrint: fc.Arbitrary<StagePrint> = fc.record({
  parent: fc.nat(1000),
  forward: outcomePrint(fc.constant(null)),
  extra: fc.array(outcomePrint(fc.constant(null)), { maxLength: 3 }),
  finishes: fc.array(outcomePrint(fc.constantFrom('positive' as const, 'negative' as const)), { maxLength: 2 }),
  restsWithoutOutcomes: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  maxDuration: fc.option(fc.nat(STAGE_LIMITS.length - 1), { nil: null }),
  idleLimit: fc.option(fc.nat(STAGE_LIMITS.length - 1), { nil: null, freq: 2 }),
  probability: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  requiredFields: fc.array(fc.nat(7), { maxLength: 2 }),
  comment: fc.boolean(),
  plans: fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fc.record({ kind: fc.constantFrom('call' as const, 'meeting' as const, 'task' as const), after: fc.nat(STAGE_LIMITS.length - 1) }), { minLength: 1, maxLength: 2 }) },
  ),
});

const fieldPrint: fc.Arbitrary<FieldPrint> = fc.record({
  type: fc.constantFrom('text' as const, 'number' as const, 'date' as const, 'boolean' as const, 'select' as const),
  maxLength: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  min: fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null }),
  span: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  options: fc.integer({ min: 1, max: 4 }),
});

const calendarPrint: fc.Arbitrary<CalendarPrint> = fc.record({
  timeZone: fc.constantFrom('Europe/Moscow' as const, 'Europe/Berlin' as const),
  workDays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
  workHours: fc.option(fc.nat(WORK_HOURS.length - 1), { nil: null }),
  holidays: fc.subarray([...HOLIDAY_POOL]),
  workingDays: fc.subarray([...WORKING_DAY_POOL]),
});

/**
 * The blueprint of a topic; see {@link topicArbitrary}.
 *
 * @example
 * fc.property(topicPrintArbitrary, (print) => { compileTopic(buildTopic(print)); });
 */
export const topicPrintArbitrary: fc.Arbitrary<TopicPrint> = fc.record({
  idStyle: fc.constantFrom('plain' as const, 'plain' as const, 'tricky' as const, 'long' as const),
  version: fc.integer({ min: 1, max: 3 }),
  stages: fc.oneof(
    { weight: 3, arbitrary: fc.array(stagePrint, { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(stagePrint, { minLength: 1, maxLength: MAX_GENERATED_STAGES, size: 'max' }) },
  ),
  globals: fc.array(outcomePrint(fc.constantFrom('positive' as const, 'negative' as const, null)), { maxLength: 3 }),
  kinds: fc.array(fc.record({ polarity: fc.constantFrom('positive' as const, 'negative' as const, 'neutral' as const), commentRequired: fc.boolean() }), { maxLength: 5 }),
  fields: fc.array(fieldPrint, { maxLength: 6 }),
  documents: fc.array(fc.record({ stages: fc.option(fc.array(fc.nat(1000), { minLength: 1, maxLength: 2 }), { nil: null }) }), { maxLength: 3 }),
  maxDuration: fc.option(fc.nat(TOPIC_LIMITS.length - 1), { nil: null }),
  approval: fc.constantFrom('none' as const, 'role' as const, 'user' as const, 'both' as const),
  concurrentDeals: fc.constantFrom('allowed' as const, 'forbidden' as const),
  planning: fc.constantFrom('optional' as const, 'mandatory' as const),
  closeOn: fc.constantFrom('finish' as const, 'business-event' as const),
  plannedActivities: fc.constantFrom('keep' as const, 'cancel' as const),
  unpaidInvoices: fc.constantFrom('keep' as const, 'cancel' as const),
  plannedContacts: fc.constantFrom('author-only' as const, 'anyone' as const),
  sharedAssignmentOnFinish: fc.boolean(),
  calendar: fc.option(calendarPrint, { nil: null, freq: 3 }),
  extras: fc.boolean(),
});

/**
 * The user who approves deadline changes by id, when a topic names one.
 *
 * @example
 * ({ type: 'approveDeadlineChange', at, actor: { id: APPROVER_ID } });
 */
export const APPROVER_ID = 'approver-7';
/**
 * The business events that close deals of topics that close on one (S34).
 *
 * @example
 * ({ type: 'reportBusinessEvent', name: CLOSE_EVENTS[0], at, actor });
 */
export const CLOSE_EVENTS = ['invoice-paid', 'goods-shipped'] as const;

const at = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;
const ms = (text: string): number => durationToMs(parseDuration(text) ?? { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });

const HOUR_MS = 3_600_000;
/** Minutes after midnight of `HH:MM`. */
const minutesOf = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
/** The nominal working time of one work day of a calendar. */
const workingDayMs = (calendar: CalendarPrint): number =>
  calendar.workHours === null ? 24 * HOUR_MS : (minutesOf(at(WORK_HOURS, calendar.workHours).end) - minutesOf(at(WORK_HOURS, calendar.workHours).start)) * 60_000;

/**
 * Whether a stage limit never ends after the topic limit under a working
 * calendar (S6 against S24), decided conservatively and apart from lint:
 * days count working days (a week is the calendar's distinct work days),
 * the time part working time; the working days the stage does not use must
 * hold its time even if each one, and the partial days at both ends, lost
 * two hours to a clock change.
 */
function fitsWorking(limit: string, topicLimit: string, calendar: CalendarPrint): boolean {
  const zero = { weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  const stage = parseDuration(limit) ?? zero;
  const deal = parseDuration(topicLimit) ?? zero;
  const perWeek = new Set(calendar.workDays).size;
  const days = (d: typeof zero) => d.weeks * perWeek + d.days;
  const time = (d: typeof zero) => durationToMs({ ...d, weeks: 0, days: 0 });
  const hours = workingDayMs(calendar);
  const spare = days(deal) - days(stage);
  if (spare < 0 || time(deal) > 0) return spare >= 0 && time(stage) <= time(deal);
  return time(stage) === 0 || time(stage) <= spare * hours - (spare + 1) * 2 * HOUR_MS;
}

/** Whether a limit takes at most ten years of calendar time on a working calendar (lint's `limit_too_long`), counted generously: whole weeks of the calendar's work days, plus one. */
function withinTenYears(limit: string, calendar: CalendarPrint): boolean {
  const duration = parseDuration(limit);
  if (duration === undefined) return false;
  const perWeek = new Set(calendar.workDays).size;
  const hours = workingDayMs(calendar);
  const workDays = duration.weeks * perWeek + duration.days + Math.ceil(durationToMs({ ...duration, weeks: 0, days: 0 }) / hours);
  return perWeek > 0 && (Math.ceil(workDays / perWeek) + 1) * 7 <= 3650;
}

function stageId(style: TopicPrint['idStyle'], index: number): string {
  if (style === 'tricky' && index < TRICKY_IDS.length) return TRICKY_IDS[index] as string;
  if (style === 'long') return `${String(index).padStart(2, '0')}${'s'.repeat(62)}`;
  return `s${index}`;
}

/**
 * Builds a topic from its blueprint. Every topic it returns passes `parseTopic` (a test holds it to that).
 *
 * @example
 * parseTopic(buildTopic(print));
 */
export function buildTopic(print: TopicPrint): TopicInput {
  const count = Math.min(Math.max(print.stages.length, 1), MAX_GENERATED_STAGES);
  const stageIds = Array.from({ length: count }, (_, index) => stageId(print.idStyle, index));
  const fieldIds = print.fields.map((_, index) => (print.idStyle === 'tricky' ? at(['constructor', 'toString', 'hasOwnProperty', 'f3', 'f4', 'f5'], index) : `f${index}`));
  const kindIds = print.kinds.map((_, index) => (print.idStyle === 'tricky' ? at(['valueOf', 'k1', 'toString', 'k3', 'k4'], index) : `k${index}`));
  const chosenLimit = print.maxDuration === null ? null : at(TOPIC_LIMITS, print.maxDuration);
  const topicLimit = chosenLimit !== null && (print.calendar === null || withinTenYears(chosenLimit, print.calendar)) ? chosenLimit : null;
  const fitsTopic = (limit: string) => topicLimit === null || (print.calendar === null ? ms(limit) <= ms(topicLimit) : fitsWorking(limit, topicLimit, print.calendar));

  const fits = (polarity: 'positive' | 'negative' | 'neutral', finish: 'positive' | 'negative' | null) => polarity === 'neutral' || finish === null || polarity === finish;
  const outcome = (o: OutcomePrint, id: string, stageIndex: number | null): Record<string, unknown> => {
    const fitting = print.kinds.flatMap((kind, index) => (fits(kind.polarity, o.finish) ? [kindIds[index] as string] : []));
    const listed = o.listKinds === null ? undefined : fitting.filter((_, index) => ((o.listKinds as number) >> index) % 2 === 1);
    const available = listed ?? fitting;
    const result: Record<string, unknown> = { id, name: `Outcome ${id}` };
    if (o.finish === null) {
      const target = at(stageIds, o.target);
      result.to = target;
      if (o.restartsStageClock && stageIndex !== null && target === stageIds[stageIndex]) result.restartsStageClock = true;
    } else result.finish = o.finish;
    if (listed !== undefined) result.kinds = listed;
    if (o.kindRequired && available.length > 0) result.kindRequired = true;
    if (o.commentRequired) result.commentRequired = true;
    if (o.weight !== null) result.weight = o.weight;
    if (o.requires !== null && fieldIds.length > 0) result.requiredFields = [at(fieldIds, o.requires.field)];
    if (o.requires?.amount === true) result.amountRequired = true;
    return result;
  };

  const children = new Map<number, number[]>();
  for (let index = 1; index < count; index += 1) {
    const parent = (print.stages[index] as StagePrint).parent % index;
    children.set(parent, [...(children.get(parent) ?? []), index]);
  }
  const globals = print.globals.map((o, index) => outcome(o, print.idStyle === 'tricky' && index === 0 ? 'isPrototypeOf' : `g${index}`, null));
  const globalFinish = print.globals.some((o) => o.finish !== null);

  const stages = stageIds.map((id, index) => {
    const s = print.stages[index] as StagePrint;
    const outcomes: Record<string, unknown>[] = [];
    const outcomeId = (k: number) => (print.idStyle === 'tricky' && k === 0 ? 'toString' : `o${k}`);
    for (const child of children.get(index) ?? []) {
      outcomes.push(outcome({ ...(print.stages[child] as StagePrint).forward, target: child }, outcomeId(outcomes.length), index));
    }
    const leaf = outcomes.length === 0;
    const rests = leaf && s.restsWithoutOutcomes;
    if (!rests) {
      for (const o of s.extra) outcomes.push(outcome(o, outcomeId(outcomes.length), index));
      for (const o of s.finishes) outcomes.push(outcome(o, outcomeId(outcomes.length), index));
      // A leaf must be able to end: with a finish of its own unless a global outcome finishes.
      if (leaf && !globalFinish && !outcomes.some((o) => 'finish' in o)) outcomes.push({ id: outcomeId(outcomes.length), name: 'Done', finish: 'positive' });
    }
    const stage: Record<string, unknown> = { id, name: `Stage ${index}`, outcomes };
    if (s.comment) stage.comment = `Do what stage ${index} needs.`;
    const limit = s.maxDuration === null ? undefined : at(STAGE_LIMITS, s.maxDuration);
    if (limit !== undefined && fitsTopic(limit)) stage.maxDuration = limit;
    if (s.idleLimit !== null) stage.idleLimit = at(STAGE_LIMITS, s.idleLimit);
    if (s.probability !== null) stage.probability = s.probability;
    if (fieldIds.length > 0 && s.requiredFields.length > 0) stage.requiredFields = [...new Set(s.requiredFields.map((f) => at(fieldIds, f)))];
    if (s.plans.length > 0) stage.plans = s.plans.map((plan, p) => ({ id: `plan-${p}`, kind: plan.kind, after: at(STAGE_LIMITS, plan.after), title: `Plan ${p} of stage ${index}` }));
    return stage;
  });

  const fields = print.fields.map((f, index) => {
    const base = { id: fieldIds[index] as string, name: `Field ${index}` };
    switch (f.type) {
      case 'text':
        return f.maxLength === null ? { ...base, type: 'text' } : { ...base, type: 'text', maxLength: f.maxLength };
      case 'number': {
        const bounds: Record<string, number> = {};
        if (f.min !== null) bounds.min = f.min;
        if (f.span !== null) bounds.max = (f.min ?? 0) + f.span;
        if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) delete bounds.min;
        return { ...base, type: 'number', ...bounds };
      }
      case 'select':
        return { ...base, type: 'select', options: Array.from({ length: f.options }, (_, o) => ({ id: o === 0 && print.idStyle === 'tricky' ? 'constructor' : `opt${o}`, name: `Option ${o}` })) };
      default:
        return { ...base, type: f.type };
    }
  });

  const approvers = { none: [], role: [{ role: 'director' }], user: [{ userId: APPROVER_ID }], both: [{ role: 'director' }, { userId: APPROVER_ID }] }[print.approval];
  const topic: Record<string, unknown> = {
    id: print.idStyle === 'tricky' ? 'constructor' : 'generated',
    name: 'Generated topic',
    kind: 'sales',
    version: print.version,
    deadlineChange: { approval: print.approval === 'none' ? 'none' : 'required', approvers },
    stages,
    globalOutcomes: globals,
    outcomeKinds: print.kinds.map((kind, index) => ({ id: kindIds[index], name: `Kind ${index}`, polarity: kind.polarity, commentRequired: kind.commentRequired })),
    fields,
    documents: print.documents.map((d, index) => ({
      id: `doc${index}`,
      name: `Document ${index}`,
      template: `template-${index}`,
      ...(d.stages === null ? {} : { stages: [...new Set(d.stages.map((s) => at(stageIds, s)))] }),
    })),
    parameters: {
      concurrentDeals: print.concurrentDeals,
      planning: print.planning,
      closeOn: print.closeOn === 'finish' ? { on: 'finish' } : { on: 'business-event', events: [...CLOSE_EVENTS] },
      afterClose: { plannedActivities: print.plannedActivities, unpaidInvoices: print.unpaidInvoices },
      plannedContacts: print.plannedContacts,
      sharedAssignmentOnFinish: print.sharedAssignmentOnFinish,
    },
  };
  if (topicLimit !== null) topic.maxDuration = topicLimit;
  if (print.extras) Object.assign(topic, { $schema: '../schema/topic.schema.json', group: 'Generated', instruction: 'Follow the stages.', script: 'scripts/generated' });
  if (print.calendar !== null) {
    const c = print.calendar;
    const holidays = new Set(c.holidays);
    topic.calendar = {
      timeZone: c.timeZone,
      workDays: c.workDays,
      ...(c.workHours === null ? {} : { workHours: at(WORK_HOURS, c.workHours) }),
      holidays: c.holidays,
      workingDays: c.workingDays.filter((day) => !holidays.has(day)),
    };
  }
  return topic as unknown as TopicInput;
}

/**
 * Sales topic inputs that pass `parseTopic`.
 *
 * @example
 * fc.assert(fc.property(topicArbitrary, (input) => { parseTopic(input); }));
 */
export const topicArbitrary: fc.Arbitrary<TopicInput> = topicPrintArbitrary.map(buildTopic);
