import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  compileTopic,
  openDeal,
  parseLogEntry,
  replayDeal,
  standardTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type OpenDealContext,
  type OpenDealInput,
  type ReplayResult,
} from '../../src/index.js';
import { compileSales } from '../support.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import {
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
 * Hostile deals, as a store might hand them back: through `applyEvent`
 * (whose cheap `checkDeal` must refuse what it cannot work on, never
 * throw), through `parseDeal` (the full check of a deal read from storage),
 * hostile inputs to `openDeal`, and hostile entries of the deal's log, kept
 * beside the deal, through `parseLogEntry` (one entry) and `replayDeal` (the
 * whole log, entries following each other and replaying to what they say).
 */

const later = T0 + 5 * HOUR;
const setFields: DealEvent = { type: 'setFields', fields: { carrier: 'ПЭК' }, at: later, actor: manager };
const planCall: DealEvent = { type: 'planActivity', activityId: 'call-9', kind: 'call', plannedFor: later + DAY, at: later, actor: manager };

/** A copy of the open deal with changes (own properties, so `__proto__` keys stay keys). */
const tampered = (changes: Record<string, unknown>, base: () => Deal = openDealFixture): (() => unknown) => () => {
  let deal: unknown = base();
  for (const [key, value] of Object.entries(changes)) deal = withKey(deal, key, value);
  return deal;
};
const json = (deal: Deal, edit: (text: string) => string): unknown => fromJson(edit(JSON.stringify(deal)));

const invalid = (path: string | undefined): Expected => ({ code: 'invalid_deal', path });
const noApproval = compileSales({ ...structuredClone(standardTopic), deadlineChange: { approval: 'none', approvers: [] } });
/** Two stages: "a" requires a note and leads to "b", where negotiations go on without outcomes (S11). */
const talks = compileSales({
  id: 'talks',
  name: 'Talks',
  kind: 'sales',
  fields: [{ id: 'note', name: 'Note', type: 'text' }],
  stages: [
    { id: 'a', name: 'A', requiredFields: ['note'], outcomes: [{ id: 'b', name: 'B', to: 'b' }] },
    { id: 'b', name: 'B' },
  ],
});
const talksDeal = (): Deal => {
  const opened = openDeal(talks, { id: 'deal-3', clientId: 'client-1', ownerId: manager.id, at: T0, fields: { note: 'hello' } });
  if (!opened.ok) throw new Error(opened.error.message);
  return step(opened.deal, { type: 'recordOutcome', outcomeId: 'b', at: T0 + HOUR, actor: manager }, talks);
};
const step = (deal: Deal, event: DealEvent, on = topic): Deal => {
  const result = applyEvent(on, deal, event);
  if (!result.ok) throw new Error(result.error.message);
  return result.deal;
};

/** A row applying an event to a hostile deal. */
const applying = (name: string, deal: () => unknown, expected: Expected, event: DealEvent = setFields): Row => ({
  name: `applyEvent: ${name}`,
  inputs: () => [deal(), event],
  call: (d, e) => answerOf(applyEvent(topic, d as Deal, e as DealEvent)),
  expected,
});

/** A row parsing a hostile stored deal. */
const parsing = (name: string, deal: () => unknown, expected: Expected, on = topic): Row => ({
  name: `parseDeal: ${name}`,
  inputs: () => [deal()],
  call: (d) => answerOf(parseDeal(on, d)),
  expected,
});

const applyRows: readonly Row[] = [
  applying('null', () => null, invalid(undefined)),
  applying('a string', () => 'deal-1', invalid(undefined)),
  applying('an array', () => [openDealFixture()], invalid('id')),
  applying('10,000 nested arrays', () => deepArray(10_000), invalid('id')),
  applying('no revision', () => withoutKey(openDealFixture(), 'revision'), invalid('revision')),
  applying('revision NaN', tampered({ revision: Number.NaN }), invalid('revision')),
  applying('a negative revision', tampered({ revision: -1 }), invalid('revision')),
  applying('a fractional revision', tampered({ revision: 1.5 }), invalid('revision')),
  applying('an id that is a number', tampered({ id: 7 }), invalid('id')),
  applying('topicId null', tampered({ topicId: null }), invalid('topicId')),
  applying('no clientId', () => withoutKey(openDealFixture(), 'clientId'), invalid('clientId')),
  applying('stageId a number', tampered({ stageId: 1 }), invalid('stageId')),
  applying('openedAt as a string', tampered({ openedAt: '2026-01-12' }), invalid('openedAt')),
  applying('stageEnteredAt NaN', tampered({ stageEnteredAt: Number.NaN }), invalid('stageEnteredAt')),
  applying('lastActivityAt as a string', tampered({ lastActivityAt: '1' }), invalid('lastActivityAt')),
  applying('idleDueAt -Infinity', tampered({ idleDueAt: Number.NEGATIVE_INFINITY }), invalid('idleDueAt')),
  applying('stageDueAt Infinity', tampered({ stageDueAt: Number.POSITIVE_INFINITY }), invalid('stageDueAt')),
  applying('dueAt NaN', tampered({ dueAt: Number.NaN }), invalid('dueAt')),
  applying('an unknown status', tampered({ status: 'won' }), invalid('status')),
  applying('status "constructor"', tampered({ status: 'constructor' }), invalid('status')),
  applying('activities as an object', tampered({ activities: {} }), invalid('activities')),
  applying('a null activity', tampered({ activities: [null] }), invalid('activities[0]'), planCall),
  applying('an activity without a time', tampered({ activities: [{ id: 'a', kind: 'call', authorId: 'u' }] }), invalid('activities[0]'), planCall),
  applying('no lastEventAt', () => withoutKey(openDealFixture(), 'lastEventAt'), invalid('lastEventAt')),
  applying('lastEventAt as a string', tampered({ lastEventAt: String(T0 + HOUR) }), invalid('lastEventAt')),
  applying('lastEventAt NaN', tampered({ lastEventAt: Number.NaN }), invalid('lastEventAt')),
  applying('agreedDueAt as a string', tampered({ agreedDueAt: 'soon' }), invalid('agreedDueAt')),
  applying('a last change far in the future', tampered({ lastEventAt: 9e15 }), { code: 'event_out_of_order', path: 'at' }),
  applying('fields as null', tampered({ fields: null }), invalid('fields')),
  applying('a field key "__proto__" (JSON)', () => json(openDealFixture(), (text) => text.replace('"fields":{}', '"fields":{"__proto__":{"polluted":true}}')), invalid('fields')),
  applying('a pending change without a date', tampered({ pendingDeadlineChange: {} }), invalid('pendingDeadlineChange'), { type: 'approveDeadlineChange', at: later, actor: director }),
  applying('a pending change as a string', tampered({ pendingDeadlineChange: 'soon' }), invalid('pendingDeadlineChange')),
  applying('an unknown stage', tampered({ stageId: 'nowhere' }), { code: 'unknown_stage', path: 'stageId' }),
  applying('stage "constructor"', tampered({ stageId: 'constructor' }), { code: 'unknown_stage', path: 'stageId' }),
  applying('stage "__proto__"', tampered({ stageId: '__proto__' }), { code: 'unknown_stage', path: 'stageId' }),
  applying('another topic', tampered({ topicId: 'other' }), { code: 'topic_mismatch', path: 'topicId' }),
  applying('another version of the topic', tampered({ topicVersion: 2 }), { code: 'topic_mismatch', path: 'topicId' }),
  applying('topicId "__proto__"', tampered({ topicId: '__proto__' }), { code: 'topic_mismatch', path: 'topicId' }),
  applying('an own "__proto__" key on the deal (JSON)', () => json(openDealFixture(), (text) => text.replace('{', '{"__proto__":{"status":"closed"},')), { accepted: true }),
];

const parseRows: readonly Row[] = [
  // Shape.
  parsing('null', () => null, invalid('')),
  parsing('an array', () => [openDealFixture()], invalid('')),
  parsing('10,000 nested arrays', () => deepArray(10_000), invalid('')),
  parsing('10,000 nested objects', () => deepObject(10_000), invalid('id')),
  parsing('no revision', () => withoutKey(openDealFixture(), 'revision'), invalid('revision')),
  parsing('an extra key', tampered({ extra: 1 }), invalid('extra')),
  parsing('an own "__proto__" key (JSON)', () => json(openDealFixture(), (text) => text.replace('{', '{"__proto__":{"status":"closed"},')), invalid('__proto__')),
  parsing('a "constructor" key', tampered({ constructor: { prototype: { polluted: true } } }), invalid('constructor')),
  parsing('a field key "__proto__" (JSON)', () => json(openDealFixture(), (text) => text.replace('"fields":{}', '"fields":{"__proto__":"x"}')), invalid('fields.__proto__')),
  parsing('an id of a megabyte', tampered({ id: MEGABYTE }), invalid('id')),
  parsing('openedAt NaN', tampered({ openedAt: Number.NaN }), invalid('openedAt')),
  parsing('a negative stageEnteredAt', tampered({ stageEnteredAt: -1 }), invalid('stageEnteredAt')),
  parsing('a fractional lastActivityAt', tampered({ lastActivityAt: 1.5 }), invalid('lastActivityAt')),
  parsing('dueAt Infinity', tampered({ dueAt: Number.POSITIVE_INFINITY }), invalid('dueAt')),
  parsing('a negative amount', tampered({ amount: -5 }), invalid('amount')),
  parsing('an unknown status', tampered({ status: 'won' }), invalid('status')),
  parsing('an activity of an unknown kind', tampered({ activities: [{ id: 'a', kind: 'fax', authorId: 'u', plannedFor: T0 }] }), invalid('activities[0].kind')),
  parsing('an activity id "__proto__"', tampered({ activities: [{ id: '__proto__', kind: 'call', authorId: 'u', plannedFor: T0 }] }), invalid('activities[0].id')),
  parsing('a leftover "history" key (the deal keeps no history)', tampered({ history: [] }), invalid('history')),
  parsing('revision 0 (a deal opens at revision 1)', tampered({ revision: 0 }), invalid('revision')),
  parsing('lastEventAt NaN', tampered({ lastEventAt: Number.NaN }), invalid('lastEventAt')),
  parsing('no lastEventAt', () => withoutKey(openDealFixture(), 'lastEventAt'), invalid('lastEventAt')),
  parsing('agreedDueAt as a string', tampered({ agreedDueAt: 'soon' }), invalid('agreedDueAt')),
  parsing('a field value NaN', tampered({ fields: { carrier: Number.NaN } }), invalid('fields.carrier')),
  // Consistency with the topic.
  parsing('another topic', tampered({ topicId: 'other' }), { code: 'topic_mismatch', path: 'topicId' }),
  parsing('another version of the topic', tampered({ topicVersion: 2 }), { code: 'topic_mismatch', path: 'topicVersion' }),
  parsing('an unknown stage', tampered({ stageId: 'nowhere' }), { code: 'unknown_stage', path: 'stageId' }),
  parsing('stage "constructor"', tampered({ stageId: 'constructor' }), { code: 'unknown_stage', path: 'stageId' }),
  parsing('an unknown field', tampered({ fields: { nope: 'x' } }), invalid('fields.nope')),
  parsing('a field key that is not an id', tampered({ fields: { 'a b': 1 } }), invalid('fields["a b"]')),
  parsing('a field "toString"', tampered({ fields: { toString: 'x' } }), invalid('fields.toString')),
  parsing('a field value of the wrong type', tampered({ fields: { carrier: 5 } }), invalid('fields.carrier')),
  parsing('a date field that is no date', tampered({ fields: { 'delivery-date': '2025-02-29' } }), invalid('fields.delivery-date')),
  parsing('"negotiations ongoing" on a stage with outcomes (S11)', tampered({ negotiationsOngoing: true }), invalid('negotiationsOngoing')),
  // Consistency with itself.
  parsing('revision 1 with a change after the opening', tampered({ revision: 1 }), invalid('lastEventAt')),
  parsing('a last change before the last activity', tampered({ lastEventAt: T0 }), invalid('lastActivityAt')),
  parsing('a last activity before the stage was entered', tampered({ lastActivityAt: T0 + HOUR - 1 }), invalid('lastActivityAt')),
  parsing('a "negotiations ongoing" stage without the mark (S11)', () => ({ ...talksDeal(), negotiationsOngoing: false }), invalid('negotiationsOngoing'), talks),
  parsing('a stage entered before the deal opened', tampered({ stageEnteredAt: T0 - 1 }), invalid('stageEnteredAt')),
  parsing('a last activity after the last change', tampered({ lastActivityAt: T0 + 9 * HOUR }), invalid('lastActivityAt')),
  parsing('an open deal with a finish', tampered({ finish: { outcomeId: 'refused', result: 'negative', at: T0 + HOUR, by: 'u' } }), invalid('finish')),
  parsing('a closed deal without its finish', tampered({ finish: null }, closedDeal), invalid('finish')),
  parsing('a finished deal with a negative finish', () => ({ ...finishedDeal(), finish: { ...finishedDeal().finish, result: 'negative' } }), invalid('finish.result'), businessTopic),
  parsing('a closed deal with a deadline change waiting', tampered({ pendingDeadlineChange: { dueAt: T0 + 40 * DAY, requestedBy: 'u', requestedAt: T0 + HOUR } }, closedDeal), invalid('pendingDeadlineChange')),
  parsing('a requested deadline before its request', tampered({ pendingDeadlineChange: { dueAt: T0, requestedBy: 'u', requestedAt: T0 + HOUR } }), invalid('pendingDeadlineChange.dueAt')),
  parsing('a finish after the last change', () => ({ ...closedDeal(), finish: { ...closedDeal().finish, at: T0 + 9 * HOUR } }), invalid('finish.at')),
  parsing('a deadline change requested after the last change', tampered({ pendingDeadlineChange: { dueAt: T0 + 40 * DAY, requestedBy: 'u', requestedAt: T0 + 9 * HOUR } }), invalid('pendingDeadlineChange.requestedAt')),
  parsing('another topic and another version', tampered({ topicId: 'other', topicVersion: 9 }), { code: 'topic_mismatch', path: 'topicId' }),
  parsing('an activity listed twice', () => ({ ...busyDeal(), activities: [busyDeal().activities[0], busyDeal().activities[0]] }), invalid('activities[1].id')),
  // Deadlines that do not match the definition (S6, S24, S25).
  parsing('a stage deadline a minute later', () => ({ ...openDealFixture(), stageDueAt: (openDealFixture().stageDueAt ?? 0) + 60_000 }), { code: 'deadline_mismatch', path: 'stageDueAt' }),
  parsing('no stage deadline on a stage with a limit', tampered({ stageDueAt: null }), { code: 'deadline_mismatch', path: 'stageDueAt' }),
  parsing('an idle deadline moved', () => ({ ...openDealFixture(), idleDueAt: (openDealFixture().idleDueAt ?? 0) + DAY }), { code: 'deadline_mismatch', path: 'idleDueAt' }),
  parsing('a deal deadline moved without a request', () => ({ ...openDealFixture(), dueAt: (openDealFixture().dueAt ?? 0) + DAY }), { code: 'deadline_mismatch', path: 'dueAt' }),
  parsing('an agreed deadline the deal deadline does not follow (S25)', tampered({ agreedDueAt: T0 + 40 * DAY }), { code: 'deadline_mismatch', path: 'dueAt' }),
  parsing('a deal deadline taken from a request still waiting', () => ({ ...busyDeal(), dueAt: T0 + 40 * DAY }), { code: 'deadline_mismatch', path: 'dueAt' }),
  parsing('an idle deadline after the last activity on a closed deal', () => ({ ...closedDeal(), idleDueAt: (closedDeal().idleDueAt ?? 0) + 2 * DAY }), { code: 'deadline_mismatch', path: 'idleDueAt' }),
  parsing('no idle deadline on a closed deal in a stage with an idle limit', tampered({ idleDueAt: null }, closedDeal), { code: 'deadline_mismatch', path: 'idleDueAt' }),
  parsing('an idle deadline before the stage was entered, on a closed deal', () => ({ ...closedDeal(), idleDueAt: T0 }), { code: 'deadline_mismatch', path: 'idleDueAt' }),
  // What must pass.
  {
    name: 'parseDeal: a moved stage deadline, with deadlines: "ignore" (kept from an older version)',
    inputs: () => [{ ...openDealFixture(), stageDueAt: T0 }],
    call: (d) => answerOf(parseDeal(topic, d, { deadlines: 'ignore' })),
    expected: { accepted: true },
  },
  parsing('a deal deadline moved by an approved change (S25)', () => step(busyDeal(), { type: 'approveDeadlineChange', at: T0 + 4 * HOUR, actor: director }), { accepted: true }),
  parsing('a deal deadline moved by a request on a topic without approval (S25)', () => step(openDealFixture(noApproval), { type: 'requestDeadlineChange', dueAt: T0 + 50 * DAY, at: T0 + 4 * HOUR, actor: manager }, noApproval), { accepted: true }, noApproval),
  parsing('a request that was rejected leaves the topic\'s deadline', () => step(busyDeal(), { type: 'rejectDeadlineChange', at: T0 + 4 * HOUR, actor: director }), { accepted: true }),
  parsing('a deal as JSON gives it back', () => json(busyDeal(), (text) => text), { accepted: true }),
  parsing('a closed deal', closedDeal, { accepted: true }),
  parsing('a finished deal', finishedDeal, { accepted: true }, businessTopic),
];

const openInput = (changes: Record<string, unknown> = {}): OpenDealInput => ({ id: 'deal-2', clientId: 'client-1', ownerId: manager.id, at: T0, ...changes }) as OpenDealInput;
const opening = (name: string, input: () => unknown, expected: Expected, context?: () => unknown): Row => ({
  name: `openDeal: ${name}`,
  inputs: () => [input(), context?.()],
  call: (i, c) => answerOf(openDeal(topic, i as OpenDealInput, c as OpenDealContext)),
  expected,
});
const invalidInput = (path: string): Expected => ({ code: 'invalid_input', path });

const openRows: readonly Row[] = [
  opening('null', () => null, invalidInput('')),
  opening('10,000 nested objects', () => deepObject(10_000), invalidInput('id')),
  opening('a time NaN', () => openInput({ at: Number.NaN }), invalidInput('at')),
  opening('a negative time', () => openInput({ at: -1 }), invalidInput('at')),
  opening('an id of a megabyte', () => openInput({ id: MEGABYTE }), invalidInput('id')),
  opening('an amount of Infinity', () => openInput({ amount: Number.POSITIVE_INFINITY }), invalidInput('amount')),
  opening('a negative amount', () => openInput({ amount: -1 }), invalidInput('amount')),
  opening('an extra key', () => openInput({ extra: true }), invalidInput('extra')),
  opening('an own "__proto__" key (JSON)', () => fromJson(`{"id":"d","clientId":"c","ownerId":"u","at":${T0},"__proto__":{"amount":5}}`), invalidInput('__proto__')),
  opening('field "constructor"', () => openInput({ fields: { constructor: 'x' } }), { code: 'unknown_field', path: 'fields.constructor' }),
  opening('a field of the wrong type', () => openInput({ fields: { 'delivery-date': true } }), { code: 'invalid_field_value', path: 'fields.delivery-date' }),
  opening('a client with an open deal, concurrent deals forbidden (S32)', () => openInput(), { code: 'concurrent_deal', path: 'clientId' }, () => ({ clientDeals: [openDealFixture()] })),
  opening('client deals as an object', () => openInput(), invalidInput('clientDeals'), () => ({ clientDeals: {} })),
  opening('client deals holding null', () => openInput(), invalidInput('clientDeals'), () => ({ clientDeals: [null] })),
  opening('client deals as a string', () => openInput(), invalidInput('clientDeals'), () => ({ clientDeals: 'deal-1' })),
  opening('a null context', () => openInput(), { accepted: true }, () => null),
  {
    name: 'openDeal: without a field the first stage requires',
    inputs: () => [openInput({ fields: { note: '' } })],
    call: (i) => answerOf(openDeal(talks, i as OpenDealInput)),
    expected: { code: 'required_fields_missing', path: 'fields' },
  },
];

/** The log of `openDealFixture()`, as the caller stores it beside the deal: the "opened" entry and the outcome an hour later. */
function fixtureLog(): DealLogEntry[] {
  const opened = openDeal(topic, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: T0 });
  if (!opened.ok) throw new Error(opened.error.message);
  const moved = applyEvent(topic, opened.deal, { type: 'recordOutcome', outcomeId: 'qualified', at: T0 + HOUR, actor: manager });
  if (!moved.ok) throw new Error(moved.error.message);
  return [opened.entry, moved.entry];
}
/** The log of `openDealFixture()` with one more event, an hour after the outcome. */
function longerLog(): DealLogEntry[] {
  const log = fixtureLog();
  const replayed = replayDeal(topic, log);
  if (!replayed.ok) throw new Error(replayed.error.message);
  const next = applyEvent(topic, replayed.deal, { type: 'setFields', fields: { carrier: 'ПЭК' }, at: T0 + 2 * HOUR, actor: manager });
  if (!next.ok) throw new Error(next.error.message);
  return [...log, next.entry];
}
const openedEntry = (): DealLogEntry => fixtureLog()[0] as DealLogEntry;
const eventEntry = (): DealLogEntry => fixtureLog()[1] as DealLogEntry;
/** A `migrated` entry as `migrateDeal` writes it, from version 1 to 2. */
const migratedEntry = (): Record<string, unknown> => ({ dealId: 'deal-1', revision: 3, version: 2, at: T0 + 2 * HOUR, by: director.id, from: 'acquaintance', to: 'acquaintance', status: 'open', type: 'migrated', fromVersion: 1, deadlines: 'keep' });
/** A copy of an entry with changes (own properties, so `__proto__` keys stay keys). */
const entryWith = (base: () => unknown, changes: Record<string, unknown>): (() => unknown) => () => {
  let entry: unknown = base();
  for (const [key, value] of Object.entries(changes)) entry = withKey(entry, key, value);
  return entry;
};
/** A copy of an event entry whose event has changes. */
const eventWith = (changes: Record<string, unknown>): (() => unknown) => () => {
  const entry = eventEntry() as { event: unknown };
  let event: unknown = entry.event;
  for (const [key, value] of Object.entries(changes)) event = withKey(event, key, value);
  return withKey(entry, 'event', event);
};
const entryJson = (base: () => unknown, edit: (text: string) => string): (() => unknown) => () => fromJson(edit(JSON.stringify(base())));
/** The fixture's log with entry `index` replaced by what `edit` makes of it. */
const logWith = (index: number, edit: () => unknown, base: () => unknown[] = fixtureLog): (() => unknown[]) => () => {
  const log: unknown[] = base();
  log[index] = edit();
  return log;
};

const invalidEntry = (path: string | undefined): Expected => ({ code: 'invalid_log_entry', path });

/** A row checking one hostile log entry read back from storage. */
const entryParsing = (name: string, entry: () => unknown, expected: Expected): Row => ({
  name: `parseLogEntry: ${name}`,
  inputs: () => [entry()],
  call: (e) => answerOf(parseLogEntry(e)),
  expected,
});

/** The answer of `replayDeal`, its path prefixed with the index of the entry that fails: `[1].revision`. */
const replayAnswer = (result: ReplayResult) => {
  const answer = answerOf(result);
  if (result.ok || !('code' in answer)) return answer;
  return { ...answer, path: answer.path === undefined || answer.path === '' ? `[${result.index}]` : `[${result.index}].${answer.path}` };
};
/** A row replaying a hostile log. */
const replaying = (name: string, entries: () => unknown, expected: Expected): Row => ({
  name: `replayDeal: ${name}`,
  inputs: () => [entries()],
  call: (e) => replayAnswer(replayDeal(topic, e as Iterable<unknown>)),
  expected,
});

const logRows: readonly Row[] = [
  // Shape.
  entryParsing('null', () => null, invalidEntry('')),
  entryParsing('a string', () => 'opened', invalidEntry('')),
  entryParsing('10,000 nested arrays', () => deepArray(10_000), invalidEntry('')),
  entryParsing('10,000 nested objects', () => deepObject(10_000), invalidEntry('type')),
  entryParsing('an event of 10,000 nested arrays', entryWith(eventEntry, { event: deepArray(10_000) }), invalidEntry('event')),
  entryParsing('an extra key', entryWith(eventEntry, { extra: 1 }), invalidEntry('extra')),
  entryParsing('an own "__proto__" key (JSON)', entryJson(eventEntry, (text) => text.replace('{', '{"__proto__":{"polluted":true},')), invalidEntry('__proto__')),
  entryParsing('a "constructor" key', entryWith(eventEntry, { constructor: { prototype: { polluted: true } } }), invalidEntry('constructor')),
  entryParsing('an own "__proto__" key in the event (JSON)', entryJson(eventEntry, (text) => text.replace('"event":{', '"event":{"__proto__":{"polluted":true},')), invalidEntry('event.__proto__')),
  entryParsing('an own "__proto__" key in the actor (JSON)', entryJson(eventEntry, (text) => text.replace('"actor":{', '"actor":{"__proto__":{"roles":["director"]},')), invalidEntry('event.actor.__proto__')),
  entryParsing('an own "__proto__" key in the opening input (JSON)', entryJson(openedEntry, (text) => text.replace('"input":{', '"input":{"__proto__":{"amount":5},')), invalidEntry('input.__proto__')),
  // Field records: zod would drop the key unseen, so it is refused by name, as parseDeal refuses `fields.__proto__`.
  entryParsing('an own "__proto__" key in the opening\'s fields (JSON)', entryJson(openedEntry, (text) => text.replace('"input":{', '"input":{"fields":{"__proto__":{"polluted":true}},')), invalidEntry('input.fields.__proto__')),
  entryParsing('an own "__proto__" key in an event\'s fields (JSON)', () => fromJson(`{"dealId":"deal-1","revision":2,"version":1,"at":${T0 + HOUR},"by":"manager-1","from":"new","to":"new","status":"open","type":"setFields","event":{"fields":{"__proto__":{"polluted":true}}}}`), invalidEntry('event.fields.__proto__')),
  entryParsing('an own "__proto__" key in a migration\'s retired fields (JSON)', entryJson(migratedEntry, (text) => text.replace('{', '{"retiredFields":{"__proto__":{"polluted":true}},')), invalidEntry('retiredFields.__proto__')),
  entryParsing('an unknown type', entryWith(eventEntry, { type: 'explode' }), invalidEntry('type')),
  entryParsing('type "__proto__"', entryWith(eventEntry, { type: '__proto__' }), invalidEntry('type')),
  entryParsing('type "constructor"', entryWith(eventEntry, { type: 'constructor' }), invalidEntry('type')),
  entryParsing('an unknown status', entryWith(eventEntry, { status: 'won' }), invalidEntry('status')),
  entryParsing('a stage that is not an id', entryWith(eventEntry, { to: 'a b' }), invalidEntry('to')),
  // Huge strings.
  entryParsing('a deal id of a megabyte', entryWith(eventEntry, { dealId: MEGABYTE }), invalidEntry('dealId')),
  entryParsing('an author of a megabyte', entryWith(eventEntry, { by: MEGABYTE }), invalidEntry('by')),
  entryParsing('an outcome id of a megabyte', eventWith({ outcomeId: MEGABYTE }), invalidEntry('event.outcomeId')),
  entryParsing('a migration reason of a megabyte', entryWith(migratedEntry, { reason: MEGABYTE }), invalidEntry('reason')),
  entryParsing('1,001 retired fields', entryWith(migratedEntry, { retiredFields: Object.fromEntries(Array.from({ length: 1001 }, (_, index) => [`field-${index}`, index])) }), invalidEntry('retiredFields')),
  // Revisions.
  entryParsing('an "opened" entry at revision 2', entryWith(openedEntry, { revision: 2 }), invalidEntry('revision')),
  entryParsing('an event at revision 1', entryWith(eventEntry, { revision: 1 }), invalidEntry('revision')),
  entryParsing('a migration at revision 1', entryWith(migratedEntry, { revision: 1 }), invalidEntry('revision')),
  entryParsing('revision 0', entryWith(eventEntry, { revision: 0 }), invalidEntry('revision')),
  entryParsing('a fractional revision', entryWith(eventEntry, { revision: 1.5 }), invalidEntry('revision')),
  entryParsing('revision NaN', entryWith(eventEntry, { revision: Number.NaN }), invalidEntry('revision')),
  entryParsing('revision as a string', entryWith(eventEntry, { revision: '2' }), invalidEntry('revision')),
  entryParsing('version 0', entryWith(eventEntry, { version: 0 }), invalidEntry('version')),
  // Times.
  entryParsing('a time NaN', entryWith(eventEntry, { at: Number.NaN }), invalidEntry('at')),
  entryParsing('a time Infinity', entryWith(eventEntry, { at: Number.POSITIVE_INFINITY }), invalidEntry('at')),
  entryParsing('a negative time', entryWith(eventEntry, { at: -1 }), invalidEntry('at')),
  entryParsing('a fractional time', entryWith(eventEntry, { at: T0 + 0.5 }), invalidEntry('at')),
  entryParsing('a time as a string', entryWith(eventEntry, { at: '2026-01-12T10:00:00Z' }), invalidEntry('at')),
  entryParsing('a time past the maximum', entryWith(eventEntry, { at: 9e15 }), invalidEntry('at')),
  entryParsing('an event time NaN', eventWith({ at: Number.NaN }), invalidEntry('event.at')),
  entryParsing('an opening time NaN', () => withKey(openedEntry(), 'input', withKey((openedEntry() as { input: unknown }).input, 'at', Number.NaN)), invalidEntry('input.at')),
  // Entries that contradict themselves.
  entryParsing('an entry type other than its event\'s', entryWith(eventEntry, { type: 'setFields' }), invalidEntry('event.fields')),
  entryParsing('an event that repeats the entry\'s time', eventWith({ at: T0 + HOUR }), invalidEntry('event.at')),
  entryParsing('an event that repeats the entry\'s type', eventWith({ type: 'recordOutcome' }), invalidEntry('event.type')),
  entryParsing('an event that keeps the revision it expected', eventWith({ expectedRevision: 1 }), invalidEntry('event.expectedRevision')),
  entryParsing('an author other than the event\'s actor', entryWith(eventEntry, { by: director.id }), invalidEntry('event.actor.id')),
  entryParsing('an "opened" entry of another deal', entryWith(openedEntry, { dealId: 'deal-2' }), invalidEntry('input.id')),
  entryParsing('an "opened" entry at another time than its input', entryWith(openedEntry, { at: T0 - 1 }), invalidEntry('input.at')),
  entryParsing('an "opened" entry that is closed', entryWith(openedEntry, { status: 'closed' }), invalidEntry('status')),
  entryParsing('an "opened" entry that moves the deal', entryWith(openedEntry, { to: 'acquaintance' }), invalidEntry('status')),
  entryParsing('a migration to the same version', entryWith(migratedEntry, { fromVersion: 2 }), invalidEntry('fromVersion')),
  entryParsing('a migration with unknown deadlines', entryWith(migratedEntry, { deadlines: 'ignore' }), invalidEntry('deadlines')),
  entryParsing('an "opened" entry with an event', entryWith(openedEntry, { event: (eventEntry() as { event: unknown }).event }), invalidEntry('event')),
  // What must pass.
  entryParsing('the "opened" entry as stored', openedEntry, { accepted: true }),
  entryParsing('an event entry as JSON', entryJson(eventEntry, (text) => text), { accepted: true }),
  entryParsing('a migrated entry', migratedEntry, { accepted: true }),
];

const replayRows: readonly Row[] = [
  replaying('an empty log', () => [], invalidEntry('[0]')),
  replaying('null instead of a log', () => null, { code: 'unreadable_input', path: '[0]' }),
  replaying('a number instead of a log', () => 7, { code: 'unreadable_input', path: '[0]' }),
  replaying('a string instead of a log', () => 'opened', invalidEntry('[0]')),
  replaying('a hole in the log', logWith(1, () => undefined), invalidEntry('[1]')),
  replaying('10,000 nested arrays as an entry', logWith(1, () => deepArray(10_000)), invalidEntry('[1]')),
  replaying('an own "__proto__" key in an event\'s fields (JSON)', () => [openedEntry(), fromJson(`{"dealId":"deal-1","revision":2,"version":1,"at":${T0 + HOUR},"by":"manager-1","from":"new","to":"new","status":"open","type":"setFields","event":{"fields":{"__proto__":{"polluted":true}}}}`)], invalidEntry('[1].event.fields.__proto__')),
  replaying('an own "__proto__" key in an entry (JSON)', logWith(1, entryJson(eventEntry, (text) => text.replace('{', '{"__proto__":{"status":"closed"},'))), invalidEntry('[1].__proto__')),
  replaying('an author of a megabyte', logWith(1, entryWith(eventEntry, { by: MEGABYTE })), invalidEntry('[1].by')),
  replaying('a time NaN', logWith(1, entryWith(eventEntry, { at: Number.NaN })), invalidEntry('[1].at')),
  replaying('a log that does not start with "opened"', () => fixtureLog().slice(1), invalidEntry('[0].type')),
  replaying('a second "opened" entry', () => [openedEntry(), openedEntry()], invalidEntry('[1].type')),
  replaying('a revision skipped', logWith(1, entryWith(eventEntry, { revision: 3 })), invalidEntry('[1].revision')),
  replaying('a revision repeated', () => { const log = longerLog(); return [log[0], log[1], withKey(log[2], 'revision', 2)]; }, invalidEntry('[2].revision')),
  replaying('an entry of another deal', logWith(1, entryWith(eventEntry, { dealId: 'deal-2' })), invalidEntry('[1].dealId')),
  replaying('an entry starting elsewhere', logWith(1, entryWith(eventEntry, { from: 'payment' })), invalidEntry('[1].from')),
  replaying('an entry ending in another stage', logWith(1, entryWith(eventEntry, { to: 'offer' })), { code: 'replay_mismatch', path: '[1].to' }),
  replaying('an entry with another status', logWith(1, entryWith(eventEntry, { status: 'closed' })), { code: 'replay_mismatch', path: '[1].status' }),
  replaying('an event before the deal opened', logWith(1, entryWith(eventEntry, { at: T0 - 1 })), { code: 'event_before_open', path: '[1].at' }),
  replaying('times going back', () => { const log = longerLog(); return [log[0], log[1], withKey(log[2], 'at', T0 + HOUR - 1)]; }, { code: 'event_out_of_order', path: '[2].at' }),
  replaying('a migration on the same topic to a stage it does not have', () => [...fixtureLog(), entryWith(migratedEntry, { to: 'nowhere' })()], { code: 'unknown_stage', path: '[2].to' }),
  replaying('the log as stored', fixtureLog, { accepted: true }),
  replaying('the log as JSON', () => fromJson(JSON.stringify(longerLog())), { accepted: true }),
];

describe('adversarial deals', () => {
  const all = [...applyRows, ...parseRows, ...openRows, ...logRows, ...replayRows];

  it('the corpus is large and every row is distinct', () => {
    expect(applyRows.length + parseRows.length).toBeGreaterThanOrEqual(60);
    expect(logRows.length + replayRows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((candidate) => candidate.name)).size).toBe(all.length);
  });

  it.each(all)('$name', (candidate) => {
    checkRow(candidate);
  });

  it('parseDeal refuses audit topics and gives back an equal, separate deal', () => {
    const audit = compileTopic({ id: 'audit', name: 'Audit', kind: 'audit', outcomeKinds: [] });
    expect(parseDeal(audit, openDealFixture())).toMatchObject({ ok: false, error: { code: 'not_a_sales_topic' } });
    const stored = JSON.parse(JSON.stringify(busyDeal())) as Deal;
    const parsed = parseDeal(topic, stored);
    if (!parsed.ok) expect.fail(parsed.error.message);
    expect(parsed.deal).toStrictEqual(stored);
    expect(parsed.deal).not.toBe(stored);
  });

  it('parseDeal never throws on exotic objects (a throwing getter, a proxy)', () => {
    const getter = Object.defineProperty({ ...openDealFixture() }, 'lastEventAt', {
      enumerable: true,
      get() {
        throw new Error('storage gone');
      },
    });
    const proxy = new Proxy(openDealFixture(), {
      get() {
        throw new Error('trap');
      },
    });
    for (const input of [getter, proxy]) expect(parseDeal(topic, input)).toMatchObject({ ok: false, error: { code: 'invalid_deal' } });
  });

  it('the log of the fixture replays to the fixture, and parseLogEntry gives back equal, separate entries', () => {
    expect(replayDeal(topic, fixtureLog())).toStrictEqual({ ok: true, deal: openDealFixture() });
    for (const stored of JSON.parse(JSON.stringify(longerLog())) as unknown[]) {
      const parsed = parseLogEntry(stored);
      if (!parsed.ok) expect.fail(parsed.error.message);
      expect(parsed.entry).toStrictEqual(stored);
      expect(parsed.entry).not.toBe(stored);
    }
  });

  it('parseLogEntry and replayDeal never throw on exotic entries and logs (a throwing getter, a proxy, a throwing iterator)', () => {
    const boom = (): never => {
      throw new Error('storage gone');
    };
    const getter = Object.defineProperty({ ...eventEntry() }, 'at', { enumerable: true, get: boom });
    const eventGetter = { ...eventEntry(), event: Object.defineProperty({ ...(eventEntry() as { event: object }).event }, 'actor', { enumerable: true, get: boom }) };
    const proxy = new Proxy({ ...eventEntry() }, { get: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom, has: boom });
    for (const input of [getter, eventGetter, proxy]) {
      const parsed = parseLogEntry(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(['invalid_log_entry', 'unreadable_input']).toContain(parsed.error.code);
      const replayed = replayDeal(topic, [openedEntry(), input]);
      expect(replayed).toMatchObject({ ok: false, index: 1 });
      if (!replayed.ok) expect(['invalid_log_entry', 'unreadable_input']).toContain(replayed.error.code);
    }
    const log = fixtureLog();
    const failing: Iterable<unknown> = {
      *[Symbol.iterator]() {
        yield log[0];
        throw new Error('connection reset');
      },
    };
    expect(replayDeal(topic, failing)).toMatchObject({ ok: false, index: 0, error: { code: 'unreadable_input' } });
    const throwingIterator = { [Symbol.iterator]: boom } as unknown as Iterable<unknown>;
    expect(replayDeal(topic, throwingIterator)).toMatchObject({ ok: false, index: 0, error: { code: 'unreadable_input' } });
  });

  it('a deal with an own "__proto__" key is worked on as the deal it is, and the key is not copied', () => {
    const stored = json(openDealFixture(), (text) => text.replace('{', '{"__proto__":{"status":"closed"},')) as Deal;
    const result = applyEvent(topic, stored, setFields);
    if (!result.ok) expect.fail(result.error.message);
    expect(Object.hasOwn(result.deal, '__proto__')).toBe(false);
    expect(result.deal.status).toBe('open');
  });
});
