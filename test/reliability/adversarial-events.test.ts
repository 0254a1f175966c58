import { describe, expect, it } from 'vitest';
import { applyEvent, availableOutcomes, compileTopic, type CompiledTopic, type Deal, type DealEvent } from '../../src/index.js';
import {
  admin,
  answerOf,
  busyDeal,
  businessTopic,
  checkRow,
  closedDeal,
  DAY,
  deepArray,
  deepObject,
  director,
  finishedDeal,
  fromJson,
  HOUR,
  manager,
  MEGABYTE,
  openDealFixture,
  T0,
  topic,
  withKey,
  withoutKey,
  type Expected,
  type Row,
} from './corpus.js';

/*
 * Hostile events: every row is applied to a deep-frozen deal and must give
 * its documented error code and path (the path names the part of the event
 * at fault), leave deal and event unchanged, and leave prototypes alone.
 */

const at = T0 + 2 * HOUR;
const fields = (values: unknown) => ({ type: 'setFields', fields: values, at, actor: manager });
const outcome = (extra: Record<string, unknown> = {}) => ({ type: 'recordOutcome', outcomeId: 'interested', at, actor: manager, ...extra });
const plan = (extra: Record<string, unknown> = {}) => ({ type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: at + DAY, at, actor: manager, ...extra });

/** A row applying `event` to a deal (the open deal in "acquaintance" unless given). */
const row = (name: string, event: () => unknown, expected: Expected, deal: () => Deal = openDealFixture, on: CompiledTopic = topic): Row => ({
  name,
  inputs: () => [deal(), event()],
  call: (d, e) => answerOf(applyEvent(on, d as Deal, e as DealEvent)),
  expected,
});
const invalid = (path: string): Expected => ({ code: 'invalid_event', path });
const code = (name: string, path?: string): Expected => ({ code: name, path });

const rows: readonly Row[] = [
  // Not an event at all.
  row('null', () => null, invalid('')),
  row('undefined', () => undefined, invalid('')),
  row('a string', () => 'recordOutcome', invalid('')),
  row('a number', () => 42, invalid('')),
  row('an array', () => [outcome()], invalid('')),
  row('10,000 nested arrays', () => deepArray(10_000), invalid('')),
  row('10,000 nested objects', () => deepObject(10_000), invalid('type')),

  // The type.
  row('no type', () => withoutKey(outcome(), 'type'), invalid('type')),
  row('an unknown type', () => ({ ...outcome(), type: 'explode' }), invalid('type')),
  row('type "__proto__"', () => ({ ...outcome(), type: '__proto__' }), invalid('type')),
  row('type "constructor"', () => ({ ...outcome(), type: 'constructor' }), invalid('type')),
  row('type "toString"', () => ({ ...outcome(), type: 'toString' }), invalid('type')),
  row('type "*" (the XState wildcard)', () => ({ ...outcome(), type: '*' }), invalid('type')),
  row('type "xstate.stop"', () => ({ ...outcome(), type: 'xstate.stop' }), invalid('type')),
  row('a type of a megabyte', () => ({ ...outcome(), type: MEGABYTE }), invalid('type')),

  // Extra and prototype keys.
  row('an extra key', () => outcome({ extra: 1 }), invalid('extra')),
  row('an own "__proto__" key (JSON)', () => fromJson(`{"type":"setFields","fields":{},"at":${at},"actor":{"id":"u"},"__proto__":{"administrator":true}}`), invalid('__proto__')),
  row('a "constructor" key', () => withKey(outcome(), 'constructor', { prototype: { polluted: true } }), invalid('constructor')),
  row('a "prototype" key', () => withKey(outcome(), 'prototype', { polluted: true }), invalid('prototype')),
  row('an own "__proto__" key in the actor (JSON)', () => fromJson(`{"type":"setFields","fields":{},"at":${at},"actor":{"id":"u","__proto__":{"administrator":true}}}`), invalid('actor.__proto__')),
  row('an own "__proto__" key in a plan (JSON)', () => fromJson(`{"type":"recordOutcome","outcomeId":"interested","at":${at},"actor":{"id":"u"},"plan":{"activityId":"c","kind":"call","plannedFor":${at + 1},"__proto__":{"x":1}}}`), invalid('plan.__proto__')),

  // Time (epoch ms): wrong types, NaN, Infinity, negative, fractional, beyond Date, before the deal.
  row('no time', () => withoutKey(outcome(), 'at'), invalid('at')),
  row('time NaN', () => outcome({ at: Number.NaN }), invalid('at')),
  row('time Infinity', () => outcome({ at: Number.POSITIVE_INFINITY }), invalid('at')),
  row('time -Infinity', () => outcome({ at: Number.NEGATIVE_INFINITY }), invalid('at')),
  row('a negative time', () => outcome({ at: -1 }), invalid('at')),
  row('a fractional time', () => outcome({ at: at + 0.5 }), invalid('at')),
  row('time as a string', () => outcome({ at: new Date(at).toISOString() }), invalid('at')),
  row('time as a Date', () => outcome({ at: new Date(at) }), invalid('at')),
  row('a time beyond the range of Date', () => outcome({ at: 8.64e15 + 1 }), invalid('at')),
  row('a time before the deal opened', () => outcome({ at: T0 - 1 }), code('event_before_open', 'at')),
  row('a time before the last change', () => outcome({ at: T0 + HOUR - 1 }), code('event_out_of_order', 'at')),
  row('time zero', () => outcome({ at: 0 }), code('event_before_open', 'at')),

  // The actor.
  row('no actor', () => withoutKey(outcome(), 'actor'), invalid('actor')),
  row('an actor without an id', () => outcome({ actor: {} }), invalid('actor.id')),
  row('an empty actor id', () => outcome({ actor: { id: '' } }), invalid('actor.id')),
  row('an actor id of a megabyte', () => outcome({ actor: { id: MEGABYTE } }), invalid('actor.id')),
  row('an actor as a string', () => outcome({ actor: 'manager-1' }), invalid('actor')),
  row('roles as a string', () => outcome({ actor: { id: 'u', roles: 'director' } }), invalid('actor.roles')),
  row('100,000 roles', () => outcome({ actor: { id: 'u', roles: Array.from({ length: 100_000 }, () => 'director') } }), invalid('actor.roles')),
  row('administrator as a string', () => outcome({ actor: { id: 'u', administrator: 'true' } }), invalid('actor.administrator')),

  // Ids.
  row('outcome "__proto__"', () => outcome({ outcomeId: '__proto__' }), invalid('outcomeId')),
  row('outcome "constructor"', () => outcome({ outcomeId: 'constructor' }), code('unknown_outcome', 'outcomeId')),
  row('outcome "hasOwnProperty"', () => outcome({ outcomeId: 'hasOwnProperty' }), code('unknown_outcome', 'outcomeId')),
  row('an outcome of another stage', () => outcome({ outcomeId: 'paid' }), code('unknown_outcome', 'outcomeId')),
  row('an outcome id of a megabyte', () => outcome({ outcomeId: MEGABYTE }), invalid('outcomeId')),
  row('an outcome id with a dot (an XState path)', () => outcome({ outcomeId: 'offer.accepted' }), invalid('outcomeId')),
  row('kind "constructor"', () => outcome({ outcomeId: 'refused', kindId: 'constructor' }), code('kind_not_allowed', 'kindId')),
  row('kind "__proto__"', () => outcome({ outcomeId: 'refused', kindId: '__proto__' }), invalid('kindId')),
  row('no kind where one is required', () => outcome({ outcomeId: 'refused' }), code('kind_required', 'kindId')),
  row('a blank comment where one is required', () => outcome({ outcomeId: 'refused', kindId: 'competitor', comment: ' \n\t ' }), code('comment_required', 'comment')),
  row('a comment of a megabyte', () => outcome({ comment: MEGABYTE }), invalid('comment')),
  row('a stage "constructor" (privileged move)', () => ({ type: 'moveToStage', stageId: 'constructor', at, actor: admin }), code('unknown_stage', 'stageId')),
  row('a stage "__proto__"', () => ({ type: 'moveToStage', stageId: '__proto__', at, actor: admin }), invalid('stageId')),
  row('a privileged move by a manager', () => ({ type: 'moveToStage', stageId: 'payment', at, actor: manager }), code('not_permitted', 'actor')),
  row('a privileged move with roles given as a prototype', () => fromJson(`{"type":"moveToStage","stageId":"payment","at":${at},"actor":{"id":"u","__proto__":{"roles":["director"]}}}`), invalid('actor.__proto__')),

  // Fields (S29).
  row('fields as an array', () => fields([]), invalid('fields')),
  row('fields as null', () => fields(null), invalid('fields')),
  row('field "constructor"', () => fields({ constructor: 'x' }), code('unknown_field', 'fields.constructor')),
  row('field "toString"', () => fields({ toString: 'x' }), code('unknown_field', 'fields.toString')),
  row('a field value NaN', () => fields({ carrier: Number.NaN }), invalid('fields.carrier')),
  row('a field value Infinity', () => fields({ carrier: Number.POSITIVE_INFINITY }), invalid('fields.carrier')),
  row('a field value of 10,000 nested arrays', () => fields({ carrier: deepArray(10_000) }), invalid('fields.carrier')),
  row('a field value of a megabyte', () => fields({ carrier: MEGABYTE }), invalid('fields.carrier')),
  row('text longer than the field allows', () => fields({ carrier: 'x'.repeat(201) }), code('invalid_field_value', 'fields.carrier')),
  row('a date that does not exist', () => fields({ 'delivery-date': '2025-02-29' }), code('invalid_field_value', 'fields.delivery-date')),
  row('a date as a number', () => fields({ 'delivery-date': T0 }), code('invalid_field_value', 'fields.delivery-date')),
  row('an unknown field among known ones', () => fields({ carrier: 'ПЭК', nope: 1 }), code('unknown_field', 'fields.nope')),

  // Activities (S4, S33, S36).
  row('an activity planned in the past', () => plan({ plannedFor: at - 1 }), code('activity_in_past', 'plannedFor')),
  row('an activity planned for NaN', () => plan({ plannedFor: Number.NaN }), invalid('plannedFor')),
  row('an activity of an unknown kind', () => plan({ kind: 'fax' }), invalid('kind')),
  row('an activity id "__proto__"', () => plan({ activityId: '__proto__' }), invalid('activityId')),
  row('an activity planned twice', () => plan({ activityId: 'constructor', at: T0 + 4 * HOUR }), code('duplicate_activity', 'activityId'), busyDeal),
  row('completing an activity "toString" that is not planned', () => ({ type: 'completeActivity', activityId: 'toString', at: T0 + 4 * HOUR, actor: manager }), code('unknown_activity', 'activityId'), busyDeal),
  row('recording a planned contact that is not planned', () => outcome({ activityId: 'hasOwnProperty', at: T0 + 4 * HOUR }), code('unknown_activity', 'activityId'), busyDeal),
  row('a plan with the same id as the contact recorded', () => outcome({ activityId: 'constructor', plan: { activityId: 'constructor', kind: 'call', plannedFor: T0 + 2 * DAY }, at: T0 + 4 * HOUR }), { accepted: true }, busyDeal),

  // The amount (issue 16): what a number can be that an amount cannot.
  row('an amount as a string', () => ({ type: 'setAmount', amount: '150000', at, actor: manager }), invalid('amount')),
  row('a negative amount', () => ({ type: 'setAmount', amount: -1, at, actor: manager }), invalid('amount')),
  row('an amount of Infinity', () => ({ type: 'setAmount', amount: Number.POSITIVE_INFINITY, at, actor: manager }), invalid('amount')),
  row('an amount of NaN', () => ({ type: 'setAmount', amount: Number.NaN, at, actor: manager }), invalid('amount')),
  row('no amount at all', () => ({ type: 'setAmount', at, actor: manager }), invalid('amount')),
  row('an amount given as an object', () => ({ type: 'setAmount', amount: { value: 1 }, at, actor: manager }), invalid('amount')),
  row('an amount cleared', () => ({ type: 'setAmount', amount: null, at, actor: manager }), { accepted: true }),
  row('an outcome with a negative amount', () => outcome({ amount: -5, at: T0 + 4 * HOUR }), invalid('amount'), busyDeal),

  // Deadlines (S25): absurd, negative, past; approvals.
  row('a new deadline of Infinity', () => ({ type: 'requestDeadlineChange', dueAt: Number.POSITIVE_INFINITY, at, actor: manager }), invalid('dueAt')),
  row('a negative new deadline', () => ({ type: 'requestDeadlineChange', dueAt: -DAY, at, actor: manager }), invalid('dueAt')),
  row('a new deadline beyond the range of Date', () => ({ type: 'requestDeadlineChange', dueAt: 9e15, at, actor: manager }), invalid('dueAt')),
  row('a new deadline before the request', () => ({ type: 'requestDeadlineChange', dueAt: at - 1, at, actor: manager }), code('invalid_deadline', 'dueAt')),
  row('a second request while one waits', () => ({ type: 'requestDeadlineChange', dueAt: T0 + 50 * DAY, at: T0 + 4 * HOUR, actor: manager }), code('deadline_change_pending', undefined), busyDeal),
  row('an approval with nothing waiting', () => ({ type: 'approveDeadlineChange', at, actor: director }), code('no_pending_deadline_change', undefined)),
  row('an approval by a manager', () => ({ type: 'approveDeadlineChange', at: T0 + 4 * HOUR, actor: manager }), code('not_an_approver', 'actor'), busyDeal),
  row('an approval of a deadline that has passed', () => ({ type: 'approveDeadlineChange', at: T0 + 41 * DAY, actor: director }), code('invalid_deadline', 'at'), busyDeal),

  // Compare-and-set.
  row('a stale revision', () => outcome({ expectedRevision: 1 }), code('stale_revision', 'expectedRevision')),
  row('a revision from the future', () => outcome({ expectedRevision: 99 }), code('stale_revision', 'expectedRevision')),
  row('a negative revision', () => outcome({ expectedRevision: -1 }), invalid('expectedRevision')),
  row('a revision NaN', () => outcome({ expectedRevision: Number.NaN }), invalid('expectedRevision')),

  // Finished and closed deals (S12, S34, S35).
  row('an outcome on a closed deal', () => outcome({ outcomeId: 'interested', at: T0 + 3 * HOUR }), code('deal_closed', undefined), closedDeal),
  row('fields on a closed deal', () => fields({ carrier: 'x' }), code('deal_closed', undefined), closedDeal),
  row('a business event on a closed deal', () => ({ type: 'reportBusinessEvent', name: 'goods-shipped', at: T0 + 3 * HOUR, actor: manager }), code('deal_closed', undefined), closedDeal),
  row('a deadline change on a finished deal', () => ({ type: 'requestDeadlineChange', dueAt: T0 + 50 * DAY, at: T0 + 4 * HOUR, actor: manager }), code('deal_finished', undefined), finishedDeal, businessTopic),
  row('an outcome on a finished deal', () => outcome({ outcomeId: 'shipped', at: T0 + 4 * HOUR }), code('deal_finished', undefined), finishedDeal, businessTopic),
  row('an unknown business event on a finished deal', () => ({ type: 'reportBusinessEvent', name: 'constructor', at: T0 + 4 * HOUR, actor: manager }), code('unexpected_business_event', 'name'), finishedDeal, businessTopic),
  row('a business event "__proto__"', () => ({ type: 'reportBusinessEvent', name: '__proto__', at: T0 + 4 * HOUR, actor: manager }), invalid('name'), finishedDeal, businessTopic),
  row('the closing business event on an open deal', () => ({ type: 'reportBusinessEvent', name: 'goods-shipped', at, actor: manager }), code('unexpected_business_event', 'name'), openDealFixture.bind(null, businessTopic), businessTopic),
];

describe('adversarial events', () => {
  it('the corpus is large and every row is distinct', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((candidate) => candidate.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name', (candidate) => {
    checkRow(candidate);
  });

  it('an event for an audit topic is refused before it is read', () => {
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [] });
    checkRow(row('any event on an audit topic', () => outcome(), { code: 'not_a_sales_topic', path: undefined }, openDealFixture, audit));
  });

  it('malformed values are told apart from missing ones in messages', () => {
    const present = applyEvent(topic, openDealFixture(), outcome({ at: 'soon' }) as unknown as DealEvent);
    const missing = applyEvent(topic, openDealFixture(), withoutKey(outcome(), 'at') as unknown as DealEvent);
    expect(!present.ok && present.error.message).toMatch(/^The event is malformed at at: Invalid input: expected number, received string/);
    expect(!missing.ok && missing.error.message).toBe('The event is malformed at at: Required: expected number.');
  });

  it('availableOutcomes answers for hostile actors and times without throwing', () => {
    const deal = openDealFixture();
    for (const [time, actor] of [
      [Number.NaN, manager],
      [-1, manager],
      [at, { id: '' }],
      [at, fromJson('{"id":"u","__proto__":{"administrator":true}}')],
    ] as const) {
      const options = availableOutcomes(topic, deal, time, actor as typeof manager);
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) expect(option).toMatchObject({ allowed: false, error: { code: 'invalid_event' } });
    }
  });
});
