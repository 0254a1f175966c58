/*
 * The baselines `applyEvent` is timed against on the realistic stream of
 * bench/stream.ts: the smallest hand-written reducer that does the same work
 * for the events the stream uses, and the XState machine a user would write
 * by hand for the standard topic instead of using this library.
 */
import { and, assign, createActor, setup, transition } from 'xstate';
import {
  applyEvent,
  idleDeadline,
  isCalendarDate,
  isCompiledTopic,
  isId,
  stageDeadline,
  type CompiledSalesTopic,
  type CompiledStage,
  type CrmUser,
  type Deal,
  type DealEvent,
  type DealEventOf,
  type DealFinish,
  type FieldValue,
  type PlannedActivity,
} from '../src/index.js';
import { fitsLength, isLabel, isStorableText } from '../src/definition/text.js';
import { MAX_TIME } from '../src/time/date.js';
import { isPlainObject } from '../src/util/plain-object.js';
import { dealRuns, type DealRun } from './stream.js';

/** The answer of the {@link minimalReducer}: the new deal and its log entry, or the code of the error `applyEvent` would give. */
export type MinimalResult = { ok: true; deal: Deal; entry: unknown } | { ok: false; code: string };

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type Fields = Readonly<Record<string, FieldValue>>;

const refuse = (code: string): MinimalResult => ({ ok: false, code });

// The checks of src/deal/event-check.ts, written out for the two event types the stream uses.
const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= 10_000 && isStorableText(value);
const isName = (value: unknown): value is string => typeof value === 'string' && isLabel(value, 200);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TIME;

/** A checked copy of a list of roles or teams, or `undefined`. */
function readNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 100) return undefined;
  const copy: string[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const name: unknown = value[index];
    if (!isName(name)) return undefined;
    copy.push(name);
  }
  return copy;
}

/** A checked copy of an actor, or `undefined`. */
function readActor(value: unknown): CrmUser | undefined {
  if (!isPlainObject(value)) return undefined;
  const copy: Partial<Writable<CrmUser>> = {};
  for (const key in value) {
    const field = value[key];
    if (key !== 'id' && key !== 'roles' && key !== 'teams' && key !== 'administrator' && key !== 'crmAccess') return undefined;
    if (field === undefined) continue;
    if (key === 'id') {
      if (!isName(field)) return undefined;
      copy.id = field;
    } else if (key === 'roles' || key === 'teams') {
      const names = readNames(field);
      if (names === undefined) return undefined;
      copy[key] = names;
    } else if (key === 'administrator') {
      if (typeof field !== 'boolean') return undefined;
      copy.administrator = field;
    } else {
      if (field !== 'none' && field !== 'read' && field !== 'full') return undefined;
      copy.crmAccess = field;
    }
  }
  return copy.id === undefined ? undefined : (copy as CrmUser);
}

type Plan = NonNullable<DealEventOf<'recordOutcome'>['plan']>;

/** A checked copy of a planned activity, or `undefined`. */
function readPlan(value: unknown): Plan | undefined {
  if (!isPlainObject(value)) return undefined;
  const copy: Partial<Writable<Plan>> = {};
  for (const key in value) {
    const field = value[key];
    if (key !== 'activityId' && key !== 'kind' && key !== 'plannedFor') return undefined;
    if (field === undefined) continue;
    if (key === 'activityId') {
      if (!isId(field)) return undefined;
      copy.activityId = field;
    } else if (key === 'kind') {
      if (field !== 'call' && field !== 'meeting' && field !== 'task') return undefined;
      copy.kind = field;
    } else {
      if (!isTime(field)) return undefined;
      copy.plannedFor = field;
    }
  }
  return copy.activityId === undefined || copy.kind === undefined || copy.plannedFor === undefined ? undefined : (copy as Plan);
}

/** A checked copy of field values (`null` clears a field), or `undefined`. */
function readFieldValues(value: unknown): Record<string, FieldValue | null> | undefined {
  if (!isPlainObject(value)) return undefined;
  const copy: Record<string, FieldValue | null> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !isId(key)) return undefined;
    const field = value[key];
    if (!(field === null || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field)) || isText(field))) return undefined;
    copy[key] = field as FieldValue | null;
  }
  return copy;
}

/** An event the reducer takes, checked and copied, with what the log keeps of it. */
interface Checked {
  readonly type: 'recordOutcome' | 'setFields';
  readonly at: number;
  readonly actor: CrmUser;
  readonly expectedRevision?: number;
  readonly outcomeId?: string;
  readonly kindId?: string;
  readonly comment?: string;
  readonly activityId?: string;
  readonly plan?: Plan;
  readonly fields?: Record<string, FieldValue | null>;
  /** The event without `type`, `at`, `expectedRevision`, and without `actor` unless it says more than an id; in the event's own key order. */
  readonly logged: Record<string, unknown>;
}

const BASE_KEYS = ['type', 'at', 'actor', 'expectedRevision'];
const KEYS = {
  recordOutcome: new Set([...BASE_KEYS, 'outcomeId', 'kindId', 'comment', 'activityId', 'plan', 'fields']),
  setFields: new Set([...BASE_KEYS, 'fields']),
};

/** Reads each property of the caller's event once, into a checked copy; `undefined` when it is not a well-formed event of the two types. */
function readEvent(event: unknown): Checked | undefined {
  if (!isPlainObject(event)) return undefined;
  const type = event.type;
  if ((type !== 'recordOutcome' && type !== 'setFields') || !Object.hasOwn(event, 'type')) return undefined;
  const keys = KEYS[type];
  const checked: Partial<Writable<Checked>> = { type };
  const logged: Record<string, unknown> = {};
  // for…in also walks inherited keys: a polluted prototype shows here, as in wellFormedEvent.
  for (const key in event) {
    if (!keys.has(key)) return undefined;
    if (key === 'type') continue;
    const value = event[key];
    if (value === undefined) continue;
    switch (key) {
      case 'at':
        if (!isTime(value)) return undefined;
        checked.at = value;
        break;
      case 'actor': {
        const actor = readActor(value);
        if (actor === undefined) return undefined;
        checked.actor = actor;
        if (actor.roles !== undefined || actor.teams !== undefined || actor.administrator !== undefined || actor.crmAccess !== undefined) logged.actor = actor;
        break;
      }
      case 'expectedRevision':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
        checked.expectedRevision = value;
        break;
      case 'outcomeId':
      case 'kindId':
      case 'activityId':
        if (!isId(value)) return undefined;
        checked[key] = logged[key] = value;
        break;
      case 'comment':
        if (!isText(value)) return undefined;
        checked.comment = logged.comment = value;
        break;
      case 'plan': {
        const plan = readPlan(value);
        if (plan === undefined) return undefined;
        checked.plan = logged.plan = plan;
        break;
      }
      case 'fields': {
        const fields = readFieldValues(value);
        if (fields === undefined) return undefined;
        checked.fields = logged.fields = fields;
        break;
      }
    }
  }
  if (checked.at === undefined || checked.actor === undefined) return undefined;
  if (type === 'recordOutcome' ? checked.outcomeId === undefined : checked.fields === undefined) return undefined;
  checked.logged = logged;
  return checked as Checked;
}

// The cheap check of a stored deal, as src/deal/check-deal.ts does it.
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isDeadline = (value: unknown): boolean => value === null || isNumber(value);

function dealProblem(topic: CompiledSalesTopic, deal: Deal): string | undefined {
  if (typeof deal !== 'object' || deal === null) return 'invalid_deal';
  const { activities, fields } = deal;
  const pending: unknown = deal.pendingDeadlineChange;
  const shapeOk =
    typeof deal.id === 'string' &&
    typeof deal.topicId === 'string' &&
    typeof deal.clientId === 'string' &&
    typeof deal.stageId === 'string' &&
    (deal.status === 'open' || deal.status === 'finished' || deal.status === 'closed') &&
    Number.isSafeInteger(deal.revision) &&
    deal.revision >= 0 &&
    isNumber(deal.openedAt) &&
    isNumber(deal.stageEnteredAt) &&
    isNumber(deal.lastActivityAt) &&
    isDeadline(deal.stageDueAt) &&
    isDeadline(deal.dueAt) &&
    isDeadline(deal.idleDueAt) &&
    Array.isArray(activities) &&
    activities.every(isActivity) &&
    isNumber(deal.lastEventAt) &&
    isDeadline(deal.agreedDueAt) &&
    typeof fields === 'object' &&
    fields !== null &&
    !Array.isArray(fields) &&
    !Object.hasOwn(fields, '__proto__') &&
    (pending === null || (typeof pending === 'object' && isNumber((pending as { dueAt?: unknown }).dueAt)));
  if (!shapeOk) return 'invalid_deal';
  if (deal.topicId !== topic.id || deal.topicVersion !== topic.version) return 'topic_mismatch';
  return topic.stages.has(deal.stageId) ? undefined : 'unknown_stage';
}

function isActivity(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { id, authorId, kind, plannedFor } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof authorId === 'string' && typeof kind === 'string' && isNumber(plannedFor);
}

/** The deal's fields with the values merged in (`null` clears a field), or the error code; as `mergeFields` in src/deal/fields.ts. */
function mergeValues(topic: CompiledSalesTopic, current: Fields, values: Readonly<Record<string, FieldValue | null>>): Fields | string {
  // Set fields keep their place and new ones come last, as the library orders them.
  const merged: Record<string, FieldValue> = { ...current };
  let clears = false;
  for (const id in values) {
    const field = topic.fields.get(id);
    if (field === undefined) return 'unknown_field';
    const value = values[id] as FieldValue | null;
    if (value === null) {
      clears = true;
      continue;
    }
    let fits: boolean;
    switch (field.type) {
      case 'text':
        fits = typeof value === 'string' && (field.maxLength === undefined || fitsLength(value, field.maxLength));
        break;
      case 'number':
        fits = typeof value === 'number' && Number.isFinite(value) && !(field.min !== undefined && value < field.min) && !(field.max !== undefined && value > field.max);
        break;
      case 'date':
        fits = typeof value === 'string' && isCalendarDate(value);
        break;
      case 'boolean':
        fits = typeof value === 'boolean';
        break;
      case 'select':
        fits = typeof value === 'string' && field.options.some((option) => option.id === value);
        break;
    }
    if (!fits) return 'invalid_field_value';
    merged[id] = value;
  }
  if (!clears) return merged;
  const kept: Record<string, FieldValue> = {};
  for (const id in merged) if (values[id] !== null) kept[id] = merged[id] as FieldValue;
  return kept;
}

/** Whether an actor may use a topic with an `access` list, as `canUseTopic` decides on an actor already checked. */
function mayUse(access: NonNullable<CompiledSalesTopic['definition']['access']>, actor: CrmUser): boolean {
  if (actor.administrator === true) return true;
  const { users, roles, teams } = access;
  const any = (list: readonly string[] | undefined, values: readonly string[] | undefined) => list !== undefined && values !== undefined && values.some((value) => list.includes(value));
  return any(users, [actor.id]) || any(roles, actor.roles) || any(teams, actor.teams);
}

/** The next deal, written out field by field in the order `applyEvent` gives it. */
function nextDeal(deal: Deal, changes: Partial<Deal>, at: number): Deal {
  return {
    id: deal.id,
    topicId: deal.topicId,
    topicVersion: deal.topicVersion,
    clientId: deal.clientId,
    ownerId: deal.ownerId,
    status: changes.status ?? deal.status,
    stageId: changes.stageId ?? deal.stageId,
    negotiationsOngoing: changes.negotiationsOngoing ?? deal.negotiationsOngoing,
    openedAt: deal.openedAt,
    stageEnteredAt: changes.stageEnteredAt ?? deal.stageEnteredAt,
    stageDueAt: changes.stageDueAt === undefined ? deal.stageDueAt : changes.stageDueAt,
    dueAt: changes.dueAt === undefined ? deal.dueAt : changes.dueAt,
    lastActivityAt: changes.lastActivityAt ?? deal.lastActivityAt,
    idleDueAt: changes.idleDueAt === undefined ? deal.idleDueAt : changes.idleDueAt,
    amount: deal.amount,
    fields: changes.fields ?? deal.fields,
    activities: changes.activities ?? deal.activities,
    pendingDeadlineChange: changes.pendingDeadlineChange === undefined ? deal.pendingDeadlineChange : changes.pendingDeadlineChange,
    finish: changes.finish === undefined ? deal.finish : changes.finish,
    agreedDueAt: changes.agreedDueAt === undefined ? deal.agreedDueAt : changes.agreedDueAt,
    lastEventAt: at,
    revision: deal.revision + 1,
  };
}

/**
 * The smallest hand-written reducer that does the work of `applyEvent` for
 * the events of the bench stream (`recordOutcome` with its optional
 * activity, plan, kind, comment and fields, and `setFields`): it checks and
 * copies the untrusted event as `wellFormedEvent` does, checks the stored
 * deal as `checkDeal` does, applies the same rules, and returns the same new
 * deal and log entry, without zod and without `applyEvent`. It computes no
 * effects (the answer has none). Other event types, and events the fast
 * check would hand to zod, are answered `invalid_event`.
 *
 * @example
 * const reduce = minimalReducer(topic);
 * const result = reduce(deal, { type: 'setFields', fields: { carrier: 'ПЭК' }, at, actor: { id: 'manager' } });
 */
export function minimalReducer(topic: CompiledSalesTopic): (deal: Deal, event: unknown) => MinimalResult {
  // The topic is fixed for the reducer's life, so `applyEvent`'s per-call check of it is made once here.
  if (!isCompiledTopic(topic) || topic.kind !== 'sales') throw new TypeError('minimalReducer needs a compiled sales topic');
  const { access, parameters } = topic.definition;
  const mandatoryPlanning = parameters.planning === 'mandatory';
  const authorOnly = parameters.plannedContacts === 'author-only';
  const cancelOnClose = parameters.afterClose.plannedActivities === 'cancel';
  const closesOnFinish = topic.closeEvents.size === 0;

  /** The deal after an outcome, or the code of the error. */
  function recordOutcome(deal: Deal, event: Checked): Deal | string {
    const { at, actor, kindId, comment } = event;
    const stage = topic.stages.get(deal.stageId) as CompiledStage;
    const outcome = stage.outcomes.get(event.outcomeId as string);
    if (outcome === undefined) return 'unknown_outcome';
    const kind = kindId === undefined ? undefined : outcome.kinds.get(kindId);
    if (kindId !== undefined && kind === undefined) return 'kind_not_allowed';
    if (kind === undefined && outcome.kindRequired) return 'kind_required';
    if ((outcome.commentRequired || kind?.commentRequired === true) && (comment ?? '').trim() === '') return 'comment_required';
    let activities: readonly PlannedActivity[] = deal.activities;
    if (event.activityId !== undefined) {
      const done = activities.find((activity) => activity.id === event.activityId);
      if (done === undefined) return 'unknown_activity';
      if (authorOnly && done.authorId !== actor.id) return 'not_activity_author';
      activities = activities.filter((activity) => activity !== done);
    }
    const { plan } = event;
    if (plan !== undefined) {
      if (activities.some((activity) => activity.id === plan.activityId)) return 'duplicate_activity';
      if (plan.plannedFor < at) return 'activity_in_past';
      const planned = activities.slice();
      planned.push({ id: plan.activityId, kind: plan.kind, authorId: actor.id, plannedFor: plan.plannedFor });
      activities = planned;
    }
    let fields = deal.fields;
    if (event.fields !== undefined) {
      const merged = mergeValues(topic, fields, event.fields);
      if (typeof merged === 'string') return merged;
      fields = merged;
    }
    if (outcome.finish !== null) {
      // The final contact removes the other authors' planned contacts (S4).
      if (!authorOnly && activities.some((activity) => activity.authorId !== actor.id)) activities = activities.filter((activity) => activity.authorId === actor.id);
      const closes = outcome.finish === 'negative' || closesOnFinish;
      if (closes && cancelOnClose) activities = [];
      const finish: Writable<DealFinish> = { outcomeId: outcome.id, result: outcome.finish, at, by: actor.id };
      if (kindId !== undefined) finish.kindId = kindId;
      if (comment !== undefined) finish.comment = comment;
      return nextDeal(deal, { activities, fields, status: closes ? 'closed' : 'finished', finish, pendingDeadlineChange: null, lastActivityAt: at }, at);
    }
    if (mandatoryPlanning && !activities.some((activity) => (activity.kind === 'call' || activity.kind === 'meeting') && activity.plannedFor > at)) return 'planning_required';
    const target = topic.stages.get(outcome.to as string) as CompiledStage;
    if (!outcome.cyclic && target.requiredFields.some((id) => !Object.hasOwn(fields, id) || fields[id] === '')) return 'required_fields_missing';
    const changes: Partial<Deal> =
      !outcome.cyclic || outcome.restartsStageClock
        ? {
            stageId: target.id,
            negotiationsOngoing: target.negotiationsOngoing,
            stageEnteredAt: at,
            stageDueAt: stageDeadline(topic, target, at),
            lastActivityAt: at,
            idleDueAt: idleDeadline(topic, target, at),
            activities,
            fields,
          }
        : { lastActivityAt: at, idleDueAt: idleDeadline(topic, target, at), activities, fields };
    return nextDeal(deal, changes, at);
  }

  function reduce(deal: Deal, input: unknown): MinimalResult {
    const event = readEvent(input);
    if (event === undefined) return refuse('invalid_event');
    const problem = dealProblem(topic, deal);
    if (problem !== undefined) return refuse(problem);
    const { at, actor, type } = event;
    if (event.expectedRevision !== undefined && event.expectedRevision !== deal.revision) return refuse('stale_revision');
    if (at < deal.openedAt) return refuse('event_before_open');
    if (at < deal.lastEventAt) return refuse('event_out_of_order');
    if (access !== undefined && !mayUse(access, actor)) return refuse('topic_access_denied');
    if (deal.status === 'closed') return refuse('deal_closed');
    let next: Deal | string;
    if (type === 'setFields') {
      const merged = mergeValues(topic, deal.fields, event.fields as Record<string, FieldValue | null>);
      next = typeof merged === 'string' ? merged : nextDeal(deal, { fields: merged }, at);
    } else {
      if (deal.status === 'finished') return refuse('deal_finished');
      next = recordOutcome(deal, event);
    }
    if (typeof next === 'string') return refuse(next);
    const entry = { dealId: deal.id, revision: next.revision, version: deal.topicVersion, at, by: actor.id, from: deal.stageId, to: next.stageId, status: next.status, type, event: event.logged };
    return { ok: true, deal: next, entry };
  }

  return (deal, input) => {
    try {
      return reduce(deal, input);
    } catch {
      // As in applyEvent: only a getter or proxy trap that throws gets here.
      return refuse('unreadable_input');
    }
  };
}

/*
 * The peer machine: the standard topic of src/definition/standard-topic.ts
 * written out by hand as an XState v5 machine whose context is the deal.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The standard topic's stages: their time limit and idle limit (no working calendar, so plain milliseconds). */
const STAGES = {
  new: { limit: DAY, idle: null },
  acquaintance: { limit: 2 * DAY, idle: DAY },
  offer: { limit: 3 * DAY, idle: 2 * DAY },
  payment: { limit: 5 * DAY, idle: null },
  shipment: { limit: 3 * DAY, idle: null },
} as const;
type StageId = keyof typeof STAGES;

/** The outcome kinds of the standard topic, `true` where the kind needs a comment: moves and the refusal take them all, the positive finish only the neutral one. */
const ALL_KINDS: ReadonlyMap<string, boolean> = new Map([
  ['too-expensive', false],
  ['competitor', true],
  ['no-need', false],
  ['unreachable', false],
  ['other', true],
]);
const NEUTRAL_KINDS: ReadonlyMap<string, boolean> = new Map([['other', true]]);

type RecordOutcome = DealEventOf<'recordOutcome'>;
const hasText = (text: string | undefined) => text !== undefined && text.trim() !== '';

/** The deal's activities once the event has recorded one and planned the next. */
function activitiesAfter(deal: Deal, event: RecordOutcome): readonly PlannedActivity[] {
  let activities = deal.activities;
  if (event.activityId !== undefined) activities = activities.filter((activity) => activity.id !== event.activityId);
  if (event.plan !== undefined) activities = [...activities, { id: event.plan.activityId, kind: event.plan.kind, authorId: event.actor.id, plannedFor: event.plan.plannedFor }];
  return activities;
}

/**
 * What a user would write instead of this library: the standard topic's
 * pipeline as a hand-written XState v5 machine whose context is the deal.
 * Guards check the outcome (`is`), the event's time, the recorded and
 * planned activities and the field values (`valid`), mandatory planning
 * (`planned`), the outcome kind (`allowedKind`: the refusal needs one, and
 * some kinds a comment) and required comments (`commented`); `assign`
 * actions make the same immutable deal update as `applyEvent`. It trusts the
 * event's shape and the stored deal (no check of untrusted input, no log
 * entry, no effects), so it does less work than `applyEvent`, not more. The
 * topic gives only the field definitions and the planning parameter.
 *
 * @example
 * const machine = peerMachine(topic);
 * const [next] = transition(machine, peerSnapshot(machine, deal), event);
 */
export function peerMachine(topic: CompiledSalesTopic) {
  const mandatoryPlanning = topic.definition.parameters.planning === 'mandatory';
  const merge = (deal: Deal, event: { fields?: Readonly<Record<string, FieldValue | null>> }): Fields | string =>
    event.fields === undefined ? deal.fields : mergeValues(topic, deal.fields, event.fields);

  const outcomeUpdate = (deal: Deal, event: RecordOutcome) => ({
    activities: activitiesAfter(deal, event),
    fields: merge(deal, event) as Fields,
    lastActivityAt: event.at,
    lastEventAt: event.at,
    revision: deal.revision + 1,
  });

  const machine = setup({
    // No `input` type, so that `createActor(machine, { snapshot })` needs none; a fresh actor takes the deal as its input.
    types: {} as { context: Deal; events: DealEvent },
    guards: {
      is: ({ event }, params: { outcome: string }) => event.type === 'recordOutcome' && event.outcomeId === params.outcome,
      valid: ({ context, event }) => {
        if (event.type !== 'recordOutcome' && event.type !== 'setFields') return false;
        if (event.at < context.lastEventAt) return false;
        if (typeof merge(context, event) === 'string') return false;
        if (event.type === 'setFields') return true;
        if (event.activityId !== undefined && !context.activities.some((activity) => activity.id === event.activityId)) return false;
        const { plan } = event;
        return plan === undefined || (plan.plannedFor >= event.at && !context.activities.some((activity) => activity.id === plan.activityId && activity.id !== event.activityId));
      },
      planned: ({ context, event }) =>
        !mandatoryPlanning ||
        (event.type === 'recordOutcome' && activitiesAfter(context, event).some((activity) => (activity.kind === 'call' || activity.kind === 'meeting') && activity.plannedFor > event.at)),
      allowedKind: ({ event }, params: { kinds: ReadonlyMap<string, boolean>; required: boolean }) => {
        if (event.type !== 'recordOutcome') return false;
        if (event.kindId === undefined) return !params.required;
        const commentRequired = params.kinds.get(event.kindId);
        return commentRequired === false || (commentRequired === true && hasText(event.comment));
      },
      commented: ({ event }) => event.type === 'recordOutcome' && hasText(event.comment),
    },
    actions: {
      enter: assign(({ context, event }, params: { stage: StageId }) => {
        if (event.type !== 'recordOutcome') return {};
        const { limit, idle } = STAGES[params.stage];
        const at = event.at;
        return { ...outcomeUpdate(context, event), stageId: params.stage, negotiationsOngoing: false, stageEnteredAt: at, stageDueAt: at + limit, idleDueAt: idle === null ? null : at + idle };
      }),
      stay: assign(({ context, event }) => {
        if (event.type !== 'recordOutcome') return {};
        const { idle } = STAGES[context.stageId as StageId];
        return { ...outcomeUpdate(context, event), idleDueAt: idle === null ? null : event.at + idle };
      }),
      finish: assign(({ context, event }, params: { result: 'positive' | 'negative' }) => {
        if (event.type !== 'recordOutcome') return {};
        const finish: Writable<DealFinish> = { outcomeId: event.outcomeId, result: params.result, at: event.at, by: event.actor.id };
        if (event.kindId !== undefined) finish.kindId = event.kindId;
        if (event.comment !== undefined) finish.comment = event.comment;
        // The standard topic closes on the finish and cancels the planned activities.
        return { ...outcomeUpdate(context, event), activities: [], status: 'closed' as const, finish, pendingDeadlineChange: null };
      }),
      setFields: assign(({ context, event }) =>
        event.type === 'setFields' ? { fields: merge(context, event) as Fields, lastEventAt: event.at, revision: context.revision + 1 } : {},
      ),
    },
  });

  const anyKind = { type: 'allowedKind', params: { kinds: ALL_KINDS, required: false } } as const;
  const move = (outcome: string, stage: StageId) => ({ guard: and([{ type: 'is', params: { outcome } }, anyKind, 'valid', 'planned']), target: stage, actions: { type: 'enter', params: { stage } } }) as const;
  const stay = (outcome: string) => ({ guard: and([{ type: 'is', params: { outcome } }, anyKind, 'valid', 'planned']), actions: 'stay' }) as const;
  const refused = {
    guard: and([{ type: 'is', params: { outcome: 'refused' } }, { type: 'allowedKind', params: { kinds: ALL_KINDS, required: true } }, 'valid']),
    target: 'lost',
    actions: { type: 'finish', params: { result: 'negative' } },
  } as const;
  const setFields = { guard: 'valid', actions: 'setFields' } as const;

  return machine.createMachine({
    id: 'standard',
    context: ({ input }) => input as Deal,
    initial: 'new',
    states: {
      new: { on: { recordOutcome: [move('qualified', 'acquaintance'), refused], setFields } },
      acquaintance: { on: { recordOutcome: [move('interested', 'offer'), stay('no-answer'), refused], setFields } },
      offer: {
        on: {
          recordOutcome: [
            move('accepted', 'payment'),
            // "Revise" stays in the stage but starts its clock again, and needs a comment.
            { guard: and([{ type: 'is', params: { outcome: 'revise' } }, anyKind, 'commented', 'valid', 'planned']), actions: { type: 'enter', params: { stage: 'offer' } } },
            refused,
          ],
          setFields,
        },
      },
      payment: { on: { recordOutcome: [move('paid', 'shipment'), stay('awaiting-payment'), refused], setFields } },
      shipment: {
        on: {
          recordOutcome: [
            {
              guard: and([{ type: 'is', params: { outcome: 'shipped' } }, { type: 'allowedKind', params: { kinds: NEUTRAL_KINDS, required: false } }, 'valid']),
              target: 'won',
              actions: { type: 'finish', params: { result: 'positive' } },
            },
            refused,
          ],
          setFields,
        },
      },
      won: {},
      lost: {},
    },
  });
}

/** The machine {@link peerMachine} builds. */
export type PeerMachine = ReturnType<typeof peerMachine>;

/**
 * The peer machine's snapshot of a deal as it stands: in its stage while
 * open, else `won` or `lost`; for `transition(machine, snapshot, event)` or
 * `createActor(machine, { snapshot }).start()`.
 *
 * @example
 * const actor = createActor(machine, { snapshot: peerSnapshot(machine, deal) }).start();
 */
export function peerSnapshot(machine: PeerMachine, deal: Deal) {
  const value = deal.status === 'open' ? deal.stageId : deal.finish?.result === 'negative' ? 'lost' : 'won';
  return machine.resolveState({ value, context: deal });
}

/**
 * Throws unless the baselines agree with `applyEvent` on every run: the
 * minimal reducer gives JSON-identical deals and log entries at every event,
 * and the peer machine, driven with `transition()` and with a live actor,
 * ends each run in the same stage and status with the same revision.
 *
 * @example
 * checkPeers(topic); // before timing them
 */
export function checkPeers(topic: CompiledSalesTopic, runs: readonly DealRun[] = dealRuns(topic, 500)): void {
  const reduce = minimalReducer(topic);
  const machine = peerMachine(topic);
  runs.forEach((run, index) => {
    const fail = (what: string) => {
      throw new Error(`checkPeers: deal ${run.deal.id} (run ${index}): ${what}`);
    };
    let deal = run.deal;
    let reduced = run.deal;
    run.events.forEach((event, step) => {
      const expected = applyEvent(topic, deal, event);
      const actual = reduce(reduced, event);
      if (!expected.ok) return fail(`applyEvent refused event ${step}: ${expected.error.code}`);
      if (!actual.ok) return fail(`the minimal reducer refused event ${step}: ${actual.code}`);
      if (JSON.stringify(actual.deal) !== JSON.stringify(expected.deal)) fail(`deals differ after event ${step}:\n  ${JSON.stringify(actual.deal)}\n  ${JSON.stringify(expected.deal)}`);
      if (JSON.stringify(actual.entry) !== JSON.stringify(expected.entry)) fail(`entries differ after event ${step}:\n  ${JSON.stringify(actual.entry)}\n  ${JSON.stringify(expected.entry)}`);
      deal = expected.deal;
      reduced = actual.deal;
    });
    let snapshot = peerSnapshot(machine, run.deal);
    for (const event of run.events) [snapshot] = transition(machine, snapshot, event);
    const actor = createActor(machine, { snapshot: peerSnapshot(machine, run.deal) }).start();
    for (const event of run.events) actor.send(event);
    const live = actor.getSnapshot();
    actor.stop();
    const wanted = `${deal.stageId} ${deal.status} r${deal.revision}`;
    for (const [how, ended] of [['transition()', snapshot], ['actor.send()', live]] as const) {
      const { context } = ended;
      const got = `${context.stageId} ${context.status} r${context.revision}`;
      if (got !== wanted) fail(`the peer machine (${how}) ends at ${got}, applyEvent at ${wanted}`);
      if (ended.value !== (context.status === 'open' ? context.stageId : context.finish?.result === 'negative' ? 'lost' : 'won')) fail(`the peer machine (${how}) is in state ${JSON.stringify(ended.value)} for a deal at ${got}`);
    }
  });
}
