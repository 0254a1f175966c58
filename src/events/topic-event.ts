import { z } from 'zod';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import { idSchema } from '../definition/schema.js';
import { dealError, parseInput, type DealError } from '../deal/errors.js';
import { actorSchema } from '../deal/events.js';
import { MAX_TIME } from '../time/date.js';

/** Where an audit or service event is: planned, then recorded or cancelled (S37, S38). */
export type TopicEventStatus = 'planned' | 'recorded' | 'cancelled';

/**
 * A planned or recorded event (a call or visit) on an audit or service topic:
 * these topics have no deals and no stages (S37, S38). Plain JSON.
 */
export interface TopicEvent {
  readonly id: string;
  readonly topicId: string;
  readonly topicVersion: number;
  readonly clientId: string;
  readonly authorId: string;
  readonly status: TopicEventStatus;
  readonly plannedFor: number;
  /** The audit's answer (S37); absent for service events. */
  readonly answer?: 'yes' | 'no';
  readonly kindId?: string;
  readonly comment?: string;
  readonly closedAt?: number;
  readonly closedBy?: string;
  readonly revision: number;
}

const time = z.number().int().min(0).max(MAX_TIME);
const planSchema = z.strictObject({ id: z.string().min(1).max(200), clientId: z.string().min(1).max(200), actor: actorSchema, at: time, plannedFor: time });
const recordSchema = z.strictObject({
  actor: actorSchema,
  at: time,
  answer: z.enum(['yes', 'no']).optional(),
  kindId: idSchema.optional(),
  comment: z.string().max(10_000).optional(),
});
const cancelSchema = z.strictObject({ actor: actorSchema, at: time, reason: z.string().max(10_000).optional() });

/** What planning an event needs. */
export type PlanEventInput = z.input<typeof planSchema>;
/** What recording an event needs: for audits, the Yes/No answer, the kind and its comment (S37). */
export type RecordEventInput = z.input<typeof recordSchema>;
/** What cancelling an event needs. */
export type CancelEventInput = z.input<typeof cancelSchema>;

/** The answer of the event functions: the new event, or why nothing changed. */
export type TopicEventResult = { readonly ok: true; readonly event: TopicEvent } | { readonly ok: false; readonly error: DealError };

const fail = (error: DealError): TopicEventResult => ({ ok: false, error });


/**
 * Plans an event on an audit or service topic (S37, S38).
 *
 * @example
 * const planned = planEvent(auditTopic, { id: 'e-1', clientId: 'c-1', actor: { id: 'u-1' }, at: now, plannedFor: now + 3_600_000 });
 */
export function planEvent(topic: CompiledTopic, input: PlanEventInput): TopicEventResult {
  if (topic.kind === 'sales') return fail(dealError('not_an_event_topic', { id: topic.id }));
  const parsed = parseInput(planSchema, input, 'invalid_event');
  if (!parsed.ok) return parsed;
  const { id, clientId, actor, at, plannedFor } = parsed.data;
  if (plannedFor < at) return fail(dealError('activity_in_past', { plannedFor, at }, 'plannedFor'));
  return { ok: true, event: { id, topicId: topic.id, topicVersion: topic.version, clientId, authorId: actor.id, status: 'planned', plannedFor, revision: 1 } };
}

/**
 * Records a planned event. An audit event needs a Yes/No answer and, when the
 * topic defines outcome kinds, a kind fitting the answer with a comment
 * (S37); a service event is recorded plainly (S38).
 *
 * @example
 * recordEvent(auditTopic, planned, { actor: { id: 'u-1' }, at: now, answer: 'no', kindId: 'no-stock', comment: 'Shelf empty' });
 */
export function recordEvent(topic: CompiledTopic, event: TopicEvent, input: RecordEventInput): TopicEventResult {
  const checked = checkEvent(topic, event);
  if (checked !== undefined) return fail(checked);
  const parsed = parseInput(recordSchema, input, 'invalid_event');
  if (!parsed.ok) return parsed;
  const { actor, at, answer, kindId, comment } = parsed.data;
  const details: { answer?: 'yes' | 'no'; kindId?: string; comment?: string } = comment === undefined ? {} : { comment };
  if (topic.kind === 'audit') {
    if (answer === undefined) return fail(dealError('answer_required', {}, 'answer'));
    details.answer = answer;
    if (kindId !== undefined || topic.kinds.size > 0) {
      const kind = kindId === undefined ? undefined : topic.kinds.get(kindId);
      if (kind === undefined) return fail(dealError(kindId === undefined ? 'kind_required' : 'kind_not_allowed', { id: `answer ${answer}`, kind: kindId ?? '' }, 'kindId', 'S37'));
      if (kind.polarity !== 'neutral' && (kind.polarity === 'positive') !== (answer === 'yes')) {
        return fail(dealError('kind_not_allowed', { id: `answer ${answer}`, kind: kind.id }, 'kindId', 'S37'));
      }
      if ((comment ?? '').trim() === '') return fail(dealError('comment_required', { what: `outcome kind "${kind.id}"` }, 'comment', 'S37'));
      details.kindId = kind.id;
    }
  } else if (answer !== undefined || kindId !== undefined) {
    return fail(dealError('invalid_event', { path: answer === undefined ? 'kindId' : 'answer', detail: 'service events are recorded without an answer or kind (S38)' }, answer === undefined ? 'kindId' : 'answer'));
  }
  return { ok: true, event: { ...event, status: 'recorded', ...details, closedAt: at, closedBy: actor.id, revision: event.revision + 1 } };
}

/**
 * Cancels a planned event.
 *
 * @example
 * cancelEvent(serviceTopic, planned, { actor: { id: 'u-1' }, at: now, reason: 'Client asked' });
 */
export function cancelEvent(topic: CompiledTopic, event: TopicEvent, input: CancelEventInput): TopicEventResult {
  const checked = checkEvent(topic, event);
  if (checked !== undefined) return fail(checked);
  const parsed = parseInput(cancelSchema, input, 'invalid_event');
  if (!parsed.ok) return parsed;
  const { actor, at, reason } = parsed.data;
  return { ok: true, event: { ...event, status: 'cancelled', ...(reason === undefined ? {} : { comment: reason }), closedAt: at, closedBy: actor.id, revision: event.revision + 1 } };
}

function checkEvent(topic: CompiledTopic, event: TopicEvent): DealError | undefined {
  if (topic.kind === 'sales') return dealError('not_an_event_topic', { id: topic.id });
  if (typeof event !== 'object' || event === null || typeof event.revision !== 'number') return dealError('invalid_deal', { path: '(event)', detail: 'expected a planned event' });
  if (event.topicId !== topic.id || event.topicVersion !== topic.version) {
    return dealError('topic_mismatch', { deal: `${String(event.topicId)}@${String(event.topicVersion)}`, topic: `${topic.id}@${topic.version}` }, 'topicId');
  }
  if (event.status !== 'planned') return dealError('event_not_planned', { status: String(event.status) }, 'status');
  return undefined;
}
