/**
 * The funnel report of a sales topic, computed from deals and their logs.
 *
 * Definitions (the same everywhere in the report):
 *
 * - **Counted deals.** Deals of another topic or topic version, or whose
 *   stage the topic does not know, are `skipped`. Open deals whose current
 *   stage is a "negotiations ongoing" stage (`deal.negotiationsOngoing`, S11)
 *   are counted only in `negotiationsOngoing` and left out of every other
 *   figure. A deal that has finished is never "ongoing", even if it finished
 *   (by a global outcome) in such a stage: its result counts.
 * - **Visit.** A deal's stay in a stage. A visit starts when the deal opens,
 *   moves to a stage (an outcome or `moveToStage`), is moved to its own stage
 *   by `moveToStage`, records a cyclic outcome that restarts the stage clock
 *   (`restartsStageClock`), or is reopened; in short, whenever the deal's
 *   stage clock (`stageEnteredAt`) starts. Cyclic outcomes that keep the clock
 *   continue the visit. A visit ends when the next one starts, when the deal
 *   finishes (its status leaves `open`), or, for a deal still open, at `now`
 *   (so stalled deals weigh on the times and the overdue rate). A visit that
 *   would end before it starts (a deal from the future) lasts 0.
 * - **Time in stage**: per visit; the median and 90th percentile interpolate
 *   linearly between the closest ranks (numpy's default, Excel's
 *   `PERCENTILE.INC`) and are rounded to whole milliseconds.
 * - **Overdue**: a visit is overdue when it ends after the stage deadline of
 *   its start (`stageDeadline`, so working calendars count).
 * - **Conversion to the next stage**: of the deals that entered a stage, the
 *   share that entered the next stage of the procedure (S7) at some later
 *   point; a deal that skips that stage does not count as converted.
 *   **To a positive finish**: of the deals that entered, the share whose
 *   current finish is positive (finished or closed).
 * - **Win rate**: positive finishes / all finishes, among counted deals that
 *   are finished or closed.
 * - **Pipeline**: open counted deals; `amount × probability / 100` summed
 *   where the stage has a probability; a deal without an amount counts 0.
 *
 * Rates are fractions in [0, 1], or `null` when their denominator is 0; times
 * are milliseconds. The report is plain data (no Maps), safe to serialise.
 *
 * @module
 */
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import { readableError } from '../deal/errors.js';
import type { Deal, FinishPolarity } from '../deal/deal.js';
import type { DealLogEntry } from '../deal/log-entry.js';
import { stageDeadline } from '../deal/deadlines.js';

/**
 * A deal with its log, as the funnel reads it: the log's entries in order
 * (an array, or any iterable such as rows streamed from storage).
 *
 * @example
 * const item: DealWithLog = { deal, entries: await store.history(deal.id) };
 */
export interface DealWithLog {
  readonly deal: Deal;
  readonly entries: Iterable<DealLogEntry>;
}

/**
 * Options of {@link funnelReport}.
 *
 * @example
 * funnelReport(compiled, dealsWithLogs, { now: Date.parse('2026-03-01T00:00:00Z') });
 */
export interface FunnelReportOptions {
  /** The moment of the report, epoch ms: visits of open deals last until then. */
  readonly now: number;
}

/**
 * One stage's row of a {@link FunnelReport}.
 *
 * @example
 * const offer = report.stages.find((row) => row.stageId === 'offer');
 * console.log(offer?.toNext, offer?.medianTime, offer?.overdueRate);
 */
export interface StageFunnel {
  readonly stageId: string;
  /** Position in the procedure (S7), from 0. */
  readonly index: number;
  /** The stage limit as written in the topic (`P2D`), or `null`. */
  readonly limit: string | null;
  /** The stage's win probability in percent, or `null`. */
  readonly probability: number | null;
  /** The stage has no outcomes of its own (S11). */
  readonly negotiationsOngoing: boolean;
  /** Distinct counted deals that entered the stage. */
  readonly deals: number;
  /** Visits (entries, including clock restarts); see the module notes. */
  readonly visits: number;
  /** Of {@link StageFunnel.deals}, those that later entered the next stage. */
  readonly toNextDeals: number;
  /** `toNextDeals / deals`; `null` for the last stage or when no deal entered. */
  readonly toNext: number | null;
  /** Of {@link StageFunnel.deals}, those that finished positively. */
  readonly positiveDeals: number;
  /** `positiveDeals / deals`, or `null` when no deal entered. */
  readonly toPositive: number | null;
  /** Median time in stage per visit, ms. */
  readonly medianTime: number | null;
  /** 90th percentile of time in stage per visit, ms. */
  readonly p90Time: number | null;
  /** Visits that ended after the stage deadline. */
  readonly overdueVisits: number;
  /** `overdueVisits / visits`; `null` without a stage limit or visits. */
  readonly overdueRate: number | null;
  /** Counted deals open in this stage now. */
  readonly open: number;
  /** Sum of their amounts. */
  readonly openValue: number;
  /** Sum of `amount × probability / 100`, or `null` when the stage has no probability. */
  readonly weightedValue: number | null;
  /** Counted deals that finished in this stage, positively. */
  readonly finishedPositive: number;
  /** Counted deals that finished in this stage, negatively. */
  readonly finishedNegative: number;
}

/**
 * How many deals finished with one outcome.
 *
 * @example
 * report.finishesByOutcome[0]; // { outcomeId: 'refused', result: 'negative', count: 120, share: 1 }
 */
export interface OutcomeFinishes {
  readonly outcomeId: string;
  readonly result: FinishPolarity;
  readonly count: number;
  /** Share of the finishes with the same result. */
  readonly share: number;
}

/**
 * How many deals finished with one outcome kind (reason, S27), per result.
 *
 * @example
 * const reasons = report.finishesByKind.filter((row) => row.result === 'negative'); // why deals fail
 */
export interface KindFinishes {
  /** The kind, or `null` for finishes recorded without one. */
  readonly kindId: string | null;
  readonly result: FinishPolarity;
  readonly count: number;
  /** Share of the finishes with the same result: "40 % of losses: too expensive". */
  readonly share: number;
}

/**
 * The funnel of a sales topic; see {@link funnelReport} and the module notes for the definitions.
 *
 * @example
 * const { winRate, weightedValue, negotiationsOngoing } = funnelReport(compiled, deals, { now: Date.now() });
 */
export interface FunnelReport {
  readonly topicId: string;
  readonly topicVersion: number;
  readonly now: number;
  /** Every deal passed in. */
  readonly deals: number;
  /** Deals of another topic or version, or in a stage the topic does not know. */
  readonly skipped: number;
  /** Open deals in a "negotiations ongoing" stage (S11), left out of every other figure. */
  readonly negotiationsOngoing: number;
  /** `deals − skipped − negotiationsOngoing`: the deals the figures below describe. */
  readonly counted: number;
  readonly open: number;
  /** Finished positively and waiting for the business event that closes them (S34). */
  readonly finished: number;
  readonly closed: number;
  /** Finished or closed deals whose finish is positive. */
  readonly positive: number;
  /** Finished or closed deals whose finish is negative. */
  readonly negative: number;
  /** `positive / (positive + negative)`, or `null` when nothing has finished. */
  readonly winRate: number | null;
  /** Sum of the amounts of open deals. */
  readonly openValue: number;
  /** Sum of `amount × probability / 100` over open deals in stages with a probability. */
  readonly weightedValue: number;
  /** In procedure order (S7). */
  readonly stages: readonly StageFunnel[];
  /** Most frequent first; ties by result (positive first), then id. */
  readonly finishesByOutcome: readonly OutcomeFinishes[];
  /** Most frequent first; ties by result (positive first), then id (no kind last). */
  readonly finishesByKind: readonly KindFinishes[];
}

interface StageTally {
  deals: number;
  visits: number;
  toNextDeals: number;
  positiveDeals: number;
  /** Durations of the visits that have ended. */
  durations: number[];
  overdueVisits: number;
  /** Starts of the visits of open deals, which end at the report's `now`. */
  openStarts: number[];
  open: number;
  openValue: number;
  weightedValue: number;
  finishedPositive: number;
  finishedNegative: number;
}

/**
 * Accumulates a funnel one deal at a time, for deals streamed from storage
 * or produced by a simulation; {@link funnelReport} is this over an array.
 * See {@link funnelBuilder}.
 *
 * @example
 * const funnel: FunnelBuilder = funnelBuilder(compiled);
 * funnel.add(deal, entries);
 * funnel.report({ now: Date.now() }).counted; // 1
 */
export interface FunnelBuilder {
  /**
   * Adds one deal with its log's entries in order (of any topic: others are
   * counted as skipped); neither is kept. Takes plain data (a deal and log
   * read from your store): what a getter or the entries' iterator throws
   * goes to the caller, and the builder should then be dropped. For input
   * you do not trust, `funnelReport` answers a typed error instead.
   */
  add(deal: Deal, entries: Iterable<DealLogEntry>): void;
  /** The report of the deals added so far, at `now`; may be called again after more deals. */
  report(options: FunnelReportOptions): FunnelReport;
}

/**
 * A {@link FunnelBuilder} for a sales topic: add deals one by one (the
 * deals themselves are not kept), then take the {@link FunnelReport}. The
 * visits of open deals end at the `now` given to `report`. Throws a
 * `TypeError` for an audit or service topic.
 *
 * @example
 * const funnel = funnelBuilder(compiled);
 * for await (const { deal, entries } of store.streamDeals('standard')) funnel.add(deal, entries);
 * const report = funnel.report({ now: Date.now() });
 */
export function funnelBuilder(topic: CompiledTopic): FunnelBuilder {
  if (topic.kind !== 'sales') throw new TypeError(`A funnel needs a sales topic; "${topic.id}" is a ${topic.kind} topic.`);
  return new FunnelTally(topic);
}

/**
 * Why {@link funnelReport} gave no report: `invalid_topic` (not a topic
 * `compileTopic` returned), `not_a_sales_topic` (audit and service topics
 * have no funnel), `invalid_options` (`now` is not a finite number),
 * `invalid_deals` (the deals are not an array or another iterable of
 * `{ deal, entries }`),
 * `unreadable_input` (an argument or one deal whose getters, proxy traps or
 * iterator throw; `path` names the deal when it is one).
 *
 * @example
 * const result = funnelReport(compiled, deals, { now: Date.now() });
 * if (!result.ok && result.error.code === 'unreadable_input') console.warn(result.error.path, result.error.message);
 */
export interface FunnelError {
  readonly code: 'invalid_topic' | 'not_a_sales_topic' | 'invalid_options' | 'invalid_deals' | 'unreadable_input';
  readonly message: string;
  readonly rule: string;
  readonly path?: string;
}

/**
 * The answer of {@link funnelReport}: the report, or why there is none.
 *
 * @example
 * const result: FunnelResult = funnelReport(compiled, deals, { now: Date.now() });
 * if (result.ok) console.log(formatFunnelReport(result.report, compiled));
 */
export type FunnelResult = { readonly ok: true; readonly report: FunnelReport } | { readonly ok: false; readonly error: FunnelError };

function funnelError(code: FunnelError['code'], message: string, path?: string): FunnelResult {
  const rule = code === 'not_a_sales_topic' ? 'S23' : 'input';
  return { ok: false, error: { code, rule, message, ...(path === undefined ? {} : { path }) } };
}

/**
 * Builds the funnel of a sales topic from its deals and their logs: per stage the
 * deals and visits, conversion to the next stage and to a positive finish,
 * median and 90th-percentile time in stage, and overdue rate; overall the win
 * rate, finishes by outcome and by outcome kind (why deals fail, S27), status
 * counts and the open and weighted pipeline. Deals of other topics, and
 * entries that are not objects, are skipped and open "negotiations ongoing"
 * deals (S11) are only counted; see the module notes for every definition.
 * Never throws: a topic `compileTopic` did not make, an audit or service
 * topic, a `now` that is not a finite number, deals that are not iterable
 * and arguments (or a deal) whose getters or proxy traps throw give a
 * {@link FunnelError}. The deals and options are never modified, and
 * memory grows with the number of deals and visits, not of log entries.
 *
 * @example
 * const result = funnelReport(compiled, await store.dealsOf('standard'), { now: Date.now() });
 * if (result.ok) {
 *   result.report.winRate;                             // 0.42
 *   result.report.stages.map((stage) => stage.toNext); // [0.9, 0.7, 0.55, 0.8, null]
 * }
 */
export function funnelReport(topic: CompiledTopic, deals: Iterable<DealWithLog>, options: FunnelReportOptions): FunnelResult {
  if (!isCompiledTopic(topic)) return funnelError('invalid_topic', 'Expected a topic returned by compileTopic.', 'topic');
  let index = -1;
  try {
    if (topic.kind !== 'sales') return funnelError('not_a_sales_topic', `A funnel needs a sales topic; "${topic.id}" is a ${topic.kind} topic.`, 'topic');
    const now = (options as Partial<FunnelReportOptions> | null | undefined)?.now;
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      return funnelError('invalid_options', `A funnel report needs options.now, a finite number of epoch ms; got ${typeof now === 'number' ? String(now) : typeof now}.`, 'now');
    }
    if (typeof (deals as Partial<Iterable<unknown>> | null | undefined)?.[Symbol.iterator] !== 'function') {
      return funnelError('invalid_deals', 'The deals must be an array (or another iterable) of { deal, entries }.', 'deals');
    }
    const funnel = new FunnelTally(topic);
    for (const item of deals) {
      index += 1;
      if (typeof item !== 'object' || item === null) funnel.add(item, []);
      else if (typeof (item.entries as Partial<Iterable<unknown>> | null | undefined)?.[Symbol.iterator] !== 'function') {
        return funnelError('invalid_deals', `Deal #${index} has no log: expected { deal, entries } with an iterable of entries.`, `deals[${index}].entries`);
      } else funnel.add(item.deal, item.entries);
    }
    index = -1;
    return { ok: true, report: funnel.report({ now }) };
  } catch (error) {
    // Only exotic arguments (a getter, proxy trap or iterator that throws) get here; plain data never does.
    const what = index < 0 ? 'The topic, the deals or the options' : `Deal #${index}`;
    return funnelError('unreadable_input', `${what} could not be read (${readableError(error)}): pass plain data, such as parsed JSON.`, index < 0 ? undefined : `deals[${index}]`);
  }
}

function checkNow(options: FunnelReportOptions): void {
  const now = (options as Partial<FunnelReportOptions> | undefined)?.now;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError(`A funnel report needs options.now, a finite number of epoch ms; got ${String(now)}.`);
}

class FunnelTally implements FunnelBuilder {
  private readonly tallies: StageTally[];
  // Per deal, the sequence numbers of its first and last visit to each stage (−1: none); reused across deals.
  private readonly firstVisit: Int32Array;
  private readonly lastVisit: Int32Array;
  // Per result, the finishes by outcome id and by kind id ('' for none).
  private readonly outcomeCounts = { positive: new Map<string, FinishCount>(), negative: new Map<string, FinishCount>() };
  private readonly kindCounts = { positive: new Map<string, FinishCount>(), negative: new Map<string, FinishCount>() };
  private deals = 0;
  private skipped = 0;
  private ongoing = 0;
  private open = 0;
  private finished = 0;
  private closed = 0;
  private positive = 0;
  private negative = 0;
  private openValue = 0;
  private weightedValue = 0;

  constructor(private readonly topic: CompiledSalesTopic) {
    this.tallies = topic.stageList.map(() => ({
      deals: 0,
      visits: 0,
      toNextDeals: 0,
      positiveDeals: 0,
      durations: [],
      overdueVisits: 0,
      openStarts: [],
      open: 0,
      openValue: 0,
      weightedValue: 0,
      finishedPositive: 0,
      finishedNegative: 0,
    }));
    this.firstVisit = new Int32Array(topic.stageList.length);
    this.lastVisit = new Int32Array(topic.stageList.length);
  }

  add(deal: Deal, entries: Iterable<DealLogEntry>): void {
    const topic = this.topic;
    this.deals++;
    if (typeof deal !== 'object' || deal === null) {
      this.skipped++;
      return;
    }
    const current = deal.topicId === topic.id && deal.topicVersion === topic.version ? topic.stages.get(deal.stageId) : undefined;
    if (current === undefined) {
      this.skipped++;
      return;
    }
    if (deal.status === 'open' && deal.negotiationsOngoing) {
      this.ongoing++;
      return;
    }
    const tallies = this.tallies;
    const tally = tallies[current.index] as StageTally;
    const finish = deal.status === 'open' ? null : deal.finish;
    const result = finish === null ? null : finish.result;
    if (deal.status === 'open') {
      this.open++;
      const amount = deal.amount ?? 0;
      const probability = current.definition.probability;
      tally.open++;
      tally.openValue += amount;
      this.openValue += amount;
      if (probability !== undefined) {
        const weighted = (amount * probability) / 100;
        tally.weightedValue += weighted;
        this.weightedValue += weighted;
      }
    } else if (deal.status === 'finished') this.finished++;
    else this.closed++;
    if (finish !== null) {
      if (finish.result === 'positive') {
        this.positive++;
        tally.finishedPositive++;
      } else {
        this.negative++;
        tally.finishedNegative++;
      }
      count(this.outcomeCounts[finish.result], finish.outcomeId);
      count(this.kindCounts[finish.result], finish.kindId ?? '');
    }

    const { firstVisit, lastVisit } = this;
    firstVisit.fill(-1);
    lastVisit.fill(-1);
    this.walkVisits(entries);
    const stageCount = tallies.length;
    for (let i = 0; i < stageCount; i++) {
      const first = firstVisit[i] as number;
      if (first < 0) continue;
      const entered = tallies[i] as StageTally;
      entered.deals++;
      if (result === 'positive') entered.positiveDeals++;
      if (i + 1 < stageCount && (lastVisit[i + 1] as number) > first) entered.toNextDeals++;
    }
  }

  /** Walks one deal's log into visits (see the module notes); the visit of an open deal waits for `now`. */
  private walkVisits(entries: Iterable<DealLogEntry>): void {
    const { topic, firstVisit, lastVisit } = this;
    let stage: CompiledStage | undefined;
    let start = 0;
    let active = false;
    let sequence = 0;
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null) continue;
      if (entry.type !== 'opened') {
        if (entry.status !== 'open') {
          // A finish (or a close) ends the visit; later entries of a finished deal change no stage.
          if (active) this.endVisit(stage, start, entry.at);
          active = false;
          continue;
        }
        const starts =
          !active ||
          entry.to !== entry.from ||
          entry.type === 'moveToStage' ||
          (entry.type === 'recordOutcome' &&
            topic.stages.get(entry.from)?.outcomes.get(entry.event.outcomeId)?.restartsStageClock === true);
        if (!starts) continue;
      }
      if (active) this.endVisit(stage, start, entry.at);
      stage = stage !== undefined && stage.id === entry.to ? stage : topic.stages.get(entry.to);
      start = entry.at;
      active = true;
      if (stage !== undefined) {
        if ((firstVisit[stage.index] as number) < 0) firstVisit[stage.index] = sequence;
        lastVisit[stage.index] = sequence;
        sequence++;
      }
    }
    if (active && stage !== undefined) (this.tallies[stage.index] as StageTally).openStarts.push(start);
  }

  /** Adds a visit from `start` to `end` to its stage's tally (none for a stage the topic does not know). */
  private endVisit(stage: CompiledStage | undefined, start: number, end: number): void {
    if (stage === undefined) return;
    const tally = this.tallies[stage.index] as StageTally;
    tally.visits++;
    tally.durations.push(end > start ? end - start : 0);
    if (isOverdue(this.topic, stage, start, end)) tally.overdueVisits++;
  }

  report(options: FunnelReportOptions): FunnelReport {
    checkNow(options);
    const { topic, tallies, positive, negative } = this;
    const now = options.now;
    const stageCount = tallies.length;
    const stages = topic.stageList.map((stage, i): StageFunnel => {
      const tally = tallies[i] as StageTally;
      // The visits of open deals end now.
      const ended = tally.durations.length;
      const durations = new Float64Array(ended + tally.openStarts.length);
      durations.set(tally.durations);
      let overdueVisits = tally.overdueVisits;
      tally.openStarts.forEach((start, k) => {
        durations[ended + k] = now > start ? now - start : 0;
        if (isOverdue(topic, stage, start, now)) overdueVisits++;
      });
      const visits = durations.length;
      const probability = stage.definition.probability ?? null;
      return {
        stageId: stage.id,
        index: stage.index,
        limit: stage.definition.maxDuration ?? null,
        probability,
        negotiationsOngoing: stage.negotiationsOngoing,
        deals: tally.deals,
        visits,
        toNextDeals: tally.toNextDeals,
        toNext: i + 1 < stageCount ? ratio(tally.toNextDeals, tally.deals) : null,
        positiveDeals: tally.positiveDeals,
        toPositive: ratio(tally.positiveDeals, tally.deals),
        medianTime: percentile(durations, 0.5),
        p90Time: percentile(durations, 0.9),
        overdueVisits,
        overdueRate: stage.limit === null ? null : ratio(overdueVisits, visits),
        open: tally.open,
        openValue: tally.openValue,
        weightedValue: probability === null ? null : tally.weightedValue,
        finishedPositive: tally.finishedPositive,
        finishedNegative: tally.finishedNegative,
      };
    });
    const totalOf = (result: FinishPolarity) => (result === 'positive' ? positive : negative);
    return {
      topicId: topic.id,
      topicVersion: topic.version,
      now,
      deals: this.deals,
      skipped: this.skipped,
      negotiationsOngoing: this.ongoing,
      counted: this.deals - this.skipped - this.ongoing,
      open: this.open,
      finished: this.finished,
      closed: this.closed,
      positive,
      negative,
      winRate: ratio(positive, positive + negative),
      openValue: this.openValue,
      weightedValue: this.weightedValue,
      stages,
      finishesByOutcome: finishList(this.outcomeCounts, totalOf).map(({ id, result, count: n, share }) => ({ outcomeId: id, result, count: n, share })),
      finishesByKind: finishList(this.kindCounts, totalOf).map(({ id, result, count: n, share }) => ({ kindId: id === '' ? null : id, result, count: n, share })),
    };
  }
}

/** A visit from `start` to `end` outlasted the stage limit (counted from `start`, with the topic's calendar). */
function isOverdue(topic: CompiledSalesTopic, stage: CompiledStage, start: number, end: number): boolean {
  if (stage.limit === null) return false;
  const due = stageDeadline(topic, stage, start);
  return due !== null && end > due;
}

interface FinishCount {
  count: number;
}

function count(counts: Map<string, FinishCount>, id: string): void {
  const item = counts.get(id);
  if (item === undefined) counts.set(id, { count: 1 });
  else item.count++;
}

/** Finishes most frequent first; ties by result (positive first), then id in code-unit order ('' — no kind — last). */
function finishList(
  counts: Readonly<Record<FinishPolarity, ReadonlyMap<string, FinishCount>>>,
  totalOf: (result: FinishPolarity) => number,
): { id: string; result: FinishPolarity; count: number; share: number }[] {
  const items: { id: string; result: FinishPolarity; count: number; share: number }[] = [];
  for (const result of ['positive', 'negative'] as const) {
    for (const [id, { count: n }] of counts[result]) items.push({ id, result, count: n, share: n / totalOf(result) });
  }
  return items.sort((a, b) => b.count - a.count || byResult(a.result, b.result) || compareIds(a.id, b.id));
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * The p-quantile of the values, interpolating between the closest ranks, in
 * whole ms. Reorders `values` (a scratch copy): a selection in linear time
 * rather than a sort, since only two ranks are needed.
 */
function percentile(values: Float64Array, p: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const rank = (n - 1) * p;
  const low = Math.floor(rank);
  const lower = select(values, low);
  let upper = lower;
  if (low + 1 < n) {
    // After the selection everything right of `low` is at least `lower`: the next rank is their minimum.
    upper = values[low + 1] as number;
    for (let i = low + 2; i < n; i++) if ((values[i] as number) < upper) upper = values[i] as number;
  }
  return Math.round(lower + (upper - lower) * (rank - low));
}

/** Puts the k-th smallest value at index k, smaller ones before and larger ones after (Hoare's selection), and returns it. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[k] as number;
    let i = left;
    let j = right;
    do {
      while ((values[i] as number) < pivot) i++;
      while (pivot < (values[j] as number)) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) left = i;
    if (k < i) right = j;
  }
  return values[k] as number;
}

const byResult = (a: FinishPolarity, b: FinishPolarity): number => (a === b ? 0 : a === 'positive' ? -1 : 1);
/** Code-unit order (unlike `localeCompare`, the same on every machine), with '' last. */
const compareIds = (a: string, b: string): number => (a === b ? 0 : a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1);

// ---------------------------------------------------------------------------------------------
// Text rendering for the CLI.

/**
 * Options of {@link formatFunnelReport}.
 *
 * @example
 * formatFunnelReport(report, compiled, { color: process.stdout.isTTY });
 */
export interface FormatFunnelOptions {
  /** Add ANSI colours (bold headings, green wins, red losses and overdue). Default `false`. */
  readonly color?: boolean;
}

const ANSI = { bold: '\u001b[1m', red: '\u001b[31m', green: '\u001b[32m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;

/**
 * Renders a {@link FunnelReport} as a plain-text table for a terminal: the
 * deal counts, win rate and pipeline, one row per stage (names from the
 * topic, rates as percentages, times as `1d 4h`), then the finishes by
 * outcome and by kind. The output depends only on its arguments.
 *
 * @example
 * console.log(formatFunnelReport(funnelReport(compiled, deals, { now: Date.now() }), compiled, { color: process.stdout.isTTY }));
 */
export function formatFunnelReport(report: FunnelReport, topic: CompiledTopic, options: FormatFunnelOptions = {}): string {
  const paint = (style: keyof typeof ANSI, text: string) => (options.color === true && text !== '' ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const stageName = (id: string) => (topic.kind === 'sales' ? (topic.stages.get(id)?.name ?? id) : id);
  const outcomeName = (id: string) => {
    if (topic.kind === 'sales') for (const stage of topic.stageList) {
      const outcome = stage.outcomes.get(id);
      if (outcome !== undefined) return outcome.name;
    }
    return id;
  };
  const kindName = (id: string | null) => (id === null ? '(no kind)' : (topic.kinds.get(id)?.name ?? id));

  const lines: string[] = [];
  lines.push(paint('bold', `Funnel: ${topic.definition.name} (${report.topicId} v${report.topicVersion}), at ${formatInstant(report.now)}`));
  lines.push(
    `Deals: ${report.deals}; counted ${report.counted} (open ${report.open}, finished ${report.finished}, closed ${report.closed}); ` +
      `negotiations ongoing ${report.negotiationsOngoing} (excluded, S11); skipped ${report.skipped}`,
  );
  const finishes = report.positive + report.negative;
  lines.push(`Win rate: ${formatRate(report.winRate)} (${report.positive} positive of ${finishes} finished)`);
  lines.push(`Open pipeline: ${formatAmount(report.openValue)}; weighted ${formatAmount(report.weightedValue)}`);
  lines.push('');

  const header = ['Stage', 'Deals', 'Visits', 'To next', 'To won', 'Median', 'P90', 'Limit', 'Overdue', 'Open', 'Value', 'Weighted', 'Won', 'Lost'];
  const rows = report.stages.map((stage) => [
    stageName(stage.stageId) + (stage.negotiationsOngoing ? ' *' : ''),
    String(stage.deals),
    String(stage.visits),
    formatRate(stage.toNext),
    formatRate(stage.toPositive),
    stage.medianTime === null ? '-' : formatDuration(stage.medianTime),
    stage.p90Time === null ? '-' : formatDuration(stage.p90Time),
    stage.limit ?? '-',
    formatRate(stage.overdueRate),
    String(stage.open),
    formatAmount(stage.openValue),
    stage.weightedValue === null ? '-' : formatAmount(stage.weightedValue),
    String(stage.finishedPositive),
    String(stage.finishedNegative),
  ]);
  const styles = report.stages.map((stage) => {
    const cells: (keyof typeof ANSI | undefined)[] = [];
    cells[8] = stage.overdueVisits > 0 ? 'red' : undefined;
    return cells;
  });
  lines.push(...table(header, rows, paint, styles));
  if (report.stages.some((stage) => stage.negotiationsOngoing)) lines.push(paint('dim', '* negotiations ongoing (S11): no outcomes of its own'));

  lines.push('', paint('bold', 'Finishes by outcome'));
  if (report.finishesByOutcome.length === 0) lines.push('  none');
  else {
    const outcomeRows = report.finishesByOutcome.map((item) => [`${outcomeName(item.outcomeId)} (${item.outcomeId})`, item.result, String(item.count), formatRate(item.share)]);
    lines.push(...indent(table(['Outcome', 'Result', 'Deals', 'Share'], outcomeRows, paint, report.finishesByOutcome.map((item) => [undefined, item.result === 'positive' ? 'green' : 'red']))));
  }
  lines.push('', paint('bold', 'Finishes by outcome kind (S27)'));
  if (report.finishesByKind.length === 0) lines.push('  none');
  else {
    const kindRows = report.finishesByKind.map((item) => [item.kindId === null ? kindName(null) : `${kindName(item.kindId)} (${item.kindId})`, item.result, String(item.count), formatRate(item.share)]);
    lines.push(...indent(table(['Kind', 'Result', 'Deals', 'Share'], kindRows, paint, report.finishesByKind.map((item) => [undefined, item.result === 'positive' ? 'green' : 'red']))));
  }
  return `${lines.join('\n')}\n`;
}

/** Aligned columns: the first left-aligned, the others right-aligned; styles apply after padding. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  paint: (style: keyof typeof ANSI, text: string) => string,
  styles: readonly (readonly (keyof typeof ANSI | undefined)[])[] = [],
): string[] {
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)));
  const render = (cells: readonly string[], cellStyles: readonly (keyof typeof ANSI | undefined)[] = []) =>
    cells
      .map((cell, c) => {
        const width = widths[c] ?? 0;
        const padded = c === 0 ? cell.padEnd(width) : cell.padStart(width);
        const style = cellStyles[c];
        return style === undefined ? padded : paint(style, padded);
      })
      .join('  ')
      .trimEnd();
  return [paint('bold', render(header)), ...rows.map((row, r) => render(row, styles[r]))];
}

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

/**
 * A duration as short human text with its two largest units, rounded down:
 * `1d 4h`, `3h 20m`, `45m`, `30s`, `0s`.
 *
 * @example
 * formatDuration(28 * 3_600_000); // '1d 4h'
 * formatDuration(90_000);         // '1m 30s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  const units: readonly [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const first = units.findIndex(([, size]) => ms >= size);
  if (first < 0) return '0s';
  const [bigUnit, bigSize] = units[first] as [string, number];
  const big = Math.floor(ms / bigSize);
  const next = units[first + 1];
  if (next === undefined) return `${big}${bigUnit}`;
  const small = Math.floor((ms - big * bigSize) / next[1]);
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${next[0]}`;
}

function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}

/** Amounts with `,` between thousands and at most two decimals, independent of the locale. */
function formatAmount(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const [whole = '0', fraction] = Math.abs(rounded).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = fraction === undefined || fraction === '00' ? '' : `.${fraction}`;
  return `${rounded < 0 ? '-' : ''}${grouped}${decimals}`;
}

function formatInstant(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
