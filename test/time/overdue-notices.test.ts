import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { overdueNotices, type NoticeMarker } from '../../src/index.js';
import { DAY, MONDAY, open, standard } from '../support.js';

const topic = standard();
const base = open(topic);

describe('overdueNotices (issue 16 item 3)', () => {
  it('notifies a passed stage deadline once, and again when it moves', () => {
    const deal = { ...base, stageDueAt: MONDAY + DAY, dueAt: null, idleDueAt: null };
    const first = overdueNotices(topic, deal, MONDAY + DAY + 1, null);
    expect(first).toMatchObject({ ok: true, notices: [{ kind: 'stage', dueAt: MONDAY + DAY, by: 1 }], marker: { stage: MONDAY + DAY, deal: null, idle: null } });
    if (!first.ok) return;
    expect(overdueNotices(topic, deal, MONDAY + 2 * DAY, first.marker)).toMatchObject({ ok: true, notices: [] });
    const moved = overdueNotices(topic, { ...deal, stageDueAt: MONDAY + 3 * DAY }, MONDAY + 4 * DAY, first.marker);
    expect(moved).toMatchObject({ ok: true, notices: [{ kind: 'stage', dueAt: MONDAY + 3 * DAY }] });
    expect(overdueNotices(topic, { ...deal, status: 'won' } as never, MONDAY + 9 * DAY, null)).toMatchObject({ ok: true, notices: [] });
    expect(overdueNotices(topic, deal, Number.NaN, null)).toMatchObject({ ok: false, error: { code: 'invalid_now' } });
    expect(overdueNotices(topic, deal, MONDAY, { stage: 'x' } as never)).toMatchObject({ ok: false, error: { code: 'invalid_marker' } });
  });

  it('never notifies the same (limit, deadline) twice at increasing times; a moved deadline notifies again', () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 3 * DAY }), move: fc.constantFrom<null | 'stage' | 'deal' | 'idle'>(null, 'stage', 'deal', 'idle'), by: fc.integer({ min: 1, max: 2 * DAY }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let now = MONDAY;
        let deal = { ...base, stageDueAt: MONDAY + DAY, dueAt: MONDAY + 10 * DAY, idleDueAt: MONDAY + 2 * DAY };
        let marker: NoticeMarker | null = null;
        const seen = new Set<string>();
        const field = { stage: 'stageDueAt', deal: 'dueAt', idle: 'idleDueAt' } as const;
        for (const { advance, move, by } of steps) {
          now += advance;
          // Deadlines only move forward to fresh values, as entering a stage or new activity moves them.
          if (move !== null) deal = { ...deal, [field[move]]: Math.max(now, deal[field[move]] as number) + by };
          const result = overdueNotices(topic, deal, now, marker);
          if (!result.ok) throw new Error(result.error.message);
          for (const notice of result.notices) {
            const key = `${notice.kind}@${notice.dueAt}`;
            expect(seen.has(key)).toBe(false);
            seen.add(key);
          }
          for (const kind of ['stage', 'deal', 'idle'] as const) {
            const dueAt = deal[field[kind]] as number;
            if (dueAt < now) expect(seen.has(`${kind}@${dueAt}`)).toBe(true); // every passed deadline has been notified
          }
          marker = result.marker;
        }
      }),
    );
  });

  it('answers unreadable_input, never "nothing owed", for a deal whose getters or proxy traps throw', () => {
    const late = { ...base, stageDueAt: MONDAY + DAY };
    expect(overdueNotices(topic, late, MONDAY + 2 * DAY, null)).toMatchObject({ ok: true, notices: [{ kind: 'stage' }] });
    const throwing = Object.defineProperty({ ...late }, 'stageDueAt', { enumerable: true, get: () => { throw new Error('gone'); } });
    expect(overdueNotices(topic, throwing, MONDAY + 2 * DAY, null)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
    const trapped = new Proxy(late, { get: (target, key) => { if (key === 'status') throw new Error('trap'); return Reflect.get(target, key) as unknown; } });
    expect(overdueNotices(topic, trapped, MONDAY + 2 * DAY, null)).toMatchObject({ ok: false, error: { code: 'unreadable_input' } });
  });
});
