import type * as z from 'zod';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { dealError, parseInput, readableError, type DealError } from '../deal/errors.js';
import {
  cancelEventSchema,
  planEventSchema,
  recordEventSchema,
  topicEventSchema,
  type CancelEventInput,
  type PlanEventInput,
  type RecordEventInput,
  type TopicEvent,
  type TopicEventResult,
} from './topic-event-model.js';

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
    const parsed = parseInput(planEventSchema, input, 'invalid_event');
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
    const parsed = parseInput(recordEventSchema, input, 'invalid_event');
    if (!parsed.ok) return parsed;
    const early = beforePlanned(planned.event, parsed.data.at);
    return early ?? record(topic, planned.event, parsed.data);
  });
}

function record(topic: CompiledTopic, event: TopicEvent, input: z.output<typeof recordEventSchema>): TopicEventResult {
  const { actor, at, answer, kindId, comment } = input;
  const details: { answer?: 'yes' | 'no'; kindId?: string; comment?: string } = comment === undefined ? {} : { comment };
  if (topic.kind === 'audit') {
    if (answer === undefined) return fail(dealError('answer_required', {}, 'answer'));
    details.answer = answer;
    if (kindId !== undefined || topic.kinds.size > 0) {
      const kind = kindId === undefined ? undefined : topic.kinds.get(kindId);
      if (kind === undefined) return fail(dealError(kindId === undefined ? 'kind_required' : 'kind_not_allowed', { answer, kind: kindId ?? '' }, 'kindId', 'S37'));
      if (kind.polarity !== 'neutral' && (kind.polarity === 'positive') !== (answer === 'yes')) {
        return fail(dealError('kind_not_allowed', { answer, kind: kind.id }, 'kindId', 'S37'));
      }
      if ((comment ?? '').trim() === '') return fail(dealError('comment_required', { kind: kind.id }, 'comment', 'S37'));
      details.kindId = kind.id;
    }
  } else if (answer !== undefined || kindId !== undefined) {
    return fail(dealError('invalid_event', { path: answer === undefined ? 'kindId' : 'answer', detail: 'service events are recorded without an answer or kind (S38)', detailRu: 'событие сервиса записывается без ответа и вида итога (S38)' }, answer === undefined ? 'kindId' : 'answer'));
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
    const parsed = parseInput(cancelEventSchema, input, 'invalid_event');
    if (!parsed.ok) return parsed;
    const { actor, at, reason } = parsed.data;
    const closed: TopicEvent = { ...planned.event, status: 'cancelled', ...(reason === undefined ? {} : { comment: reason }), closedAt: at, closedBy: actor.id, revision: planned.event.revision + 1 };
    return beforePlanned(planned.event, at) ?? { ok: true, event: closed };
  });
}

/** The stored event, checked in full and copied, if it is a planned event of this topic. */
function plannedEvent(topic: CompiledTopic, event: TopicEvent): TopicEventResult {
  if (topic.kind === 'sales') return fail(dealError('not_an_event_topic', { id: topic.id }));
  const parsed = parseInput(topicEventSchema, event, 'invalid_topic_event');
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
