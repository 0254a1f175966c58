import { describe, expect, it } from 'vitest';
import { cancelEvent, compileTopic, planEvent, recordEvent, standardTopic, type CancelEventInput, type CompiledTopic, type PlanEventInput, type RecordEventInput, type TopicEvent } from '../../src/index.js';
import { answerOf, checkRow, deepObject, fromJson, HOUR, MEGABYTE, T0, withKey, type Expected, type Row } from './corpus.js';

/*
 * Hostile inputs to the events of audit and service topics (S37, S38):
 * planning, recording and cancelling, with stored events tampered with.
 */

const audit = compileTopic({
  id: 'store-audit',
  name: 'Store audit',
  kind: 'audit',
  outcomeKinds: [
    { id: 'shelf-ok', name: 'Shelf fine', polarity: 'positive', commentRequired: true },
    { id: 'shelf-empty', name: 'Shelf empty', polarity: 'negative', commentRequired: true },
  ],
});
const service = compileTopic({ id: 'support', name: 'Support', kind: 'service' });
const sales = compileTopic(standardTopic);
const inspector = { id: 'inspector-1' };

const planned = (on: CompiledTopic = audit): TopicEvent => {
  const result = planEvent(on, { id: 'e-1', clientId: 'c-1', actor: inspector, at: T0, plannedFor: T0 + HOUR });
  if (!result.ok) throw new Error(result.error.message);
  return result.event;
};
const recorded = (): TopicEvent => {
  const result = recordEvent(audit, planned(), { actor: inspector, at: T0 + HOUR, answer: 'yes', kindId: 'shelf-ok', comment: 'Fine' });
  if (!result.ok) throw new Error(result.error.message);
  return result.event;
};

const record = (extra: Record<string, unknown> = {}) => ({ actor: inspector, at: T0 + HOUR, answer: 'no', kindId: 'shelf-empty', comment: 'Empty', ...extra });
const plan = (extra: Record<string, unknown> = {}) => ({ id: 'e-2', clientId: 'c-1', actor: inspector, at: T0, plannedFor: T0 + HOUR, ...extra });

const planning = (name: string, input: () => unknown, expected: Expected, on: CompiledTopic = audit): Row => ({
  name: `planEvent: ${name}`,
  inputs: () => [input()],
  call: (i) => answerOf(planEvent(on, i as PlanEventInput)),
  expected,
});
const recording = (name: string, input: () => unknown, expected: Expected, event: () => unknown = planned, on: CompiledTopic = audit): Row => ({
  name: `recordEvent: ${name}`,
  inputs: () => [event(), input()],
  call: (e, i) => answerOf(recordEvent(on, e as TopicEvent, i as RecordEventInput)),
  expected,
});
const cancelling = (name: string, input: () => unknown, expected: Expected, event: () => unknown = planned, on: CompiledTopic = audit): Row => ({
  name: `cancelEvent: ${name}`,
  inputs: () => [event(), input()],
  call: (e, i) => answerOf(cancelEvent(on, e as TopicEvent, i as CancelEventInput)),
  expected,
});
const invalid = (path: string): Expected => ({ code: 'invalid_event', path });

const rows: readonly Row[] = [
  planning('on a sales topic', () => plan(), { code: 'not_an_event_topic', path: undefined }, sales),
  planning('null', () => null, invalid('')),
  planning('10,000 nested objects', () => deepObject(10_000), invalid('id')),
  planning('a time NaN', () => plan({ at: Number.NaN }), invalid('at')),
  planning('planned before it is planned', () => plan({ plannedFor: T0 - 1 }), { code: 'activity_in_past', path: 'plannedFor' }),
  planning('an own "__proto__" key (JSON)', () => fromJson(`{"id":"e","clientId":"c","actor":{"id":"u"},"at":${T0},"plannedFor":${T0},"__proto__":{"x":1}}`), invalid('__proto__')),
  planning('an id of a megabyte', () => plan({ id: MEGABYTE }), invalid('id')),
  recording('without an answer (S37)', () => record({ answer: undefined }), { code: 'answer_required', path: 'answer' }),
  recording('an answer "maybe"', () => record({ answer: 'maybe' }), invalid('answer')),
  recording('a kind of the other answer', () => record({ answer: 'yes' }), { code: 'kind_not_allowed', path: 'kindId' }),
  recording('kind "constructor"', () => record({ kindId: 'constructor' }), { code: 'kind_not_allowed', path: 'kindId' }),
  recording('kind "__proto__"', () => record({ kindId: '__proto__' }), invalid('kindId')),
  recording('no kind though the topic has kinds', () => record({ kindId: undefined }), { code: 'kind_required', path: 'kindId' }),
  recording('a blank comment (S37)', () => record({ comment: '  ' }), { code: 'comment_required', path: 'comment' }),
  recording('a comment of a megabyte', () => record({ comment: MEGABYTE }), invalid('comment')),
  recording('an event already recorded', () => record(), { code: 'event_not_planned', path: 'status' }, recorded),
  recording('a stored event that is null', () => record(), { code: 'invalid_topic_event', path: '' }, () => null),
  recording('a stored event with a revision as text', () => record(), { code: 'invalid_topic_event', path: 'revision' }, () => ({ ...planned(), revision: '1' })),
  recording('an event of another topic', () => record(), { code: 'topic_mismatch', path: 'topicId' }, () => ({ ...planned(), topicId: 'constructor' })),
  recording('an event of another version', () => record(), { code: 'topic_mismatch', path: 'topicId' }, () => ({ ...planned(), topicVersion: 2 })),
  recording('an event with status "__proto__"', () => record(), { code: 'invalid_topic_event', path: 'status' }, () => withKey(planned(), 'status', '__proto__')),
  recording('on a sales topic', () => record(), { code: 'not_an_event_topic', path: undefined }, planned, sales),
  recording('an answer on a service topic (S38)', () => ({ actor: inspector, at: T0 + HOUR, answer: 'yes' }), invalid('answer'), () => planned(service), service),
  recording('a kind on a service topic (S38)', () => ({ actor: inspector, at: T0 + HOUR, kindId: 'shelf-ok' }), invalid('kindId'), () => planned(service), service),
  recording('plainly on a service topic (S38)', () => ({ actor: inspector, at: T0 + HOUR }), { accepted: true }, () => planned(service), service),
  cancelling('a time NaN', () => ({ actor: inspector, at: Number.NaN }), invalid('at')),
  cancelling('a reason of a megabyte', () => ({ actor: inspector, at: T0, reason: MEGABYTE }), invalid('reason')),
  cancelling('an event already recorded', () => ({ actor: inspector, at: T0 }), { code: 'event_not_planned', path: 'status' }, recorded),
  cancelling('on a sales topic', () => ({ actor: inspector, at: T0 }), { code: 'not_an_event_topic', path: undefined }, planned, sales),
  cancelling('with a reason', () => ({ actor: inspector, at: T0, reason: 'Closed for renovation' }), { accepted: true }),
];

describe('adversarial audit and service events', () => {
  it('the corpus is large and every row is distinct', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(new Set(rows.map((candidate) => candidate.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name', (candidate) => {
    checkRow(candidate);
  });
});
