import { isId } from '../definition/id.js';
import { isPlainObject } from '../util/plain-object.js';
import type { DealEvent } from './events.js';
import { MAX_TIME } from '../time/date.js';
import { isLabel, isStorableText } from '../definition/text.js';

/*
 * A fast check of the well-formed events that make up nearly all traffic.
 * The zod schema in events.ts stays the one definition of a valid event and
 * writes every error; this check only lets an event skip it, so it must never
 * accept what the schema rejects (a property test holds it to that). It may
 * be stricter: anything it refuses simply goes through zod.
 */

type Check = (value: unknown) => boolean;

// The text rules of src/definition/text.ts, as the schema applies them: free texts storable, labels (actor id, roles) also not blank and without bidi controls.
const isText: Check = (value) => typeof value === 'string' && value.length <= 10_000 && isStorableText(value);
const isName: Check = (value) => typeof value === 'string' && isLabel(value, 200);
const isTime: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TIME;
const isActivityKind: Check = (value) => value === 'call' || value === 'meeting' || value === 'task';

/** Checks by key, in a map so that keys such as `constructor` find nothing. */
type Checks = ReadonlyMap<string, Check>;

function isStrict(value: unknown, checks: Checks, required: readonly string[]): boolean {
  if (!isPlainObject(value)) return false;
  for (let index = 0; index < required.length; index += 1) if (value[required[index] as string] === undefined) return false;
  for (const key in value) {
    const check = checks.get(key);
    const field = value[key];
    if (check === undefined || (field !== undefined && !check(field))) return false;
  }
  // for…in also walks inherited keys; a polluted prototype would show here, and is refused.
  return true;
}

const actorChecks: Checks = new Map<string, Check>([
  ['id', isName],
  ['roles', (value) => Array.isArray(value) && value.length <= 100 && value.every(isName)],
  ['administrator', (value) => typeof value === 'boolean'],
  ['crmAccess', (value) => value === 'none' || value === 'read' || value === 'full'],
]);
const isActor: Check = (value) => isStrict(value, actorChecks, ['id']);

const isFieldValues: Check = (value) => {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !isId(key)) return false;
    const field = value[key];
    const ok = field === null || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field)) || isText(field);
    if (!ok) return false;
  }
  return true;
};

const planChecks = { activityId: isId, kind: isActivityKind, plannedFor: isTime };
const planCheckMap: Checks = new Map(Object.entries(planChecks));
const planRequired = ['activityId', 'kind', 'plannedFor'];
const isPlan: Check = (value) => isStrict(value, planCheckMap, planRequired);

const base: Record<string, Check> = {
  type: (value) => typeof value === 'string',
  at: isTime,
  actor: isActor,
  expectedRevision: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0,
};

const spec = (checks: Record<string, Check>, required: readonly string[]) => ({
  checks: new Map(Object.entries({ ...base, ...checks })),
  required: ['at', 'actor', ...required],
});

const byType: Readonly<Record<DealEvent['type'], { readonly checks: Checks; readonly required: readonly string[] }>> = {
  recordOutcome: spec({ outcomeId: isId, kindId: isId, comment: isText, activityId: isId, plan: isPlan, fields: isFieldValues }, ['outcomeId']),
  planActivity: spec(planChecks, planRequired),
  completeActivity: spec({ activityId: isId, comment: isText }, ['activityId']),
  cancelActivity: spec({ activityId: isId, reason: isText }, ['activityId']),
  requestDeadlineChange: spec({ dueAt: isTime, reason: isText }, ['dueAt']),
  approveDeadlineChange: spec({ comment: isText }, []),
  rejectDeadlineChange: spec({ reason: isText }, []),
  setFields: spec({ fields: isFieldValues }, ['fields']),
  reportBusinessEvent: spec({ name: isId }, ['name']),
  moveToStage: spec({ stageId: isId, reason: isText }, ['stageId']),
};

/**
 * Whether an event is certainly well formed (so the schema would accept it
 * as it is). `false` means only "let the schema decide".
 */
export function isWellFormedEvent(event: unknown): event is DealEvent {
  if (!isPlainObject(event)) return false;
  const type = event.type;
  if (typeof type !== 'string' || !Object.hasOwn(byType, type)) return false;
  const { checks, required } = byType[type as DealEvent['type']];
  return isStrict(event, checks, required);
}
