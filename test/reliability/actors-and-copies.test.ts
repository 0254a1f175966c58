/*
 * Issue 12, items 4 and 8 and three of the small points of item 12:
 * - every function that takes an actor checks its shape the same way, own
 *   properties only (S2, S25), and refuses with a typed error;
 * - an event is read once into plain data, checked, and only the copy is
 *   stored (time of check, time of use);
 * - a damaged deal or a sparse log cannot hide the last event (the deal keeps
 *   lastEventAt, its log is kept beside it); recordEvent and cancelEvent
 *   check the stored event and refuse a time before it was planned;
 *   editTopic refuses a malformed parameter value instead of bumping the version.
 */
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  canEditTopic,
  cancelEvent,
  compileTopic,
  createTopic,
  editTopic,
  isApprover,
  entryEvent,
  openDeal,
  parseLogEntry,
  planEvent,
  readActor,
  recordEvent,
  replayDeal,
  standardTopic,
  type CompiledEventTopic,
  type Deal,
  type DealEvent,
  type TopicEvent,
} from '../../src/index.js';
import { accepted, compileSales, director, HOUR, manager, MONDAY, open, rejected } from '../support.js';

const boom = (): never => {
  throw new Error('boom');
};

/** Actors that must never be taken for a director (or for anyone). */
const forgedDirectors: ReadonlyArray<readonly [string, () => unknown]> = [
  ['roles as a string containing the role', () => ({ id: 'u-9', roles: 'assistant-to-the-director' })],
  ['roles as the bare role string', () => ({ id: 'u-9', roles: 'director' })],
  ['roles as an object with its own includes', () => ({ id: 'u-9', roles: { includes: () => true } })],
  ['roles inherited from a prototype', () => Object.assign(Object.create({ roles: ['director'] }) as object, { id: 'u-9' })],
  ['administrator inherited from a prototype', () => Object.assign(Object.create({ administrator: true }) as object, { id: 'u-9' })],
  ['crmAccess inherited from a prototype', () => Object.assign(Object.create({ crmAccess: 'full' }) as object, { id: 'u-9' })],
  ['administrator as the string "true"', () => ({ id: 'u-9', administrator: 'true' })],
  ['a role list of a non-string', () => ({ id: 'u-9', roles: [['director']] })],
  ['an unknown key', () => ({ id: 'u-9', roles: ['director'], superuser: true })],
  ['a number as roles', () => ({ id: 'u-9', roles: 7 })],
  ['a throwing getter', () => Object.defineProperty({ id: 'u-9' }, 'roles', { get: boom, enumerable: true })],
  ['a throwing proxy', () => new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom })],
  ['an array', () => ['director']],
  ['a class instance', () => Object.assign(new (class Person {
    readonly kind = 'person';
  })(), { id: 'u-9', roles: ['director'] })],
  ['null', () => null],
  ['a string', () => 'director'],
];

describe('item 4: every function that takes an actor checks its shape (S2, S25)', () => {
  it('readActor answers a plain copy of a valid actor, and undefined for any other value', () => {
    const actor = { id: 'u-1', roles: ['director', 'manager'], crmAccess: 'read' as const };
    const copy = readActor(actor);
    expect(copy).toEqual(actor);
    expect(copy).not.toBe(actor);
    expect(copy?.roles).not.toBe(actor.roles);
    for (const [, make] of forgedDirectors) expect(readActor(make())).toBeUndefined();
  });

  it.each(forgedDirectors)('%s is not a director for canEditTopic, isApprover, editTopic or createTopic', (_name, make) => {
    expect(canEditTopic(make() as never)).toBe(false);
    expect(isApprover(make() as never, [{ role: 'director' }])).toBe(false);
    const edited = editTopic(standardTopic, make() as never, { op: 'updateTopic', changes: { name: 'Renamed' } });
    expect(edited).toMatchObject({ ok: false, issues: [{ code: 'invalid_actor', path: 'actor', rule: 'S2' }] });
    const created = createTopic(make() as never, { kind: 'service', id: 'svc', name: 'Service' });
    expect(created).toMatchObject({ ok: false, issues: [{ code: 'invalid_actor', path: 'actor' }] });
  });

  it('explains invalid_actor in Russian too', () => {
    const edited = editTopic(standardTopic, { id: 'u-9', roles: 'director' } as never, { op: 'updateTopic', changes: { name: 'X' } }, { locale: 'ru' });
    expect(edited.ok).toBe(false);
    if (!edited.ok) expect(edited.issues[0]?.message).toMatch(/пользователь/i);
  });

  it.each(forgedDirectors)('%s cannot move a deal past the pipeline rules or approve a deadline (applyEvent)', (_name, make) => {
    const topic = standard();
    const deal = open(topic);
    const last = standardTopic.stages.at(-1)?.id ?? '';
    const move = applyEvent(topic, deal, { type: 'moveToStage', stageId: last, at: MONDAY + HOUR, actor: make() } as DealEvent);
    expect(move.ok).toBe(false);
    if (!move.ok) expect(['invalid_event', 'unreadable_input']).toContain(move.error.code);
  });

  it('valid actors keep their rights: a director, an administrator, full CRM access, an approver by id', () => {
    expect(canEditTopic(director)).toBe(true);
    expect(canEditTopic({ id: 'a', administrator: true })).toBe(true);
    expect(canEditTopic({ id: 'c', crmAccess: 'full' })).toBe(true);
    expect(canEditTopic({ id: 'c', crmAccess: 'read', roles: ['manager'] })).toBe(false);
    expect(isApprover({ id: 'u-5' }, [{ userId: 'u-5' }])).toBe(true);
    expect(isApprover({ id: 'u-5', roles: ['director'] }, [{ role: 'director' }])).toBe(true);
    expect(isApprover({ id: 'u-5', roles: ['directors'] }, [{ role: 'director' }])).toBe(false);
  });

  it('isApprover refuses malformed approver lists instead of throwing', () => {
    for (const approvers of [null, undefined, 'director', [null], [{ role: 7 }], [{}], new Proxy([], { get: boom })]) {
      expect(isApprover(director, approvers as never)).toBe(false);
    }
  });

  it('audit and service events refuse a forged actor', () => {
    const audit = compileEvents({ id: 'visit', name: 'Visit', kind: 'service' });
    for (const [, make] of forgedDirectors) {
      const planned = planEvent(audit, { id: 'e-1', clientId: 'c-1', actor: make() as never, at: MONDAY, plannedFor: MONDAY + HOUR });
      expect(planned.ok).toBe(false);
    }
  });
});

describe('item 8: an event is copied once, the copy is checked, only the copy is stored', () => {
  /** An event whose property answers `first` on the first read and `later` on every read after. */
  function shifty<T extends object>(base: T, key: string, first: unknown, later: unknown): T {
    let reads = 0;
    return Object.defineProperty({ ...base }, key, {
      enumerable: true,
      get: () => (reads++ === 0 ? first : later),
    });
  }

  it('a planned time that turns into an object after it was checked is never stored', () => {
    const topic = standard();
    const deal = open(topic);
    const event = shifty({ type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 2 * HOUR, at: MONDAY + HOUR, actor: manager }, 'plannedFor', MONDAY + 2 * HOUR, { evil: true });
    const result = accepted(applyEvent(topic, deal, event as DealEvent));
    expect(result.deal.activities.at(-1)?.plannedFor).toBe(MONDAY + 2 * HOUR);
    expect(JSON.stringify(result.deal)).not.toContain('evil');
  });

  it('a time that moves before the deal opened after it was checked is never stored', () => {
    const topic = standard();
    const deal = open(topic);
    const event = shifty({ type: 'setFields', fields: {}, at: 0, actor: manager }, 'at', MONDAY + HOUR, 0);
    const result = accepted(applyEvent(topic, deal, event as DealEvent));
    expect(result.entry.at).toBe(MONDAY + HOUR);
    expect(entryEvent(result.entry).at).toBe(MONDAY + HOUR);
    expect(result.deal.lastEventAt).toBe(MONDAY + HOUR);
  });

  it('an actor whose roles change after the check is judged by what was read once', () => {
    const topic = standard();
    const deal = open(topic);
    let reads = 0;
    const actor = Object.defineProperty({ id: 'u-9' }, 'roles', { enumerable: true, get: () => (reads++ === 0 ? ['manager'] : ['director']) });
    const last = standardTopic.stages.at(-1)?.id ?? '';
    const result = applyEvent(topic, deal, { type: 'moveToStage', stageId: last, at: MONDAY + HOUR, actor } as DealEvent);
    expect(rejected(result).code).toBe('not_permitted');
    expect(reads).toBe(1);
  });

  it('every property of the event is read exactly once', () => {
    const topic = standard();
    const deal = open(topic);
    const reads = new Map<string, number>();
    const source = { type: 'setFields', fields: { carrier: 'ПЭК' }, at: MONDAY + HOUR, actor: manager } as const;
    const event = new Proxy(source, {
      get(target, key, receiver) {
        reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    accepted(applyEvent(topic, deal, event as DealEvent));
    expect(Object.fromEntries(reads)).toEqual({ type: 1, fields: 1, at: 1, actor: 1 });
  });

  it('the log entry shares nothing with the caller\'s event', () => {
    const topic = standard();
    const deal = open(topic);
    const fields = { carrier: 'ПЭК' };
    const actor = { id: manager.id, roles: [...manager.roles] };
    const event = { type: 'setFields', fields, at: MONDAY + HOUR, actor } as const;
    const result = accepted(applyEvent(topic, deal, event));
    fields.carrier = 'changed later';
    actor.roles.push('director');
    expect(result.deal.fields.carrier).toBe('ПЭК');
    const { entry } = result;
    if (entry.type !== 'setFields') expect.fail(`expected a setFields entry, got ${entry.type}`);
    expect(entry.event).not.toBe(event);
    expect(entry.event.fields).not.toBe(fields);
    expect(entry.event.fields).toEqual({ carrier: 'ПЭК' });
    // An actor with roles is logged whole, as a replay decides access on it; a copy of what was read.
    expect(entry.event.actor).not.toBe(actor);
    expect(entry.event.actor?.roles).toEqual(['manager']);
    expect(result.entry).toMatchObject({ type: 'setFields', by: manager.id, at: MONDAY + HOUR, revision: 2 });
  });
});

describe('item 12: neither a damaged deal nor a sparse log can hide the last event', () => {
  it('a deal without the time of its last event is refused, not read as "no event yet"', () => {
    const topic = standard();
    const deal = open(topic);
    const moved = accepted(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY + 5 * HOUR, actor: manager })).deal;
    const { lastEventAt: _dropped, ...missing } = moved;
    const result = applyEvent(topic, missing as Deal, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager });
    expect(rejected(result)).toMatchObject({ code: 'invalid_deal', path: 'lastEventAt' });
  });

  it.each([['NaN', Number.NaN], ['a string', String(MONDAY)], ['null', null], ['Infinity', Number.POSITIVE_INFINITY]])('a last event time of %s is refused as well', (_name, lastEventAt) => {
    const topic = standard();
    const broken = { ...open(topic), lastEventAt } as unknown as Deal;
    expect(rejected(applyEvent(topic, broken, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager }))).toMatchObject({ code: 'invalid_deal', path: 'lastEventAt' });
  });

  it('an event before the last one is refused against lastEventAt', () => {
    const topic = standard();
    const moved = accepted(applyEvent(topic, open(topic), { type: 'setFields', fields: {}, at: MONDAY + 5 * HOUR, actor: manager })).deal;
    expect(rejected(applyEvent(topic, moved, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager }))).toMatchObject({ code: 'event_out_of_order', path: 'at' });
  });

  it('a hole in a stored log is refused at its index by replayDeal, not skipped', () => {
    const topic = standard();
    const opened = accepted(openDeal(topic, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY }));
    const moved = accepted(applyEvent(topic, opened.deal, { type: 'setFields', fields: {}, at: MONDAY + 5 * HOUR, actor: manager }));
    expect(replayDeal(topic, [opened.entry, moved.entry])).toEqual({ ok: true, deal: moved.deal });
    const sparse: unknown[] = [opened.entry, moved.entry];
    sparse.length += 2;
    expect(replayDeal(topic, sparse)).toMatchObject({ ok: false, index: 2, error: { code: 'invalid_log_entry' } });
    const holeInside: unknown[] = [opened.entry];
    holeInside.length = 2;
    holeInside.push(moved.entry);
    expect(replayDeal(topic, holeInside)).toMatchObject({ ok: false, index: 1, error: { code: 'invalid_log_entry' } });
  });

  it('a last entry without a time is refused with its path', () => {
    const topic = standard();
    const opened = accepted(openDeal(topic, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY }));
    const moved = accepted(applyEvent(topic, opened.deal, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager }));
    const { at: _dropped, ...timeless } = moved.entry;
    expect(parseLogEntry(timeless)).toMatchObject({ ok: false, error: { code: 'invalid_log_entry', path: 'at' } });
    expect(replayDeal(topic, [opened.entry, timeless])).toMatchObject({ ok: false, index: 1, error: { code: 'invalid_log_entry', path: 'at' } });
    expect(replayDeal(topic, [opened.entry, { type: 'setFields' }])).toMatchObject({ ok: false, index: 1, error: { code: 'invalid_log_entry' } });
  });
});

function compileEvents(input: unknown): CompiledEventTopic {
  const compiled = compileTopic(input);
  if (compiled.kind === 'sales') throw new Error('an audit or service topic expected');
  return compiled;
}

describe('item 12: recordEvent and cancelEvent check the stored event and the time (S37, S38)', () => {
  const service = compileEvents({ id: 'maintenance', name: 'Maintenance', kind: 'service' });
  const planned = (): TopicEvent => {
    const result = planEvent(service, { id: 'e-1', clientId: 'c-1', actor: manager, at: MONDAY, plannedFor: MONDAY + 3 * HOUR });
    if (!result.ok) throw new Error(result.error.message);
    return result.event;
  };

  it('the planned event keeps when it was planned', () => {
    expect(planned()).toMatchObject({ plannedAt: MONDAY, plannedFor: MONDAY + 3 * HOUR, status: 'planned', revision: 1 });
  });

  it('refuses to record or cancel before the event was planned, and accepts it at or after', () => {
    const event = planned();
    expect(recordEvent(service, event, { actor: manager, at: MONDAY - 1 })).toMatchObject({ ok: false, error: { code: 'event_before_planned', path: 'at' } });
    expect(cancelEvent(service, event, { actor: manager, at: MONDAY - HOUR })).toMatchObject({ ok: false, error: { code: 'event_before_planned', path: 'at' } });
    expect(recordEvent(service, event, { actor: manager, at: MONDAY })).toMatchObject({ ok: true, event: { status: 'recorded', closedAt: MONDAY } });
  });

  const tampered: ReadonlyArray<readonly [string, (event: TopicEvent) => unknown, string]> = [
    ['a revision that is not a whole number', (event) => ({ ...event, revision: 1.5 }), 'revision'],
    ['an author that is not text', (event) => ({ ...event, authorId: { id: 'u' } }), 'authorId'],
    ['an unknown key', (event) => ({ ...event, extra: true }), 'extra'],
    ['a missing plannedAt', ({ plannedAt: _dropped, ...event }) => event, 'plannedAt'],
    ['a planned time past the maximum', (event) => ({ ...event, plannedFor: 9e15 }), 'plannedFor'],
    ['a comment that is an object', (event) => ({ ...event, comment: { text: 'x' } }), 'comment'],
  ];

  it.each(tampered)('refuses a stored event with %s, naming the path', (_name, change, path) => {
    const event = change(planned()) as TopicEvent;
    for (const result of [recordEvent(service, event, { actor: manager, at: MONDAY + HOUR }), cancelEvent(service, event, { actor: manager, at: MONDAY + HOUR })]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_topic_event', path } });
    }
  });

  it('answers unreadable_input for throwing getters and proxies, and invalid_topic for a look-alike topic', () => {
    const event = planned();
    const throwing = Object.defineProperty({ ...event }, 'status', { get: boom, enumerable: true });
    expect(recordEvent(service, throwing, { actor: manager, at: MONDAY + HOUR })).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    const proxy = new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom });
    expect(cancelEvent(service, event, proxy as never)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    expect(recordEvent({ ...service } as never, event, { actor: manager, at: MONDAY + HOUR })).toMatchObject({ ok: false, error: { code: 'invalid_topic' } });
    expect(planEvent(null as never, { id: 'e', clientId: 'c', actor: manager, at: MONDAY, plannedFor: MONDAY })).toMatchObject({ ok: false, error: { code: 'invalid_topic' } });
  });

  it('the recorded event is a copy: the caller\'s stored event is untouched', () => {
    const event = Object.freeze(planned());
    const before = structuredClone(event);
    const result = recordEvent(service, event, { actor: manager, at: MONDAY + HOUR });
    expect(result.ok).toBe(true);
    expect(event).toEqual(before);
  });
});

describe('item 12: editTopic refuses a malformed parameter value instead of bumping the version', () => {
  it.each([['a string', 'keep'], ['null', null], ['an array', []], ['a number', 1]])('afterClose as %s is refused with its path', (_name, afterClose) => {
    const result = editTopic(standardTopic, director, { op: 'setParameters', parameters: { afterClose } as never });
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'invalid_edit', path: 'parameters.afterClose' }] });
  });

  it('a parameter given as undefined changes nothing (it does not reset to the default)', () => {
    const start = editTopic(standardTopic, director, { op: 'setParameters', parameters: { afterClose: { unpaidInvoices: 'cancel' }, planning: 'mandatory' } });
    if (!start.ok) throw new Error('the edit is valid');
    const result = editTopic(start.topic, director, { op: 'setParameters', parameters: { planning: undefined, afterClose: { unpaidInvoices: undefined } } as never });
    if (!result.ok) throw new Error('the edit is valid');
    expect(result.topic.kind === 'sales' && result.topic.parameters).toEqual(start.topic.kind === 'sales' && start.topic.parameters);
  });

  it('an edit or options whose getters throw are refused, not thrown', () => {
    const edit = Object.defineProperty({ op: 'setParameters' }, 'parameters', { get: boom, enumerable: true });
    expect(editTopic(standardTopic, director, edit as never)).toMatchObject({ ok: false, issues: [{ code: 'invalid_edit' }] });
    const edits = new Proxy([], { get: boom });
    expect(editTopic(standardTopic, director, edits as never)).toMatchObject({ ok: false, issues: [{ code: 'invalid_edit' }] });
    const options = Object.defineProperty({}, 'locale', { get: boom });
    expect(editTopic(standardTopic, director, { op: 'updateTopic', changes: { name: 'X' } }, options as never).ok).toBe(true);
    const input = Object.defineProperty({ kind: 'service' }, 'id', { get: boom, enumerable: true });
    expect(createTopic(director, input as never)).toMatchObject({ ok: false, issues: [{ code: 'invalid_edit' }] });
    expect(editTopic(standardTopic, director, { op: 'updateTopic', changes: { name: 'X' } }, null as never).ok).toBe(true);
  });
});

function standard() {
  return compileSales(standardTopic);
}
