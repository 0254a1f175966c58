import { describe, expect, it } from 'vitest';
import { applyEvent, compileTopic, openDeal, standardTopic, type Deal, type DealEvent, type OpenDealContext, type OpenDealInput } from '../../src/index.js';
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
 * and hostile inputs to `openDeal`.
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

const lastEntry = (deal: Deal) => deal.history.length - 1;
const history = (edit: (entries: Record<string, unknown>[], deal: { -readonly [K in keyof Deal]: Deal[K] }) => void, base: () => Deal = openDealFixture) => () => {
  const deal = structuredClone(base()) as unknown as { -readonly [K in keyof Deal]: Deal[K] } & { history: Record<string, unknown>[] };
  edit(deal.history, deal);
  return deal;
};

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
  applying('history as a string', tampered({ history: 'opened' }), invalid('history')),
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
  parsing('a history field key "__proto__" (JSON)', () => json(openDealFixture(), (text) => text.replace('"outcomeId":"qualified"', '"outcomeId":"qualified","fields":{"__proto__":"x"}')), invalid('history[1].fields.__proto__')),
  parsing('an id of a megabyte', tampered({ id: MEGABYTE }), invalid('id')),
  parsing('openedAt NaN', tampered({ openedAt: Number.NaN }), invalid('openedAt')),
  parsing('a negative stageEnteredAt', tampered({ stageEnteredAt: -1 }), invalid('stageEnteredAt')),
  parsing('a fractional lastActivityAt', tampered({ lastActivityAt: 1.5 }), invalid('lastActivityAt')),
  parsing('dueAt Infinity', tampered({ dueAt: Number.POSITIVE_INFINITY }), invalid('dueAt')),
  parsing('a negative amount', tampered({ amount: -5 }), invalid('amount')),
  parsing('an unknown status', tampered({ status: 'won' }), invalid('status')),
  parsing('an activity of an unknown kind', tampered({ activities: [{ id: 'a', kind: 'fax', authorId: 'u', plannedFor: T0 }] }), invalid('activities[0].kind')),
  parsing('an activity id "__proto__"', tampered({ activities: [{ id: '__proto__', kind: 'call', authorId: 'u', plannedFor: T0 }] }), invalid('activities[0].id')),
  parsing('10,000 nested arrays in the history', history((entries) => entries.push(deepArray(10_000) as Record<string, unknown>)), invalid('history[2]')),
  parsing('an unknown history entry type', history((entries) => Object.assign(entries[1] as object, { type: 'explode' })), invalid('history[1].type')),
  parsing('an empty history', tampered({ history: [], revision: 0 }), invalid('history')),
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
  parsing('a revision that does not count the history', tampered({ revision: 7 }), invalid('revision')),
  parsing('a history that does not start with "opened"', history((entries) => Object.assign(entries[0] as object, { type: 'setFields' })), invalid('history[0].type')),
  parsing('an "opened" entry at another time', history((entries) => Object.assign(entries[0] as object, { at: T0 - 1 })), invalid('history[0].at')),
  parsing('history times going back', history((entries) => Object.assign(entries[1] as object, { at: T0 - 1 })), invalid('history[1].at')),
  parsing('a history entry starting elsewhere', history((entries) => Object.assign(entries[1] as object, { from: 'payment' })), invalid('history[1].from')),
  parsing('a last entry ending in another stage', history((entries, deal) => Object.assign(entries[lastEntry(deal)] as object, { to: 'offer' })), invalid('history[1].to')),
  parsing('a last entry with another status', history((entries, deal) => Object.assign(entries[lastEntry(deal)] as object, { status: 'closed' })), invalid('history[1].status')),
  parsing('a second "opened" entry', history((entries, deal) => { entries.push({ ...entries[0], at: T0 + 2 * HOUR, from: deal.stageId, to: deal.stageId }); deal.revision = 3; }), invalid('history[2].type')),
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

describe('adversarial deals', () => {
  const all = [...applyRows, ...parseRows, ...openRows];

  it('the corpus is large and every row is distinct', () => {
    expect(applyRows.length + parseRows.length).toBeGreaterThanOrEqual(60);
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
    const getter = Object.defineProperty({ ...openDealFixture() }, 'history', {
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

  it('a deal with an own "__proto__" key is worked on as the deal it is, and the key is not copied', () => {
    const stored = json(openDealFixture(), (text) => text.replace('{', '{"__proto__":{"status":"closed"},')) as Deal;
    const result = applyEvent(topic, stored, setFields);
    if (!result.ok) expect.fail(result.error.message);
    expect(Object.hasOwn(result.deal, '__proto__')).toBe(false);
    expect(result.deal.status).toBe('open');
  });
});
