import * as z from 'zod';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import { idSchema } from '../definition/schema.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { dealError, parseInput, readableError, type DealError } from '../deal/errors.js';
import { actorSchema } from '../access/actor.js';
import { labelSchema, textSchema } from '../definition/text.js';
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
  /** When the event was planned: it cannot be recorded or cancelled before. */
  readonly plannedAt: number;
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
const planSchema = z.strictObject({ id: labelSchema(200), clientId: labelSchema(200), actor: actorSchema, at: time, plannedFor: time });
const recordSchema = z.strictObject({
  actor: actorSchema,
  at: time,
  answer: z.enum(['yes', 'no']).optional(),
  kindId: idSchema.optional(),
  comment: textSchema(10_000).optional(),
});
const cancelSchema = z.strictObject({ actor: actorSchema, at: time, reason: textSchema(10_000).optional() });

const userId = labelSchema(200);
/** A stored event as {@link planEvent} and the others return it: checked before every change. */
const storedEventSchema = z.strictObject({
  id: userId,
  topicId: idSchema,
  topicVersion: z.number().int().min(1),
  clientId: userId,
  authorId: userId,
  status: z.enum(['planned', 'recorded', 'cancelled']),
  plannedAt: time,
  plannedFor: time,
  answer: z.enum(['yes', 'no']).optional(),
  kindId: idSchema.optional(),
  comment: textSchema(10_000).optional(),
  closedAt: time.optional(),
  closedBy: userId.optional(),
  revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

/** What planning an event needs. */
export type PlanEventInput = z.input<typeof planSchema>;
/** What recording an event needs: for audits, the Yes/No answer, the kind and its comment (S37). */
export type RecordEventInput = z.input<typeof recordSchema>;
/** What cancelling an event needs. */
export type CancelEventInput = z.input<typeof cancelSchema>;

/** The answer of the event functions: the new event, or why nothing changed. */
export type TopicEventResult = { readonly ok: true; readonly event: TopicEvent } | { readonly ok: false; readonly error: DealError };

const fail = (error: DealError): TopicEventResult => ({ ok: false, error });

/** Runs one of the functions below on a compiled topic, turning a throwing getter or proxy trap into a typed error. */
function guarded(topic: CompiledTopic, run: () => TopicEventResult): TopicEventResult {
  if (!isCompiledTopic(topic)) return fail(dealError('invalid_topic', {}, 'topic'));
  try {
    return run();
  } catch (error) {
    return fail(dealError('unreadable_input', { detail: readableError(error) }));
  }
}

/**
 * Plans an event on an audit or service topic (S37, S38).
 *
 * @example
 * const planned = planEvent(auditTopic, { id: 'e-1', clientId: 'c-1', actor: { id: 'u-1' }, at: now, plannedFor: now + 3_600_000 });
 */
export function planEvent(topic: CompiledTopic, input: PlanEventInput): TopicEventResult {
  return guarded(topic, () => {
    if (topic.kind === 'sales') return fail(dealError('not_an_event_topic', { id: topic.id }));
    const parsed = parseInput(planSchema, input, 'invalid_event');
    if (!parsed.ok) return parsed;
    const { id, clientId, actor, at, plannedFor } = parsed.data;
    if (plannedFor < at) return fail(dealError('activity_in_past', { plannedFor, at }, 'plannedFor'));
    const event: TopicEvent = { id, topicId: topic.id, topicVersion: topic.version, clientId, authorId: actor.id, status: 'planned', plannedAt: at, plannedFor, revision: 1 };
    return { ok: true, event };
  });
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
  return guarded(topic, () => {
    const planned = plannedEvent(topic, event);
    if (!planned.ok) return planned;
    const parsed = parseInput(recordSchema, input, 'invalid_event');
    if (!parsed.ok) return parsed;
    const early = beforePlanned(planned.event, parsed.data.at);
    return early ?? record(topic, planned.event, parsed.data);
  });
}

function record(topic: CompiledTopic, event: TopicEvent, input: z.output<typeof recordSchema>): TopicEventResult {
  const { actor, at, answer, kindId, comment } = input;
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
  return guarded(topic, () => {
    const planned = plannedEvent(topic, event);
    if (!planned.ok) return planned;
    const parsed = parseInput(cancelSchema, input, 'invalid_event');
    if (!parsed.ok) return parsed;
    const { actor, at, reason } = parsed.data;
    const closed: TopicEvent = { ...planned.event, status: 'cancelled', ...(reason === undefined ? {} : { comment: reason }), closedAt: at, closedBy: actor.id, revision: planned.event.revision + 1 };
    return beforePlanned(planned.event, at) ?? { ok: true, event: closed };
  });
}

/** The stored event, checked in full and copied, if it is a planned event of this topic. */
function plannedEvent(topic: CompiledTopic, event: TopicEvent): TopicEventResult {
  if (topic.kind === 'sales') return fail(dealError('not_an_event_topic', { id: topic.id }));
  const parsed = parseInput(storedEventSchema, event, 'invalid_topic_event');
  if (!parsed.ok) return parsed;
  const stored = parsed.data;
  if (stored.topicId !== topic.id || stored.topicVersion !== topic.version) {
    return fail(dealError('topic_mismatch', { deal: `${stored.topicId}@${stored.topicVersion}`, topic: `${topic.id}@${topic.version}` }, 'topicId'));
  }
  if (stored.status !== 'planned') return fail(dealError('event_not_planned', { status: stored.status }, 'status'));
  return { ok: true, event: stored };
}

/** An event cannot be recorded or cancelled before it was planned. */
function beforePlanned(event: TopicEvent, at: number): TopicEventResult | undefined {
  return at < event.plannedAt ? fail(dealError('event_before_planned', { at, plannedAt: event.plannedAt }, 'at')) : undefined;
}
