import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { cancelEvent, compileTopic, planEvent, recordEvent, standardTopic, type CompiledEventTopic, type TopicEvent } from '../../src/index.js';
import { HOUR, manager, MONDAY } from '../support.js';

function compileEvents(input: unknown): CompiledEventTopic {
  const compiled = compileTopic(input);
  if (compiled.kind === 'sales') throw new Error('an audit or service topic expected');
  return compiled;
}

const audit = compileEvents({
  id: 'shop-audit',
  name: 'Аудит торговой точки',
  kind: 'audit',
  instruction: 'Проверьте выкладку и наличие товара.',
  outcomeKinds: [
    { id: 'all-good', name: 'Всё в порядке', polarity: 'positive', commentRequired: true },
    { id: 'no-stock', name: 'Нет товара', polarity: 'negative', commentRequired: true },
    { id: 'other', name: 'Другое', polarity: 'neutral', commentRequired: true },
  ],
});
const service = compileEvents({ id: 'maintenance', name: 'Сервисное обслуживание', kind: 'service', script: 'scripts/maintenance' });

function planned(topic = audit): TopicEvent {
  const result = planEvent(topic, { id: 'e-1', clientId: 'c-1', actor: manager, at: MONDAY, plannedFor: MONDAY + HOUR });
  if (!result.ok) throw new Error(result.error.message);
  return result.event;
}

describe('audit topics (S37)', () => {
  it('plan an event, then record it with Yes/No, a fitting kind and its mandatory comment', () => {
    const event = planned();
    expect(event).toMatchObject({ status: 'planned', topicId: 'shop-audit', authorId: manager.id, plannedFor: MONDAY + HOUR, revision: 1 });
    const record = (input: object) => recordEvent(audit, event, { actor: manager, at: MONDAY + HOUR, ...input });
    expect(record({})).toMatchObject({ ok: false, error: { code: 'answer_required', rule: 'S37' } });
    expect(record({ answer: 'no' })).toMatchObject({ ok: false, error: { code: 'kind_required', path: 'kindId' } });
    expect(record({ answer: 'no', kindId: 'all-good', comment: 'x' })).toMatchObject({ ok: false, error: { code: 'kind_not_allowed' } });
    expect(record({ answer: 'no', kindId: 'no-stock' })).toMatchObject({ ok: false, error: { code: 'comment_required', path: 'comment' } });
    expect(record({ answer: 'maybe', kindId: 'no-stock', comment: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_event', path: 'answer' } });
    const recorded = record({ answer: 'no', kindId: 'no-stock', comment: 'Полка пуста' });
    expect(recorded).toEqual({
      ok: true,
      event: { ...event, status: 'recorded', answer: 'no', kindId: 'no-stock', comment: 'Полка пуста', closedAt: MONDAY + HOUR, closedBy: manager.id, revision: 2 },
    });
    expect(record({ answer: 'yes', kindId: 'other', comment: 'Ок' }).ok).toBe(true);
    if (recorded.ok) expect(recordEvent(audit, recorded.event, { actor: manager, at: MONDAY + 2 * HOUR, answer: 'yes' })).toMatchObject({ ok: false, error: { code: 'event_not_planned' } });
  });

  it('runs as a machine: planned, then recorded or cancelled (final)', () => {
    const actor = createActor(audit.machine, { input: { event: planned() } }).start();
    actor.send({ type: 'record', actor: manager, at: MONDAY + HOUR, answer: 'no' }); // no kind: refused
    expect(actor.getSnapshot().value).toBe('planned');
    actor.send({ type: 'record', actor: manager, at: MONDAY + HOUR, answer: 'yes', kindId: 'all-good', comment: 'Всё на месте' });
    expect(actor.getSnapshot().value).toBe('recorded');
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().context.event).toMatchObject({ status: 'recorded', answer: 'yes' });
  });
});

describe('service topics (S38)', () => {
  it('plan and record events plainly, or cancel them', () => {
    const event = planned(service);
    expect(recordEvent(service, event, { actor: manager, at: MONDAY + HOUR, answer: 'yes' })).toMatchObject({ ok: false, error: { code: 'invalid_event', path: 'answer' } });
    expect(recordEvent(service, event, { actor: manager, at: MONDAY + HOUR, comment: 'Filter replaced' })).toMatchObject({ ok: true, event: { status: 'recorded', comment: 'Filter replaced' } });
    expect(cancelEvent(service, event, { actor: manager, at: MONDAY, reason: 'Client asked' })).toMatchObject({ ok: true, event: { status: 'cancelled', comment: 'Client asked' } });
    const actor = createActor(service.machine, { input: { event } }).start();
    actor.send({ type: 'cancel', actor: manager, at: MONDAY });
    expect(actor.getSnapshot().value).toBe('cancelled');
  });

  it('refuse events of another topic, events in the past and sales topics', () => {
    const event = planned(service);
    expect(recordEvent(audit, event, { actor: manager, at: MONDAY, answer: 'yes' })).toMatchObject({ ok: false, error: { code: 'topic_mismatch' } });
    expect(planEvent(service, { id: 'e', clientId: 'c', actor: manager, at: MONDAY, plannedFor: MONDAY - 1 })).toMatchObject({ ok: false, error: { code: 'activity_in_past' } });
    const sales = compileTopic(standardTopic);
    expect(planEvent(sales, { id: 'e', clientId: 'c', actor: manager, at: MONDAY, plannedFor: MONDAY })).toMatchObject({ ok: false, error: { code: 'not_an_event_topic' } });
  });
});
