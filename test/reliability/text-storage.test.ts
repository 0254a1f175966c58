import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, openDeal, parseLogEntry, safeParseTopic, type Deal, type DealEvent, type DealLogEntry } from '../../src/index.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { edit, salesInput } from '../definition/helpers.js';
import { notesTopic } from '../support.js';

/*
 * The documented storage layout is PostgreSQL jsonb (issue 12, item 6). With
 * strings of arbitrary UTF-16 code units in every text a topic, a new deal,
 * an event or a stored deal holds: whatever the library accepts inserts into
 * a jsonb column, and whatever jsonb refuses the library refuses too. One
 * PGlite (PostgreSQL in WebAssembly) for the whole file.
 */

let db: PGlite;
beforeAll(async () => {
  db = new PGlite();
  await db.query('create table t (doc jsonb)');
}, 60_000);
afterAll(async () => {
  await db.close();
});

/** Whether PostgreSQL stores the value as jsonb. */
async function stores(value: unknown): Promise<boolean> {
  try {
    await db.query('insert into t values ($1)', [JSON.stringify(value)]);
    return true;
  } catch {
    return false;
  }
}

/** Code units biased toward what jsonb refuses and what the name rules are about, with plain text so that many values pass. */
const unit = fc
  .oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 0xd83d, 0xde00, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x200b, 0x202e, 0x2066, 0xad, 0xfeff, 0x0301) },
  )
  .map((code) => String.fromCharCode(code));
const text = fc.oneof({ weight: 4, arbitrary: fc.string({ unit, minLength: 1, maxLength: 10 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) });

/** Every string slot of the sample topic (and the optional ones it may be given). */
const TOPIC_SLOTS = [
  'name',
  'group',
  'instruction',
  'script',
  '$schema',
  'stages.0.name',
  'stages.0.comment',
  'stages.1.name',
  'stages.0.outcomes.0.name',
  'globalOutcomes.0.name',
  'outcomeKinds.0.name',
  'fields.0.name',
  'fields.0.description',
  'fields.1.options.0.name',
  'documents.0.name',
  'documents.0.template',
] as const;

describe('topics', () => {
  it('accept only what jsonb stores, and refuse what it does not', async () => {
    let accepted = 0;
    let refusedByDb = 0;
    const changes = fc.uniqueArray(fc.tuple(fc.constantFrom(...TOPIC_SLOTS), text), { minLength: 1, maxLength: 4, selector: ([slot]) => slot });
    await fc.assert(
      fc.asyncProperty(changes, async (slots) => {
        const input = edit(salesInput(), ...slots);
        const result = safeParseTopic(input);
        const storable = await stores(input);
        if (!storable) {
          refusedByDb += 1;
          expect(result.ok, 'the library accepted a topic jsonb refuses').toBe(false);
        }
        if (result.ok) {
          accepted += 1;
          expect(await stores(result.topic), 'an accepted topic must insert into jsonb').toBe(true);
        }
      }),
      { numRuns: 400, seed: 61 },
    );
    expect(accepted).toBeGreaterThan(50);
    expect(refusedByDb).toBeGreaterThan(50);
  }, 60_000);
});

const T0 = Date.parse('2026-01-12T09:00:00Z');
const HOUR = 3_600_000;
const notes = notesTopic(5);

describe('deals', () => {
  const newDeal = fc.record({ id: text, clientId: text, ownerId: text, note: text, code: text });
  const steps = fc.array(
    fc.record({
      kind: fc.constantFrom('setFields', 'next', 'request', 'won'),
      actor: fc.oneof(fc.constant('manager-1'), text),
      role: fc.oneof(fc.constant('manager'), text),
      value: text,
    }),
    { minLength: 1, maxLength: 4 },
  );
  const eventOf = (step: { kind: string; actor: string; role: string; value: string }, at: number): DealEvent => {
    const base = { at, actor: { id: step.actor, roles: [step.role] } };
    switch (step.kind) {
      case 'setFields':
        return { ...base, type: 'setFields', fields: { note: step.value } };
      case 'next':
        return { ...base, type: 'recordOutcome', outcomeId: 'next', comment: step.value, fields: { code: step.value } };
      case 'request':
        return { ...base, type: 'requestDeadlineChange', dueAt: at + 100 * HOUR, reason: step.value };
      default:
        return { ...base, type: 'recordOutcome', outcomeId: 'won', comment: step.value };
    }
  };

  it('opened, changed by events and read back, accept only what jsonb stores', async () => {
    let acceptedEvents = 0;
    let refusedEvents = 0;
    let openedDeals = 0;
    await fc.assert(
      fc.asyncProperty(newDeal, steps, async (input, plan) => {
        const request = { id: input.id, clientId: input.clientId, ownerId: input.ownerId, at: T0, fields: { note: input.note, code: input.code } };
        const opened = openDeal(notes, request);
        if (!(await stores(request))) expect(opened.ok, 'openDeal accepted what jsonb refuses').toBe(false);
        if (!opened.ok) return;
        openedDeals += 1;
        expect(await stores(opened.deal)).toBe(true);
        let deal: Deal = opened.deal;
        for (const [index, step] of plan.entries()) {
          const candidate = eventOf(step, T0 + (index + 1) * HOUR);
          const result = applyEvent(notes, deal, candidate);
          if (!(await stores(candidate))) {
            refusedEvents += 1;
            expect(result.ok, 'applyEvent accepted an event jsonb refuses').toBe(false);
          }
          if (!result.ok) continue;
          acceptedEvents += 1;
          expect(await stores(result.deal), 'an accepted deal must insert into jsonb').toBe(true);
          expect(parseDeal(notes, JSON.parse(JSON.stringify(result.deal))).ok).toBe(true);
          deal = result.deal;
        }
      }),
      { numRuns: 300, seed: 62 },
    );
    expect(openedDeals).toBeGreaterThan(30);
    expect(acceptedEvents).toBeGreaterThan(30);
    expect(refusedEvents).toBeGreaterThan(30);
  }, 60_000);

  /** A deal with a field, comments and a finish, and its log, as JSON from the store. */
  function stored(): { deal: Record<string, unknown>; entries: Record<string, unknown>[] } {
    const opened = openDeal(notes, { id: 'd-1', clientId: 'c-1', ownerId: 'manager-1', at: T0 }) as { deal: Deal; entry: DealLogEntry };
    let deal = opened.deal;
    const entries: DealLogEntry[] = [opened.entry];
    const plan: DealEvent[] = [
      { type: 'setFields', fields: { note: 'n', code: 'c' }, at: T0 + HOUR, actor: { id: 'manager-1', roles: ['manager'] } },
      { type: 'recordOutcome', outcomeId: 'next', comment: 'c', at: T0 + 2 * HOUR, actor: { id: 'manager-1' } },
      { type: 'recordOutcome', outcomeId: 'won', comment: 'w', at: T0 + 3 * HOUR, actor: { id: 'manager-1' } },
    ];
    for (const candidate of plan) {
      const result = applyEvent(notes, deal, candidate);
      if (!result.ok) throw new Error(result.error.message);
      deal = result.deal;
      entries.push(result.entry);
    }
    return JSON.parse(JSON.stringify({ deal, entries })) as { deal: Record<string, unknown>; entries: Record<string, unknown>[] };
  }
  const storedDeal = () => stored().deal;
  const DEAL_SLOTS = ['id', 'clientId', 'ownerId', 'fields.note', 'fields.code', 'finish.comment', 'finish.by'] as const;
  const ENTRY_SLOTS = ['1.by', '1.event.actor.id', '1.event.fields.note', '2.event.comment', '0.input.clientId', '3.dealId'] as const;

  /** Puts each value at its dotted slot of the target. */
  function place(target: Record<string, unknown>, slots: readonly (readonly [string, string])[]): void {
    for (const [slot, value] of slots) {
      const keys = slot.split('.');
      const last = keys.pop() as string;
      let at = target;
      for (const key of keys) at = at[key] as Record<string, unknown>;
      at[last] = value;
    }
  }

  it('log entries read from storage with any text in any slot: parseLogEntry accepts only what jsonb stores', async () => {
    let accepted = 0;
    let refusedByDb = 0;
    const changes = fc.uniqueArray(fc.tuple(fc.constantFrom(...ENTRY_SLOTS), text), { minLength: 1, maxLength: 3, selector: ([slot]) => slot });
    await fc.assert(
      fc.asyncProperty(changes, async (slots) => {
        const { entries } = stored();
        place(entries as unknown as Record<string, unknown>, slots);
        for (const entry of entries) {
          const result = parseLogEntry(entry);
          if (!(await stores(entry))) {
            refusedByDb += 1;
            expect(result.ok, 'parseLogEntry accepted an entry jsonb refuses').toBe(false);
          }
          if (result.ok) {
            accepted += 1;
            expect(await stores(result.entry)).toBe(true);
          }
        }
      }),
      { numRuns: 200, seed: 64 },
    );
    expect(accepted).toBeGreaterThan(30);
    expect(refusedByDb).toBeGreaterThan(30);
  }, 60_000);

  it('read from storage with any text in any slot: parseDeal accepts only what jsonb stores', async () => {
    let accepted = 0;
    let refusedByDb = 0;
    const changes = fc.uniqueArray(fc.tuple(fc.constantFrom(...DEAL_SLOTS), text), { minLength: 1, maxLength: 3, selector: ([slot]) => slot });
    await fc.assert(
      fc.asyncProperty(changes, async (slots) => {
        const deal = storedDeal();
        place(deal, slots);
        const result = parseDeal(notes, deal);
        if (!(await stores(deal))) {
          refusedByDb += 1;
          expect(result.ok, 'parseDeal accepted a deal jsonb refuses').toBe(false);
        }
        if (result.ok) {
          accepted += 1;
          expect(await stores(result.deal)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 63 },
    );
    expect(accepted).toBeGreaterThan(30);
    expect(refusedByDb).toBeGreaterThan(30);
  }, 60_000);
});
