import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, dealEventSchema, openDeal, parseLogEntry, replayDeal, type Deal, type DealEvent, type DealLogEntry } from '../../src/index.js';
import { isWellFormedEvent } from '../../src/deal/event-check.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { notesTopic } from '../support.js';

/*
 * The text rules (src/definition/text.ts, issue 12 item 6) at the deal
 * boundary: events, new deals, stored deals and the entries of their logs refuse what PostgreSQL jsonb
 * cannot store, ids of people with nothing visible or with bidirectional
 * controls, and text fields count the characters people see. The fast event
 * check still never lets through what the schema refuses, now with strings
 * of arbitrary UTF-16 code units.
 */

const T0 = Date.parse('2026-01-12T09:00:00Z');
const HOUR = 3_600_000;
const manager = { id: 'manager-1', roles: ['manager'] };
const FAMILY = '👨‍👩‍👧';
const E_ACUTE = 'e\u0301';

const notes = notesTopic(3);

function opened(): Deal {
  const result = openDeal(notes, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: T0 });
  if (!result.ok) throw new Error(result.error.message);
  return result.deal;
}

const at = T0 + HOUR;
const event = (body: Record<string, unknown>): DealEvent => ({ at, actor: manager, ...body }) as unknown as DealEvent;

describe('events', () => {
  const rows: readonly (readonly [string, DealEvent, string, RegExp])[] = [
    ['U+0000 in an outcome comment', event({ type: 'recordOutcome', outcomeId: 'next', comment: 'ok\u0000' }), 'comment', /U\+0000 at position 2.*PostgreSQL jsonb/],
    ['a lone surrogate in a cancel reason', event({ type: 'cancelActivity', activityId: 'c1', reason: 'x\uD800' }), 'reason', /U\+D800 at position 1/],
    ['a lone low surrogate in a deadline reason', event({ type: 'requestDeadlineChange', dueAt: at + HOUR, reason: '\uDC00' }), 'reason', /U\+DC00/],
    ['U+0000 in an approval comment', event({ type: 'approveDeadlineChange', comment: '\u0000' }), 'comment', /PostgreSQL/],
    ['a lone surrogate in a move reason', event({ type: 'moveToStage', stageId: 'b', reason: '\uDFFF' }), 'reason', /U\+DFFF/],
    ['U+0000 in a field value', event({ type: 'setFields', fields: { note: 'a\u0000' } }), 'fields.note', /U\+0000/],
    ['a lone surrogate in a field value of an outcome', event({ type: 'recordOutcome', outcomeId: 'next', fields: { note: '\uD83D' } }), 'fields.note', /U\+D83D/],
    ['a blank actor id', event({ type: 'setFields', fields: {}, actor: { id: '\u200B\u2060' } }), 'actor.id', /blank/],
    ['U+0000 in an actor id', event({ type: 'setFields', fields: {}, actor: { id: 'u\u0000' } }), 'actor.id', /PostgreSQL/],
    ['an override in an actor id', event({ type: 'setFields', fields: {}, actor: { id: '\u202E1-reganam' } }), 'actor.id', /U\+202E/],
    ['an isolate in a role', event({ type: 'setFields', fields: {}, actor: { id: 'u-1', roles: ['\u2066director\u2069'] } }), 'actor.roles[0]', /bidirectional/],
    ['a blank role', event({ type: 'setFields', fields: {}, actor: { id: 'u-1', roles: ['\u00AD'] } }), 'actor.roles[0]', /blank/],
  ];
  for (const [name, candidate, path, detail] of rows) {
    it(`refuses ${name} (at ${path}), on the fast path too`, () => {
      expect(isWellFormedEvent(candidate)).toBe(false);
      const result = applyEvent(notes, opened(), candidate);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect({ code: result.error.code, path: result.error.path }).toEqual({ code: 'invalid_event', path });
      expect(result.error.message).toMatch(detail);
    });
  }

  it('accepts bidirectional controls and invisible characters in comments, on the fast path, and the log entry keeps them exactly', () => {
    const comment = 'Call \u2067שלום\u2069 back\u200B 😀';
    const candidate = event({ type: 'recordOutcome', outcomeId: 'next', comment, fields: { note: '\u202Ex' } });
    expect(isWellFormedEvent(candidate)).toBe(true);
    const result = applyEvent(notes, opened(), candidate);
    if (!result.ok) expect.fail(result.error.message);
    expect(result.entry).toMatchObject({ type: 'recordOutcome', event: { comment, fields: { note: '\u202Ex' } } });
    expect(result.deal.fields.note).toBe('\u202Ex');
    // And the entry, stored as JSON and read back, still has every code unit.
    const readBack = parseLogEntry(JSON.parse(JSON.stringify(result.entry)));
    if (!readBack.ok) expect.fail(readBack.error.message);
    expect(readBack.entry).toStrictEqual(result.entry);
    expect(readBack.entry.type === 'recordOutcome' && readBack.entry.event.comment).toBe(comment);
  });
});

describe('text fields with maxLength count the characters people see', () => {
  const setCode = (value: string) => applyEvent(notes, opened(), event({ type: 'setFields', fields: { code: value } }));

  it('accepts three family emoji or three decomposed é in a field of at most 3', () => {
    for (const value of [FAMILY.repeat(3), E_ACUTE.repeat(3), 'abc', 'é'.repeat(3)]) {
      const result = setCode(value);
      expect(result.ok, value).toBe(true);
      // And the deal that holds it reads back.
      if (result.ok) expect(parseDeal(notes, JSON.parse(JSON.stringify(result.deal))).ok).toBe(true);
    }
  });

  it('refuses four characters, and one character with a flood of combining marks', () => {
    for (const value of ['abcd', FAMILY.repeat(4), `e${'\u0301'.repeat(40)}`]) {
      const result = setCode(value);
      expect(result.ok ? undefined : { code: result.error.code, path: result.error.path }, value).toEqual({ code: 'invalid_field_value', path: 'fields.code' });
    }
  });

  it('counts the same way when a deal opens', () => {
    expect(openDeal(notes, { id: 'd', clientId: 'c', ownerId: 'o', at: T0, fields: { code: FAMILY.repeat(3) } }).ok).toBe(true);
    const refused = openDeal(notes, { id: 'd', clientId: 'c', ownerId: 'o', at: T0, fields: { code: 'abcd' } });
    expect(refused.ok ? undefined : refused.error.path).toBe('fields.code');
  });
});

describe('new deals', () => {
  const rows: readonly (readonly [string, Record<string, unknown>, string])[] = [
    ['an override in the deal id', { id: 'deal\u202E' }, 'id'],
    ['a blank client id', { clientId: '\u00AD\u200B' }, 'clientId'],
    ['U+0000 in the owner id', { ownerId: 'o\u0000' }, 'ownerId'],
    ['a lone surrogate in a field value', { fields: { note: '\uD800' } }, 'fields.note'],
    ['a blank actor id', { actor: { id: '\uFEFF' } }, 'actor.id'],
  ];
  for (const [name, changes, path] of rows) {
    it(`refuses ${name}`, () => {
      const result = openDeal(notes, { id: 'd', clientId: 'c', ownerId: 'o', at: T0, ...changes } as Parameters<typeof openDeal>[1]);
      expect(result.ok ? undefined : { code: result.error.code, path: result.error.path }).toEqual({ code: 'invalid_input', path });
    });
  }
});

describe('stored deals and their logs', () => {
  /** A deal with a comment, a finish and a field, and its log, as JSON from the store. */
  function stored(): { deal: Record<string, unknown>; entries: Record<string, unknown>[] } {
    const first = openDeal(notes, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: T0 });
    if (!first.ok) throw new Error(first.error.message);
    let deal = first.deal;
    const entries: DealLogEntry[] = [first.entry];
    for (const body of [
      { type: 'setFields', fields: { note: 'n' } },
      { type: 'recordOutcome', outcomeId: 'next', comment: 'c' },
      { type: 'recordOutcome', outcomeId: 'won', comment: 'w' },
    ]) {
      const result = applyEvent(notes, deal, event({ ...body, at: deal.lastEventAt + HOUR }));
      if (!result.ok) throw new Error(result.error.message);
      deal = result.deal;
      entries.push(result.entry);
    }
    return JSON.parse(JSON.stringify({ deal, entries })) as { deal: Record<string, unknown>; entries: Record<string, unknown>[] };
  }
  const setIn = (target: Record<string, unknown>, path: string, value: unknown): void => {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let at = target;
    for (const key of keys) at = at[key] as Record<string, unknown>;
    at[last] = value;
  };
  const set = (path: string, value: unknown): unknown => {
    const { deal } = stored();
    setIn(deal, path, value);
    return deal;
  };

  it('reads the untouched deal, and its log replays to it', () => {
    const { deal, entries } = stored();
    expect(parseDeal(notes, deal).ok).toBe(true);
    for (const entry of entries) expect(parseLogEntry(entry)).toStrictEqual({ ok: true, entry });
    expect(replayDeal(notes, entries)).toStrictEqual({ ok: true, deal });
    expect(entries.map((entry) => [entry.type, entry.by])).toEqual([['opened', manager.id], ['setFields', manager.id], ['recordOutcome', manager.id], ['recordOutcome', manager.id]]);
    expect(entries[2]).toMatchObject({ event: { comment: 'c' } });
  });

  const rows: readonly (readonly [string, string, unknown, string])[] = [
    ['a lone surrogate in the finish comment', 'finish.comment', '\uDBFF', 'finish.comment'],
    ['a lone surrogate in a field value', 'fields.note', 'n\uDC00', 'fields.note'],
    ['a blank owner id', 'ownerId', '\u200B', 'ownerId'],
    ['an override in the client id', 'clientId', '\u202Ec', 'clientId'],
    ['U+0000 in the stage id', 'stageId', 'b\u0000', 'stageId'],
  ];
  for (const [name, path, value, reported] of rows) {
    it(`refuses ${name}`, () => {
      const result = parseDeal(notes, set(path, value));
      expect(result.ok ? undefined : { code: result.error.code, path: result.error.path }).toEqual({ code: 'invalid_deal', path: reported });
    });
  }

  /** [what, the entry changed, the path in it, the value, the path reported]. */
  const logRows: readonly (readonly [string, number, string, unknown, string])[] = [
    ['U+0000 in an outcome comment', 2, 'event.comment', 'c\u0000', 'event.comment'],
    ['a lone surrogate in the finish comment', 3, 'event.comment', '\uDBFF', 'event.comment'],
    ['a lone surrogate in a field value of an event', 1, 'event.fields', { note: '\uD800' }, 'event.fields.note'],
    ['U+0000 in who made an entry', 1, 'by', 'm\u0000', 'by'],
    ['an override in who made an entry', 2, 'by', '\u202Em', 'by'],
    ['a blank deal id', 1, 'dealId', '\u200B\u2060', 'dealId'],
    ['U+0000 in a stage id', 1, 'to', 'a\u0000', 'to'],
    ['a blank actor id in the event', 1, 'event.actor.id', '\u00AD', 'event.actor.id'],
    ['an isolate in a role of the event\'s actor', 2, 'event.actor.roles', ['\u2066director\u2069'], 'event.actor.roles.0'],
    ['a lone surrogate in the opening\'s client id', 0, 'input.clientId', 'c\uD800', 'input.clientId'],
    ['U+0000 in a field value of the opening', 0, 'input.fields', { note: 'a\u0000' }, 'input.fields.note'],
  ];
  for (const [name, index, path, value, reported] of logRows) {
    it(`refuses ${name} in the log, naming the path, in parseLogEntry and replayDeal`, () => {
      const { entries } = stored();
      setIn(entries[index] as Record<string, unknown>, path, value);
      const expected = { code: 'invalid_log_entry', path: reported.replace(/\.(\d+)(?=\.|$)/g, '[$1]') };
      const parsed = parseLogEntry(entries[index]);
      expect(parsed.ok ? undefined : { code: parsed.error.code, path: parsed.error.path }).toEqual(expected);
      const replayed = replayDeal(notes, entries);
      expect(replayed.ok ? undefined : { index: replayed.index, code: replayed.error.code, path: replayed.error.path }).toEqual({ index, ...expected });
    });
  }
});

describe('the fast event check, with strings of arbitrary code units', () => {
  /** Code units biased toward the ones the rules are about, and plain ASCII so that many events pass. */
  const unit = fc
    .oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
      { weight: 2, arbitrary: fc.constantFrom(0, 0x9, 0xad, 0x200b, 0x200d, 0x2060, 0xfeff, 0x202a, 0x202e, 0x2066, 0x2069, 0x200e, 0xd83d, 0xde00, 0xd800, 0xdfff) },
    )
    .map((code) => String.fromCharCode(code));
  const text = fc.oneof({ weight: 3, arbitrary: fc.string({ unit, maxLength: 6 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) }, { weight: 2, arbitrary: fc.constantFrom('u-1', 'ok', '😀', 'Оплата') });
  const actor = fc.record({ id: text, roles: fc.array(text, { maxLength: 2 }) }, { requiredKeys: ['id'] });
  const candidate = fc.oneof(
    fc.record({ type: fc.constant('recordOutcome'), outcomeId: fc.constant('next'), comment: text, fields: fc.dictionary(fc.constantFrom('note', 'code'), text, { maxKeys: 2 }) }, { requiredKeys: ['type', 'outcomeId'] }),
    fc.record({ type: fc.constant('cancelActivity'), activityId: fc.constant('c1'), reason: text }, { requiredKeys: ['type', 'activityId'] }),
    fc.record({ type: fc.constant('requestDeadlineChange'), dueAt: fc.constant(at + HOUR), reason: text }, { requiredKeys: ['type', 'dueAt'] }),
    fc.record({ type: fc.constant('approveDeadlineChange'), comment: text }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('setFields'), fields: fc.dictionary(fc.constantFrom('note', 'code', 'x'), text, { maxKeys: 3 }) }),
    fc.record({ type: fc.constant('moveToStage'), stageId: fc.constant('b'), reason: text }, { requiredKeys: ['type', 'stageId'] }),
  );
  const events = fc.tuple(candidate, actor).map(([body, who]) => ({ at, actor: who, ...body }));

  it('never accepts an event the schema rejects, and agrees with it on nearly all', () => {
    let passed = 0;
    let refusedBySchema = 0;
    fc.assert(
      fc.property(events, (candidate) => {
        const schema = dealEventSchema.safeParse(candidate).success;
        if (!schema) refusedBySchema += 1;
        if (!isWellFormedEvent(candidate)) return;
        passed += 1;
        expect(schema).toBe(true);
      }),
      { numRuns: 20_000, seed: 12 },
    );
    // Both sides are exercised: many events pass the fast check, many are refused by the schema.
    expect(passed).toBeGreaterThan(3000);
    expect(refusedBySchema).toBeGreaterThan(3000);
  });
});
