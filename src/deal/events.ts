import * as z from 'zod';
import { actorSchema } from '../access/actor.js';
import { idSchema } from '../definition/schema.js';
import { textSchema as textOf } from '../definition/text.js';
import { MAX_TIME } from '../time/date.js';

const MAX_TEXT = 10_000;
/** Free texts follow the text rules of src/definition/text.ts (storable in PostgreSQL jsonb); the actor's labels are checked in src/access/actor.ts. */
const textSchema = textOf(MAX_TEXT);
const timeSchema = z.number().int().min(0).max(MAX_TIME).describe('Epoch milliseconds.');

const activityKindSchema = z.enum(['call', 'meeting', 'task']);
/**
 * A deal's amount: a finite number, at least 0, or `null` for none; the one
 * schema of it for events, `openDeal`'s input and stored deals.
 *
 * @example
 * amountSchema.safeParse(-1).success; // false
 */
export const amountSchema = z.number().finite().min(0).nullable();
const fieldValueSchema = z.union([textSchema, z.number(), z.boolean(), z.null()]);
const fieldValuesSchema = z.record(idSchema, fieldValueSchema);
const plannedActivitySchema = z.strictObject({ activityId: idSchema, kind: activityKindSchema, plannedFor: timeSchema });

const base = {
  at: timeSchema.describe('When the event happened.'),
  actor: actorSchema,
  expectedRevision: z.number().int().min(0).optional().describe('Reject the event unless the deal has this revision.'),
};

/**
 * The zod schema of every event a deal accepts, told apart by `type`.
 * `applyEvent` validates with it; hosts may use it to validate requests early.
 *
 * @example
 * const parsed = dealEventSchema.safeParse(await request.json());
 * if (!parsed.success) return badRequest(parsed.error.issues);
 */
export const dealEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('recordOutcome'),
    outcomeId: idSchema,
    kindId: idSchema.optional(),
    comment: textSchema.optional(),
    /** The planned contact this outcome records, if any. */
    activityId: idSchema.optional(),
    /** The next call or meeting, planned with the outcome (S33). */
    plan: plannedActivitySchema.optional(),
    /** Field values set with the outcome, e.g. those the next stage or the outcome requires. */
    fields: fieldValuesSchema.optional(),
    /** The deal's amount set with the outcome (`null` clears it), e.g. the final amount of a won deal. */
    amount: amountSchema.optional(),
  }),
  z.strictObject({ ...base, type: z.literal('planActivity'), ...plannedActivitySchema.shape }),
  z.strictObject({ ...base, type: z.literal('completeActivity'), activityId: idSchema, comment: textSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('cancelActivity'), activityId: idSchema, reason: textSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('requestDeadlineChange'), dueAt: timeSchema, reason: textSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('approveDeadlineChange'), comment: textSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('rejectDeadlineChange'), reason: textSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('setFields'), fields: fieldValuesSchema }),
  z.strictObject({ ...base, type: z.literal('setAmount'), amount: amountSchema.describe('The new amount, or null to clear it.') }),
  z.strictObject({ ...base, type: z.literal('reportBusinessEvent'), name: idSchema }),
  z.strictObject({ ...base, type: z.literal('moveToStage'), stageId: idSchema, reason: textSchema.optional() }),
]);

/** An event on a deal; see the guide for what each one does. */
export type DealEvent = z.output<typeof dealEventSchema>;

/**
 * Every event type, in the schema's order: the one list the stored
 * history's entry types and the machine's events are made from.
 *
 * @example
 * DEAL_EVENT_TYPES.includes('setFields'); // true
 */
export const DEAL_EVENT_TYPES: readonly DealEvent['type'][] = Object.freeze(dealEventSchema.options.map((option) => option.shape.type.value));
/** One event type's shape, e.g. `DealEventOf<'recordOutcome'>`. */
export type DealEventOf<T extends DealEvent['type']> = Extract<DealEvent, { type: T }>;
