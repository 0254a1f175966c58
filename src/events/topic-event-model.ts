import * as z from 'zod';
import type { DealError } from '../deal/errors.js';
import { actorSchema } from '../access/actor.js';
import { idSchema } from '../definition/schema.js';
import { labelSchema, textSchema } from '../definition/text.js';
import { MAX_TIME } from '../time/date.js';

/*
 * The shapes of an audit or service event (S37, S38): the stored event and
 * what planning, recording and cancelling one take. Each type is inferred
 * from its schema, so a shape is written once.
 */

const time = z.number().int().min(0).max(MAX_TIME);
const userId = labelSchema(200);
const status = z.enum(['planned', 'recorded', 'cancelled']);

/** Where an audit or service event is: planned, then recorded or cancelled (S37, S38). */
export type TopicEventStatus = z.output<typeof status>;

/**
 * A stored audit or service event, as `planEvent` and the others return it;
 * `recordEvent` and `cancelEvent` check it in full before every change.
 *
 * @example
 * topicEventSchema.safeParse(await store.load(id)).success;
 */
export const topicEventSchema = z.strictObject({
  id: userId,
  topicId: idSchema,
  topicVersion: z.number().int().min(1),
  clientId: userId,
  authorId: userId,
  status,
  plannedAt: time.describe('When the event was planned: it cannot be recorded or cancelled before.'),
  plannedFor: time,
  answer: z.enum(['yes', 'no']).optional().describe("The audit's answer (S37); absent for service events."),
  kindId: idSchema.optional(),
  comment: textSchema(10_000).optional(),
  closedAt: time.optional(),
  closedBy: userId.optional(),
  revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

/**
 * A planned or recorded event (a call or visit) on an audit or service topic:
 * these topics have no deals and no stages (S37, S38). Plain JSON.
 */
export type TopicEvent = Readonly<z.output<typeof topicEventSchema>>;

/** What planning an event takes. */
export const planEventSchema = z.strictObject({ id: userId, clientId: userId, actor: actorSchema, at: time, plannedFor: time });
/** What recording an event takes: for audits, the Yes/No answer, the kind and its comment (S37). */
export const recordEventSchema = z.strictObject({
  actor: actorSchema,
  at: time,
  answer: z.enum(['yes', 'no']).optional(),
  kindId: idSchema.optional(),
  comment: textSchema(10_000).optional(),
});
/** What cancelling an event takes. */
export const cancelEventSchema = z.strictObject({ actor: actorSchema, at: time, reason: textSchema(10_000).optional() });

/** What planning an event needs. */
export type PlanEventInput = z.input<typeof planEventSchema>;
/** What recording an event needs: for audits, the Yes/No answer, the kind and its comment (S37). */
export type RecordEventInput = z.input<typeof recordEventSchema>;
/** What cancelling an event needs. */
export type CancelEventInput = z.input<typeof cancelEventSchema>;

/** The answer of the event functions: the new event, or why nothing changed. */
export type TopicEventResult = { readonly ok: true; readonly event: TopicEvent } | { readonly ok: false; readonly error: DealError };
