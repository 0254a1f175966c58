import { isId } from '../definition/id.js';
import { isPlainObject } from '../util/plain-object.js';
import type { DealEvent } from './events.js';
import { MAX_TIME } from '../time/date.js';
import { isLabel, isStorableText } from '../definition/text.js';

/*
 * A fast check of the well-formed events that make up nearly all traffic,
 * which also copies them: each property of the caller's event is read once,
 * checked, and kept in a plain copy, and only the copy goes on (so a getter
 * that changes its answer cannot put unchecked data into a deal). The zod
 * schema in events.ts stays the one definition of a valid event and writes
 * every error; this check only lets an event skip it, so it must never
 * accept what the schema rejects (a property test holds it to that). It may
 * be stricter: anything it refuses simply goes through zod.
 */

type Check = (value: unknown) => boolean;

// The text rules of src/definition/text.ts, as the schema applies them: free texts storable, labels (actor id, roles) also not blank and without bidi controls.
const isText: Check = (value) => typeof value === 'string' && value.length <= 10_000 && isStorableText(value);
const isName: Check = (value) => typeof value === 'string' && isLabel(value, 200);
const isTime: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TIME;
const isAmount: Check = (value) => value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
const isActivityKind: Check = (value) => value === 'call' || value === 'meeting' || value === 'task';

/** What a copier answers for a value it refuses. */
const REFUSED: unique symbol = Symbol('refused');
/** The checked copy of a value, or {@link REFUSED}. */
type Copier = (value: unknown) => unknown;

/**
 * How each key of an object is read: a leaf value is checked and kept as it
 * is, a nested one copied. In maps, so that keys such as `constructor` find
 * nothing.
 */
interface Shape {
  readonly leaves: ReadonlyMap<string, Check>;
  readonly nested: ReadonlyMap<string, Copier>;
  readonly required: readonly string[];
}

const shape = (leaves: Record<string, Check>, nested: Record<string, Copier>, required: readonly string[]): Shape => ({
  leaves: new Map(Object.entries(leaves)),
  nested: new Map(Object.entries(nested)),
  required,
});

/** `type`, when given, is the event's type already read: it is kept, not read again. */
function strictCopy(value: unknown, { leaves, nested, required }: Shape, type?: string): Record<string, unknown> | typeof REFUSED {
  if (!isPlainObject(value)) return REFUSED;
  const copy: Record<string, unknown> = {};
  // for…in also walks inherited keys; a polluted prototype would show here, and is refused.
  for (const key in value) {
    const field = key === 'type' && type !== undefined ? type : value[key];
    const check = leaves.get(key);
    if (check !== undefined) {
      if (field === undefined) continue;
      if (!check(field)) return REFUSED;
      copy[key] = field;
      continue;
    }
    const copier = nested.get(key);
    if (copier === undefined) return REFUSED;
    if (field === undefined) continue;
    const checked = copier(field);
    if (checked === REFUSED) return REFUSED;
    copy[key] = checked;
  }
  for (let index = 0; index < required.length; index += 1) if (copy[required[index] as string] === undefined) return REFUSED;
  return copy;
}

const copyRoles: Copier = (value) => {
  if (!Array.isArray(value) || value.length > 100) return REFUSED;
  const copy: string[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const role: unknown = value[index];
    if (!isName(role)) return REFUSED;
    copy.push(role as string);
  }
  return copy;
};

const actorShape = shape(
  { id: isName, administrator: (value) => typeof value === 'boolean', crmAccess: (value) => value === 'none' || value === 'read' || value === 'full' },
  { roles: copyRoles, teams: copyRoles },
  ['id'],
);
const copyActor: Copier = (value) => strictCopy(value, actorShape);

const copyFieldValues: Copier = (value) => {
  if (!isPlainObject(value)) return REFUSED;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !isId(key)) return REFUSED;
    const field = value[key];
    const ok = field === null || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field)) || isText(field);
    if (!ok) return REFUSED;
    copy[key] = field;
  }
  return copy;
};

const planChecks: Record<string, Check> = { activityId: isId, kind: isActivityKind, plannedFor: isTime };
const planRequired = ['activityId', 'kind', 'plannedFor'];
const planShape = shape(planChecks, {}, planRequired);
const copyPlan: Copier = (value) => strictCopy(value, planShape);

const baseChecks: Record<string, Check> = {
  type: (value) => typeof value === 'string',
  at: isTime,
  expectedRevision: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0,
};

const spec = (checks: Record<string, Check>, nested: Record<string, Copier>, required: readonly string[]): Shape =>
  shape({ ...baseChecks, ...checks }, { actor: copyActor, ...nested }, ['at', 'actor', ...required]);

const byType: Readonly<Record<DealEvent['type'], Shape>> = {
  recordOutcome: spec({ outcomeId: isId, kindId: isId, comment: isText, activityId: isId, amount: isAmount }, { plan: copyPlan, fields: copyFieldValues }, ['outcomeId']),
  planActivity: spec(planChecks, {}, planRequired),
  completeActivity: spec({ activityId: isId, comment: isText }, {}, ['activityId']),
  cancelActivity: spec({ activityId: isId, reason: isText }, {}, ['activityId']),
  requestDeadlineChange: spec({ dueAt: isTime, reason: isText }, {}, ['dueAt']),
  approveDeadlineChange: spec({ comment: isText }, {}, []),
  rejectDeadlineChange: spec({ reason: isText }, {}, []),
  setFields: spec({}, { fields: copyFieldValues }, ['fields']),
  setAmount: spec({ amount: isAmount }, {}, ['amount']),
  reportBusinessEvent: spec({ name: isId }, {}, ['name']),
  moveToStage: spec({ stageId: isId, reason: isText }, {}, ['stageId']),
};

/**
 * A plain copy of an event that is certainly well formed (so the schema
 * would accept it as it is), each of its properties read once; `undefined`
 * means only "let the schema decide". Throws what the event's getters or
 * proxy traps throw.
 */
export function wellFormedEvent(event: unknown): DealEvent | undefined {
  if (!isPlainObject(event)) return undefined;
  const type = event.type;
  if (typeof type !== 'string' || !Object.hasOwn(byType, type)) return undefined;
  // The type was read once above to choose the shape; the copy keeps that very value.
  const copy = strictCopy(event, byType[type as DealEvent['type']], type);
  return copy === REFUSED || !Object.hasOwn(event, 'type') ? undefined : (copy as DealEvent);
}

/**
 * Whether an event is certainly well formed (so the schema would accept it
 * as it is). `false` means only "let the schema decide".
 */
export function isWellFormedEvent(event: unknown): event is DealEvent {
  return wellFormedEvent(event) !== undefined;
}
