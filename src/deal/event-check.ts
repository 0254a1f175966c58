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
const isActivityKind: Check = (value) => value === 'call' || value === 'meeting' || value === 'task';

/** What a copier answers for a value it refuses. */
const REFUSED: unique symbol = Symbol('refused');
/** The checked copy of a value, or {@link REFUSED}. */
type Copier = (value: unknown) => unknown;
const leaf = (check: Check): Copier => (value) => (check(value) ? value : REFUSED);

/** Copiers by key, in a map so that keys such as `constructor` find nothing. */
type Copiers = ReadonlyMap<string, Copier>;

/** `type`, when given, is the event's type already read: it is kept, not read again. */
function strictCopy(value: unknown, copiers: Copiers, required: readonly string[], type?: string): Record<string, unknown> | typeof REFUSED {
  if (!isPlainObject(value)) return REFUSED;
  const copy: Record<string, unknown> = {};
  // for…in also walks inherited keys; a polluted prototype would show here, and is refused.
  for (const key in value) {
    const copier = copiers.get(key);
    if (copier === undefined) return REFUSED;
    const field = key === 'type' && type !== undefined ? type : value[key];
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

const actorCopiers: Copiers = new Map<string, Copier>([
  ['id', leaf(isName)],
  ['roles', copyRoles],
  ['teams', copyRoles],
  ['administrator', leaf((value) => typeof value === 'boolean')],
  ['crmAccess', leaf((value) => value === 'none' || value === 'read' || value === 'full')],
]);
const copyActor: Copier = (value) => strictCopy(value, actorCopiers, ['id']);

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

const planCopiers = { activityId: leaf(isId), kind: leaf(isActivityKind), plannedFor: leaf(isTime) };
const planCopierMap: Copiers = new Map(Object.entries(planCopiers));
const planRequired = ['activityId', 'kind', 'plannedFor'];
const copyPlan: Copier = (value) => strictCopy(value, planCopierMap, planRequired);

const base: Record<string, Copier> = {
  type: leaf((value) => typeof value === 'string'),
  at: leaf(isTime),
  actor: copyActor,
  expectedRevision: leaf((value) => typeof value === 'number' && Number.isInteger(value) && value >= 0),
};

const spec = (copiers: Record<string, Copier>, required: readonly string[]) => ({
  copiers: new Map(Object.entries({ ...base, ...copiers })),
  required: ['at', 'actor', ...required],
});

const id = leaf(isId);
const text = leaf(isText);
const byType: Readonly<Record<DealEvent['type'], { readonly copiers: Copiers; readonly required: readonly string[] }>> = {
  recordOutcome: spec({ outcomeId: id, kindId: id, comment: text, activityId: id, plan: copyPlan, fields: copyFieldValues }, ['outcomeId']),
  planActivity: spec(planCopiers, planRequired),
  completeActivity: spec({ activityId: id, comment: text }, ['activityId']),
  cancelActivity: spec({ activityId: id, reason: text }, ['activityId']),
  requestDeadlineChange: spec({ dueAt: leaf(isTime), reason: text }, ['dueAt']),
  approveDeadlineChange: spec({ comment: text }, []),
  rejectDeadlineChange: spec({ reason: text }, []),
  setFields: spec({ fields: copyFieldValues }, ['fields']),
  reportBusinessEvent: spec({ name: id }, ['name']),
  moveToStage: spec({ stageId: id, reason: text }, ['stageId']),
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
  const { copiers, required } = byType[type as DealEvent['type']];
  // The type was read once above to choose the copiers; the copy keeps that very value.
  const copy = strictCopy(event, copiers, required, type);
  return copy === REFUSED || !Object.hasOwn(event, 'type') ? undefined : (copy as DealEvent);
}

/**
 * Whether an event is certainly well formed (so the schema would accept it
 * as it is). `false` means only "let the schema decide".
 */
export function isWellFormedEvent(event: unknown): event is DealEvent {
  return wellFormedEvent(event) !== undefined;
}
