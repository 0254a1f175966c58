/**
 * Overdue detection over the deadlines stored on a deal.
 *
 * A deal carries up to three deadlines as epoch milliseconds, computed when it
 * entered its stage or had activity (with the topic's working calendar, if
 * any): `stageDueAt` (the stage's limit, S6), `dueAt` (the whole deal's limit,
 * S3/S24, moved by approved deadline changes, S25) and `idleDueAt` (the
 * stage's idle limit, Pipedrive's "rotting"). The functions here only compare
 * those numbers with a `now` the caller passes in: no clock, no timers, no
 * date parsing, no calendar arithmetic.
 *
 * The rules, shared by {@link overdue}, {@link findOverdue} and
 * {@link nextDeadline}:
 *
 * 1. Only an `open` deal can be overdue. A finished or closed deal keeps its
 *    deadline numbers for history, but is never overdue and has no next
 *    deadline.
 * 2. A limit is exceeded when `dueAt < now`: exactly at the deadline the deal
 *    is still on time, one millisecond later it is overdue by 1 ms.
 * 3. A deadline that is `null`, or not a finite number (a malformed stored
 *    value: `NaN`, `±Infinity`, a string), is no limit: it never fires, and
 *    the deal's other deadlines still count. This is also what an SQL
 *    comparison does with a `NULL` column, so the query below agrees.
 * 4. A deal of another topic (by `topicId`), a topic that is not a sales topic,
 *    something that is not an object, or a `now` that is not a finite number
 *    gives "not overdue"; nothing throws. The topic *version* is not compared:
 *    the stored deadlines are absolute instants, so a deal still on an older
 *    version of the topic is overdue exactly when its numbers say so.
 * 5. Limits are listed, and ties are broken, in the order stage, deal, idle.
 *
 * In a database, store the three deadlines in their own columns next to the
 * deal's JSON (written from the same deal in the same statement) and let one
 * expression index answer both "what is overdue" and "what is due next".
 * `LEAST` skips `NULL`s in PostgreSQL, so it is the earliest deadline, and a
 * deal is overdue exactly when that earliest deadline is before `now`:
 *
 * ```sql
 * CREATE INDEX deals_open_deadline ON deals (topic_id, LEAST(stage_due_at, due_at, idle_due_at))
 *   WHERE status = 'open';
 *
 * SELECT id, body FROM deals
 *  WHERE status = 'open' AND topic_id = $1
 *    AND LEAST(stage_due_at, due_at, idle_due_at) < $2;   -- $2 = now, epoch ms
 * ```
 *
 * @module
 */
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { Deal } from '../deal/deal.js';

/**
 * Which limit a deadline belongs to: the stage's maximum duration (`stage`,
 * S6), the whole deal's maximum duration (`deal`, S3/S24, moved by approved
 * deadline changes, S25), or the stage's idle limit (`idle`: no activity for
 * too long, "rotting").
 *
 * @example
 * const kind: LimitKind = 'idle';
 */
export type LimitKind = 'stage' | 'deal' | 'idle';

/**
 * Every limit kind, in the order limits are listed and ties are broken.
 *
 * @example
 * LIMIT_KINDS; // ['stage', 'deal', 'idle']
 */
export const LIMIT_KINDS: readonly LimitKind[] = Object.freeze(['stage', 'deal', 'idle'] as const);

/**
 * One exceeded limit of a deal: its kind, the deadline that passed, and by how
 * many milliseconds (`now - dueAt`, always at least 1).
 *
 * @example
 * const limit: OverdueLimit = { kind: 'stage', dueAt: Date.parse('2026-01-13T09:00:00Z'), by: 3_600_000 }; // an hour late
 */
export interface OverdueLimit {
  readonly kind: LimitKind;
  /** The deadline as stored on the deal, epoch ms. */
  readonly dueAt: number;
  /** How long ago it passed, in ms (`now - dueAt` > 0). */
  readonly by: number;
}

/**
 * The answer of {@link overdue}: whether the deal is overdue, and its
 * exceeded limits in the order stage, deal, idle (empty when on time).
 *
 * @example
 * const result: OverdueResult = { overdue: true, limits: [{ kind: 'deal', dueAt: 0, by: 1 }] };
 */
export interface OverdueResult {
  /** `limits.length > 0`. */
  readonly overdue: boolean;
  readonly limits: readonly OverdueLimit[];
}

/**
 * An overdue deal found by {@link findOverdue}, with its exceeded limits
 * (never empty; the same list {@link overdue} gives).
 *
 * @example
 * for (const { deal, limits } of findOverdue(compiled, deals, now)) notify(deal.ownerId, limits);
 */
export interface OverdueDeal {
  readonly deal: Deal;
  readonly limits: readonly OverdueLimit[];
}

/**
 * Which limits to check; all of them when `kinds` is absent. Unknown kinds
 * are ignored, and an empty list checks nothing.
 *
 * @example
 * findOverdue(compiled, deals, now, { kinds: ['idle'] }); // only "rotting" deals
 */
export interface OverdueOptions {
  readonly kinds?: readonly LimitKind[];
}

/**
 * The next deadline of an open deal, as {@link nextDeadline} returns it. The
 * deal becomes overdue one millisecond after `at`.
 *
 * @example
 * const next: Deadline = { kind: 'stage', at: Date.parse('2026-01-13T09:00:00Z') };
 */
export interface Deadline {
  readonly kind: LimitKind;
  readonly at: number;
}

const STAGE = 1;
const DEAL = 2;
const IDLE = 4;
const ALL = STAGE | DEAL | IDLE;
const KIND_BITS: Readonly<Record<LimitKind, number>> = { stage: STAGE, deal: DEAL, idle: IDLE };

const NOT_OVERDUE: OverdueResult = Object.freeze({ overdue: false, limits: Object.freeze([]) });

/**
 * Whether a deal's limits are exceeded at `now`, and by how much. Pure: it
 * compares the deadlines stored on the deal with `now` and never throws; see
 * the module notes for the rules (only open deals, strictly after the
 * deadline, malformed values and deals of other topics are not overdue).
 *
 * @example
 * const deal = openDeal(compiled, { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: monday9 }).deal; // "new" has P1D
 * overdue(compiled, deal, monday9 + 86_400_000).overdue;     // false: exactly at the limit
 * overdue(compiled, deal, monday9 + 86_400_001).limits;      // [{ kind: 'stage', dueAt: monday9 + 86_400_000, by: 1 }]
 * overdue(compiled, deal, now, { kinds: ['deal'] });         // only the whole-deal limit (S24)
 */
export function overdue(topic: CompiledTopic, deal: Deal, now: number, options?: OverdueOptions): OverdueResult {
  try {
    const topicId = salesTopicId(topic);
    if (topicId === undefined || !Number.isFinite(now)) return NOT_OVERDUE;
    const limits = exceeded(deal, topicId, now, kindMask(options));
    return limits === undefined ? NOT_OVERDUE : { overdue: true, limits };
  } catch {
    // A deal or options whose getters or proxy traps throw: not overdue.
    return NOT_OVERDUE;
  }
}

/**
 * The overdue deals of a topic at `now`, each with its exceeded limits, in
 * the order the deals come. Built for a nightly scan over many deals: one
 * pass, three number comparisons per deal, and nothing allocated for a deal
 * that is on time (only hits are). A deal is in the result exactly when
 * {@link overdue} says it is overdue with the same options, with the same
 * limits; deals of other topics are skipped.
 *
 * @example
 * const late = findOverdue(compiled, await store.openDeals(), Date.now());
 * for (const { deal, limits } of late) {
 *   console.log(deal.id, limits.map((limit) => `${limit.kind} +${Math.round(limit.by / 3_600_000)} h`).join(', '));
 * }
 */
export function findOverdue(topic: CompiledTopic, deals: Iterable<Deal>, now: number, options?: OverdueOptions): OverdueDeal[] {
  const found: OverdueDeal[] = [];
  try {
    const topicId = salesTopicId(topic);
    if (topicId === undefined || !Number.isFinite(now) || !isIterable(deals)) return found;
    const mask = kindMask(options);
    if (mask === 0) return found;
    if (Array.isArray(deals)) {
      const list: readonly Deal[] = deals;
      for (let index = 0; index < list.length; index += 1) check(list[index] as Deal, topicId, now, mask, found);
    } else {
      for (const deal of deals) check(deal, topicId, now, mask, found);
    }
  } catch {
    // Options, a topic or an iterator that throw end the scan: what was found before is answered.
  }
  return found;
}

/** Adds the deal to `found` when it is overdue; one deal whose getters or proxy traps throw is skipped, and the scan goes on. */
function check(deal: Deal, topicId: string, now: number, mask: number, found: OverdueDeal[]): void {
  try {
    const limits = exceeded(deal, topicId, now, mask);
    if (limits !== undefined) found.push({ deal, limits });
  } catch {
    // Not overdue: its deadlines cannot be read.
  }
}

/**
 * The earliest deadline of an open deal, so that a host can schedule one job
 * per deal; with `after`, the earliest one strictly after it (the next one to
 * come once the host has handled `after`). `null` for a finished or closed
 * deal, a deal without (well-formed) deadlines, when none is after `after`,
 * or when `after` is `NaN`. Ties go to stage, then deal, then idle. The deal
 * is overdue one millisecond after the returned `at`, so run the job at
 * `at + 1`. In SQL it is `LEAST(stage_due_at, due_at, idle_due_at)`, served
 * by the same index as the overdue query.
 *
 * @example
 * const next = nextDeadline(deal, now);
 * if (next !== null) await jobs.schedule(deal.id, next.at + 1); // then check overdue(compiled, deal, next.at + 1)
 */
export function nextDeadline(deal: Deal, after?: number): Deadline | null {
  try {
    if (typeof deal !== 'object' || deal === null || deal.status !== 'open') return null;
    const floor = after ?? Number.NEGATIVE_INFINITY;
    let kind: LimitKind | null = null;
    let at = Number.POSITIVE_INFINITY;
    const stage = deal.stageDueAt;
    if (isDeadline(stage) && stage > floor && stage < at) {
      kind = 'stage';
      at = stage;
    }
    const whole = deal.dueAt;
    if (isDeadline(whole) && whole > floor && whole < at) {
      kind = 'deal';
      at = whole;
    }
    const idle = deal.idleDueAt;
    if (isDeadline(idle) && idle > floor && idle < at) {
      kind = 'idle';
      at = idle;
    }
    return kind === null ? null : { kind, at };
  } catch {
    return null; // a deal whose getters or proxy traps throw has no readable deadline
  }
}

/** The topic's id when deals can be overdue on it (sales topics), else `undefined`. */
function salesTopicId(topic: CompiledTopic): string | undefined {
  return isCompiledTopic(topic) && topic.kind === 'sales' ? topic.id : undefined;
}

/** The limits asked for (may throw for options whose getters or proxy traps throw: the export's `try` answers). */
function kindMask(options: OverdueOptions | undefined): number {
  const kinds: unknown = options?.kinds;
  if (!Array.isArray(kinds)) return ALL;
  let mask = 0;
  for (const kind of kinds as unknown[]) mask |= typeof kind === 'string' && Object.hasOwn(KIND_BITS, kind) ? KIND_BITS[kind as LimitKind] : 0;
  return mask;
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/** A well-formed stored deadline: a finite number. */
function isDeadline(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A well-formed deadline strictly before `now` (which is finite): `NaN` and `+Infinity` fail `<`, `-Infinity` the second test. */
function passed(value: unknown, now: number): value is number {
  return typeof value === 'number' && value < now && value > Number.NEGATIVE_INFINITY;
}

/**
 * The exceeded limits of a deal, or `undefined` (without allocating) when it
 * is on time, not open, or of another topic. `now` is finite. Throws only for
 * a deal whose getters or proxy traps throw: the callers' `try` answers.
 */
function exceeded(deal: Deal, topicId: string, now: number, mask: number): OverdueLimit[] | undefined {
  if (typeof deal !== 'object' || deal === null || deal.status !== 'open' || deal.topicId !== topicId) return undefined;
  let limits: OverdueLimit[] | undefined;
  const stage = deal.stageDueAt;
  if ((mask & STAGE) !== 0 && passed(stage, now)) limits = [{ kind: 'stage', dueAt: stage, by: now - stage }];
  const whole = deal.dueAt;
  if ((mask & DEAL) !== 0 && passed(whole, now)) {
    const limit: OverdueLimit = { kind: 'deal', dueAt: whole, by: now - whole };
    if (limits === undefined) limits = [limit];
    else limits.push(limit);
  }
  const idle = deal.idleDueAt;
  if ((mask & IDLE) !== 0 && passed(idle, now)) {
    const limit: OverdueLimit = { kind: 'idle', dueAt: idle, by: now - idle };
    if (limits === undefined) limits = [limit];
    else limits.push(limit);
  }
  return limits;
}
