/**
 * Seeded simulation of deals on a sales topic, for tuning stage limits and
 * trying a pipeline before it ships.
 *
 * The model, step by step for each deal:
 *
 * - **Openings** are spread over `openWithin` (default 30 days) from `start`
 *   as a Poisson process: exponential gaps with a mean of
 *   `openWithin / deals`, rounded to whole seconds. 90 % of deals get an
 *   amount of 5,000–100,000 (in steps of 100), the rest none; the owner is
 *   one of ten managers. Each deal is what `openDeal` returns (one call
 *   validates the opening; the deals are that deal with their own ids, times
 *   and deadlines).
 * - **Time between events** in a stage is exponential with a mean of
 *   `pace × the stage limit` (calendar time; default pace 0.5), or `meanGap`
 *   (default a day) in stages without a limit, rounded to whole seconds
 *   (at least one). With a working calendar a limit counts working time, so
 *   deals are overdue somewhat more often than the pace alone suggests.
 * - **Outcomes** are drawn by weight among the outcomes of the current stage,
 *   global ones included. An outcome's weight is, first found: the side map
 *   `weights[stageId][outcomeId]`, the outcome's own `weight` in the topic,
 *   else 1 (uniform). Weight 0 is never drawn; a stage whose outcomes all
 *   weigh 0 is an error. Negative finishes carry a kind drawn uniformly
 *   among those allowed (so the report can tell why deals fail, S27); other
 *   outcomes carry one only when they require it. The events are built by
 *   `outcomeEvent` (compile/paths.ts): comments and sample values for
 *   required fields included.
 * - **Planning.** Under mandatory planning (S33) every continuing outcome
 *   plans the next call, for the moment of the deal's next outcome, and that
 *   outcome records it; under optional planning half of them do. One step in
 *   ten also plans a task and completes it before the outcome.
 * - **Stops.** A deal stops when it is closed; when it finished positively and
 *   the topic closes on a business event (S34), that event is reported after
 *   a delay drawn with mean `meanGap` first. It also stops in a stage without
 *   outcomes of its own (S11: it stays open, "negotiations ongoing"), and
 *   after `maxEvents` events (default 200; rejected ones count too).
 * - **Horizon.** With `until`, no event happens after that moment: deals
 *   open within `min(openWithin, until − start)` and whatever is not closed
 *   by then stays as it is, so the report shows an open pipeline.
 * - **Report.** Each deal is added to the funnel as it stops; the report is
 *   taken at `until`, or else at the moment of the last event of any deal,
 *   so the deals still open are measured up to then.
 *
 * Everything comes from one seeded generator (see random.ts), visited in
 * deal order, and nothing reads the clock: the same topic, options and seed
 * give byte-identical results. Events go straight through the rules of
 * `applyEvent` (no actors), without checking again the shape of the events
 * the simulation built and of the deals `applyEvent` returned.
 *
 * @module
 */
import type { CrmUser } from '../access/actor.js';
import type { CompiledOutcome, CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import { outcomeEvent, sampleFields } from '../compile/outcome-event.js';
import { applyTrusted } from '../deal/apply.js';
import type { Deal } from '../deal/deal.js';
import type { DealLogEntry, OpenedLogEntry } from '../deal/log-entry.js';
import { dealDeadline, idleDeadline, stageDeadline } from '../deal/deadlines.js';
import type { DealEvent } from '../deal/events.js';
import { openDeal } from '../deal/open.js';
import { stagePlans } from '../deal/stage-plans.js';
import { formatPath } from '../definition/issue.js';
import { durationToMs } from '../time/duration.js';
import { isPlainObject } from '../util/plain-object.js';
import { funnelBuilder, type FunnelReport } from './funnel.js';
import { createRandom, type Random } from './random.js';
import { MAX_TIME } from '../time/date.js';

const SECOND = 1000;
const DAY = 86_400_000;
/** 2026-01-05T09:00:00Z, a Monday. */
const DEFAULT_START = Date.parse('2026-01-05T09:00:00Z');
const MANAGERS = 10;
/** Share of steps that also plan and complete a task. */
const TASK_RATE = 0.1;
/** Share of continuing outcomes that plan the next call when planning is optional. */
const OPTIONAL_PLAN_RATE = 0.5;
/** Share of deals without an amount. */
const NO_AMOUNT_RATE = 0.1;

/**
 * Outcome weights per stage: `{ [stageId]: { [outcomeId]: weight } }`; global
 * outcomes can be weighted per stage. Weights are relative, finite and at
 * least 0; they override the outcomes' own `weight`, and outcomes left out
 * keep theirs (1 when the topic gives none).
 *
 * @example
 * const weights: WeightsMap = { offer: { accepted: 3, revise: 1, refused: 1 }, payment: { refused: 0 } };
 */
export type WeightsMap = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * Options of {@link simulate}; every one may be left out.
 *
 * @example
 * simulate(compiled, { deals: 5000, seed: 'march', pace: 0.8, until: Date.parse('2026-02-01T00:00:00Z') });
 */
export interface SimulateOptions {
  /** How many deals to run (default 1000). */
  readonly deals?: number;
  /** The seed (default 1); `42` and `'42'` are the same seed. */
  readonly seed?: number | string;
  /** When the first deal opens, epoch ms (default 2026-01-05T09:00:00Z). */
  readonly start?: number;
  /** Outcome weights that override the topic's `weight`s; see the module notes. */
  readonly weights?: WeightsMap;
  /** The span over which deals open, ms (default 30 days). */
  readonly openWithin?: number;
  /** Mean time between events as a share of the stage limit (default 0.5). */
  readonly pace?: number;
  /** Mean time between events in stages without a limit, and before a closing business event, ms (default a day). */
  readonly meanGap?: number;
  /** The end of the simulated time, epoch ms (at least `start`): no event happens later, and the report is taken then. Default: none, every deal runs until it stops. */
  readonly until?: number;
  /** The most events per deal (default 200). */
  readonly maxEvents?: number;
  /** Called with the deals done so far, every 1000 deals and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Return the final deals and their logs (default `false`: only the report is kept, so memory does not grow with the run). */
  readonly keepDeals?: boolean;
}

/**
 * The answer of {@link simulate}.
 *
 * @example
 * const { deals, logs, report, events, rejected } = simulate(compiled, { seed: 1, keepDeals: true });
 */
export interface SimulationResult {
  /** The final state of every deal, in the order they opened; empty unless `keepDeals: true`. */
  readonly deals: Deal[];
  /** The log of every deal, beside `deals`; empty unless `keepDeals: true`. */
  readonly logs: (readonly DealLogEntry[])[];
  /** The funnel of the deals, at `until` or else at the moment of the last event. */
  readonly report: FunnelReport;
  /** Events `applyEvent` accepted (openings not included). */
  readonly events: number;
  /** Events `applyEvent` rejected; 0 unless the topic holds a surprise. */
  readonly rejected: number;
}

/**
 * One problem with the options of {@link simulate}.
 *
 * @example
 * const issue: SimulationIssue = { code: 'unknown_outcome', path: 'weights.offer.acepted', message: 'Outcome "acepted" is not offered in stage "offer"; …' };
 */
export interface SimulationIssue {
  readonly code: 'not_a_sales_topic' | 'invalid_option' | 'unknown_stage' | 'unknown_outcome' | 'invalid_weight' | 'no_outcome_possible' | 'open_failed';
  /** Where, e.g. `weights.offer.revise` or `deals`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown by {@link simulate} when its options do not fit the topic; carries every issue found.
 *
 * @example
 * try {
 *   simulate(compiled, { weights: { ofer: { accepted: 2 } } });
 * } catch (error) {
 *   if (error instanceof SimulationError) console.log(error.issues[0]?.path); // 'weights.ofer'
 * }
 */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  readonly issues: readonly SimulationIssue[];

  constructor(issues: readonly SimulationIssue[]) {
    super(['Cannot simulate:', ...issues.map((issue) => `  ${issue.path || '(topic)'}: ${issue.message} [${issue.code}]`)].join('\n'));
    this.issues = issues;
  }
}

interface StagePlan {
  readonly stage: CompiledStage;
  readonly outcomes: readonly CompiledOutcome[];
  /** Running sums of the outcomes' weights. */
  readonly cumulative: Float64Array;
  readonly total: number;
  /** Per outcome, the kind ids to draw from (empty: record none). */
  readonly kinds: readonly (readonly string[])[];
  readonly meanGap: number;
  /** Deals stay here: a "negotiations ongoing" stage (S11). */
  readonly rests: boolean;
}

interface Settings {
  readonly deals: number;
  readonly seed: number | string;
  readonly start: number;
  readonly openWithin: number;
  readonly pace: number;
  readonly meanGap: number;
  readonly maxEvents: number;
  /** The horizon, or `MAX_TIME` without one. */
  readonly until: number;
  readonly hasHorizon: boolean;
}

/**
 * Runs seeded random deals through a sales topic with `applyEvent` and
 * reports their funnel: outcomes drawn by weight (the side map, the
 * outcomes' `weight`, else uniform), exponential times between events tied
 * to the stage limits, mandatory planning honoured, and stops at close, in
 * "negotiations ongoing" stages (S11) or after `maxEvents`. The same seed
 * gives byte-identical results; see the module notes for the whole model.
 * Throws a {@link SimulationError} naming the path of every bad option or
 * weight (unknown stage or outcome, negative or non-finite number, a stage
 * whose outcomes all weigh 0).
 *
 * @example
 * const { report, events } = simulate(compiled, { deals: 10_000, seed: 'q3', weights: { offer: { accepted: 3, refused: 1 } } });
 * console.log(formatFunnelReport(report, compiled));
 */
export function simulate(topic: CompiledTopic, options: SimulateOptions = {}): SimulationResult {
  if (topic.kind !== 'sales') {
    throw new SimulationError([{ code: 'not_a_sales_topic', path: '', message: `Deals run on sales topics only; "${topic.id}" is a ${topic.kind} topic.` }]);
  }
  const settings = readSettings(options);
  const plans = planStages(topic, options.weights, settings);
  const random = createRandom(settings.seed);
  const run = new Run(topic, plans, random, settings);
  const deals: Deal[] = [];
  const logs: (readonly DealLogEntry[])[] = [];
  // Tallied as each deal ends, while its objects are still in the cache.
  const funnel = funnelBuilder(topic);
  let openClock = settings.start;
  const openWithin = Math.min(settings.openWithin, settings.until - settings.start);
  const meanOpening = settings.deals === 0 ? 0 : openWithin / settings.deals;
  let end = settings.start;
  for (let i = 0; i < settings.deals; i++) {
    const entries: DealLogEntry[] = [];
    const deal = run.deal(i, Math.min(settings.start + Math.round((openClock - settings.start) / SECOND) * SECOND, settings.until), entries);
    if (options.keepDeals === true) {
      deals.push(deal);
      logs.push(entries);
    }
    funnel.add(deal, entries);
    if (deal.lastEventAt > end) end = deal.lastEventAt;
    openClock += random.exponential(meanOpening);
    if (options.onProgress !== undefined && ((i + 1) % 1000 === 0 || i + 1 === settings.deals)) options.onProgress(i + 1, settings.deals);
  }
  const now = settings.hasHorizon ? settings.until : end;
  return { deals, logs, report: funnel.report({ now }), events: run.events, rejected: run.rejected };
}

/** The state shared by the deals of one simulation. */
class Run {
  events = 0;
  rejected = 0;
  private readonly managers: readonly CrmUser[];
  private readonly closeEvents: readonly string[];
  private readonly mandatory: boolean;
  private readonly template: Deal;
  private readonly templateEntry: OpenedLogEntry;
  /** The log of the deal being run. */
  private entries: DealLogEntry[] = [];
  // Activity ids by deal revision, made once and shared by every deal.
  private readonly callIds: string[] = [];
  private readonly taskIds: string[] = [];
  constructor(
    private readonly topic: CompiledSalesTopic,
    private readonly plans: ReadonlyMap<string, StagePlan>,
    private readonly random: Random,
    private readonly settings: Settings,
  ) {
    this.managers = Array.from({ length: MANAGERS }, (_, i) => Object.freeze({ id: `manager-${i + 1}` }));
    this.closeEvents = [...topic.closeEvents];
    this.mandatory = topic.definition.parameters.planning === 'mandatory';
    const manager = this.managers[0] as CrmUser;
    const opened = openDeal(topic, {
      id: 'deal-0',
      clientId: 'client-0',
      ownerId: manager.id,
      at: settings.start,
      actor: manager,
      fields: sampleFields(topic, topic.firstStage.requiredFields, settings.start) ?? {},
    });
    if (!opened.ok) throw new SimulationError([{ code: 'open_failed', path: '', message: `A deal cannot be opened on this topic: ${opened.error.message}` }]);
    // Every deal starts with these same empty fields and activities (deals are never modified in place): frozen, so a slip shows.
    Object.freeze(opened.deal.fields);
    Object.freeze(opened.deal.activities);
    this.template = opened.deal;
    this.templateEntry = opened.entry;
  }

  /**
   * Deal number `index`, opened at `openedAt`, and its log's first entry:
   * the template `openDeal` made with the deal's own ids, times, deadlines,
   * amount and fields. This is what `openDeal` returns for the same input,
   * without validating that input again for every deal (a test holds the
   * two together).
   */
  open(index: number, openedAt: number, actor: CrmUser, amount: number | null): { deal: Deal; entry: OpenedLogEntry } {
    const { topic, template, templateEntry } = this;
    const first = topic.firstStage;
    const id = `deal-${index + 1}`;
    const clientId = `client-${index + 1}`;
    const fields = first.requiredFields.length === 0 ? template.fields : (sampleFields(topic, first.requiredFields, openedAt) ?? {});
    const deal: Deal = {
      ...template,
      id,
      clientId,
      ownerId: actor.id,
      stageEnteredAt: openedAt,
      stageDueAt: stageDeadline(topic, first, openedAt),
      openedAt,
      dueAt: dealDeadline(topic, openedAt),
      lastActivityAt: openedAt,
      idleDueAt: idleDeadline(topic, first, openedAt),
      amount,
      fields,
      // The first stage's own plans, for this deal's owner and time (the template's are another deal's).
      activities: first.plans.length === 0 ? template.activities : stagePlans(topic, first, { id, ownerId: actor.id }, openedAt, 1).activities,
      lastEventAt: openedAt,
    };
    const input = { id, clientId, ownerId: actor.id, at: openedAt, actor, amount, fields };
    return { deal, entry: { ...templateEntry, dealId: id, at: openedAt, by: actor.id, input } };
  }

  /** Opens deal number `index` at `openedAt` and runs it until it stops, appending its log to `entries`. */
  deal(index: number, openedAt: number, entries: DealLogEntry[]): Deal {
    const { topic, random, settings } = this;
    const actor = this.managers[random.int(MANAGERS)] as CrmUser;
    const amount = random.next() < NO_AMOUNT_RATE ? null : 100 * (50 + random.int(951));
    const opened = this.open(index, openedAt, actor, amount);
    entries.push(opened.entry);
    this.entries = entries;
    let deal = opened.deal;
    let at = openedAt;
    let call: string | undefined;
    let attempts = 0;
    let gap = this.gap(this.plans.get(deal.stageId) as StagePlan);
    while (attempts < settings.maxEvents) {
      if (deal.status === 'finished') {
        // Won, waiting for the business event that closes it (S34).
        at += this.draw(settings.meanGap);
        if (at > settings.until) break;
        deal = this.apply(deal, { type: 'reportBusinessEvent', name: this.closeEvents[random.int(this.closeEvents.length)] as string, at, actor });
        break;
      }
      if (deal.status !== 'open') break;
      const plan = this.plans.get(deal.stageId) as StagePlan;
      if (plan.rests || at + gap > settings.until) break;
      if (random.next() < TASK_RATE && attempts + 3 <= settings.maxEvents) {
        const activityId = idOf(this.taskIds, 'task-', deal.revision);
        const third = Math.floor(gap / 3);
        deal = this.apply(deal, { type: 'planActivity', activityId, kind: 'task', plannedFor: at + 2 * third, at: at + third, actor });
        deal = this.apply(deal, { type: 'completeActivity', activityId, at: at + 2 * third, actor });
        attempts += 2;
      }
      at += gap;
      const choice = this.choose(plan);
      const outcome = plan.outcomes[choice] as CompiledOutcome;
      const kinds = plan.kinds[choice] as readonly string[];
      const next = outcome.to === null ? undefined : this.plans.get(outcome.to);
      const nextGap = next === undefined ? gap : this.gap(next);
      const plans = outcome.finish === null && (this.mandatory || random.next() < OPTIONAL_PLAN_RATE);
      const event = outcomeEvent(topic, deal, {
        outcome,
        at,
        actor,
        kindId: kinds.length === 0 ? undefined : kinds[kinds.length === 1 ? 0 : random.int(kinds.length)],
        activityId: call,
        plan: plans,
        planId: plans ? idOf(this.callIds, 'call-', deal.revision) : undefined,
        plannedFor: at + nextGap,
      });
      attempts++;
      const result = applyTrusted(topic, deal, event);
      if (result.ok) {
        this.events++;
        entries.push(result.entry);
        deal = result.deal;
        call = plans ? event.plan?.activityId : undefined;
      } else this.rejected++;
      gap = nextGap;
    }
    return deal;
  }

  private apply(deal: Deal, event: DealEvent): Deal {
    const result = applyTrusted(this.topic, deal, event);
    if (result.ok) {
      this.events++;
      this.entries.push(result.entry);
      return result.deal;
    }
    this.rejected++;
    return deal;
  }

  /** Draws an outcome index by weight; zero weights are never drawn. */
  private choose(plan: StagePlan): number {
    const target = this.random.next() * plan.total;
    const { cumulative } = plan;
    const last = cumulative.length - 1;
    for (let i = 0; i < last; i++) if (target < (cumulative[i] as number)) return i;
    // Floating-point safety: the last outcome with a weight.
    let i = last;
    while (i > 0 && cumulative[i] === cumulative[i - 1]) i--;
    return i;
  }

  private gap(plan: StagePlan): number {
    return this.draw(plan.meanGap);
  }

  /** An exponential waiting time, whole seconds, at least one. */
  private draw(mean: number): number {
    const seconds = Math.round(this.random.exponential(mean) / SECOND);
    return seconds < 1 ? SECOND : seconds * SECOND;
  }
}

function idOf(ids: string[], prefix: string, n: number): string {
  let id = ids[n];
  if (id === undefined) {
    id = `${prefix}${n}`;
    ids[n] = id;
  }
  return id;
}

function readSettings(options: SimulateOptions): Settings {
  const issues: SimulationIssue[] = [];
  const read = <T>(key: keyof SimulateOptions, fallback: T, ok: (value: unknown) => boolean, expected: string): T => {
    const value = options[key];
    if (value === undefined) return fallback;
    if (ok(value)) return value as T;
    issues.push({ code: 'invalid_option', path: key, message: `Expected ${expected}, got ${describe(value)}.` });
    return fallback;
  };
  const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
  const isPositive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
  const base = {
    deals: read('deals', 1000, isCount, 'a whole number of deals, 0 or more'),
    seed: read('seed', 1, (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)), 'a finite number or a string'),
    start: read('start', DEFAULT_START, (value) => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME, 'epoch milliseconds (a whole number, 0 or more)'),
    openWithin: read('openWithin', 30 * DAY, (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0, 'milliseconds, 0 or more'),
    pace: read('pace', 0.5, isPositive, 'a positive number'),
    meanGap: read('meanGap', DAY, isPositive, 'a positive number of milliseconds'),
    maxEvents: read('maxEvents', 200, (value) => isCount(value) && (value as number) > 0, 'a whole number of events, 1 or more'),
  };
  const until = read('until', MAX_TIME, (value) => Number.isSafeInteger(value) && (value as number) >= base.start && (value as number) <= MAX_TIME, `epoch milliseconds (a whole number) no earlier than start (${base.start})`);
  const settings: Settings = { ...base, until, hasHorizon: options.until !== undefined };
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    issues.push({ code: 'invalid_option', path: 'onProgress', message: `Expected a function, got ${describe(options.onProgress)}.` });
  }
  if (issues.length > 0) throw new SimulationError(issues);
  return settings;
}

/** Checks the side map against the topic and builds each stage's draw table. */
function planStages(topic: CompiledSalesTopic, weights: WeightsMap | undefined, settings: Settings): Map<string, StagePlan> {
  const issues: SimulationIssue[] = [];
  if (weights !== undefined && !isPlainObject(weights)) {
    throw new SimulationError([{ code: 'invalid_option', path: 'weights', message: `Expected an object of stages, got ${describe(weights)}.` }]);
  }
  const side = weights ?? {};
  for (const stageId of Object.keys(side)) {
    const path = formatPath(['weights', stageId]);
    const stage = topic.stages.get(stageId);
    const byOutcome = side[stageId];
    if (stage === undefined) {
      issues.push({ code: 'unknown_stage', path, message: `Stage "${stageId}" does not exist in topic "${topic.id}"; expected one of ${topic.stageList.map((s) => `"${s.id}"`).join(', ')}.` });
    } else if (!isPlainObject(byOutcome)) {
      issues.push({ code: 'invalid_option', path, message: `Expected an object of outcome weights, got ${describe(byOutcome)}.` });
    } else {
      for (const [outcomeId, weight] of Object.entries(byOutcome)) {
        const at = formatPath(['weights', stageId, outcomeId]);
        if (!stage.outcomes.has(outcomeId)) {
          const offered = [...stage.outcomes.keys()].map((id) => `"${id}"`).join(', ') || 'none';
          issues.push({ code: 'unknown_outcome', path: at, message: `Outcome "${outcomeId}" is not offered in stage "${stageId}"; expected one of ${offered}.` });
        } else if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
          issues.push({ code: 'invalid_weight', path: at, message: `Expected a weight: a finite number, 0 or more; got ${describe(weight)}.` });
        }
      }
    }
  }
  if (issues.length > 0) throw new SimulationError(issues);

  const plans = new Map<string, StagePlan>();
  for (const stage of topic.stageList) {
    const outcomes = [...stage.outcomes.values()];
    const overrides = Object.hasOwn(side, stage.id) ? side[stage.id] : undefined;
    const cumulative = new Float64Array(outcomes.length);
    let total = 0;
    outcomes.forEach((outcome, i) => {
      const override = overrides !== undefined && Object.hasOwn(overrides, outcome.id) ? overrides[outcome.id] : undefined;
      total += override ?? outcome.definition.weight ?? 1;
      cumulative[i] = total;
    });
    const rests = stage.negotiationsOngoing;
    if (!rests && !(total > 0)) {
      const path = overrides === undefined ? formatPath(['stages', stage.index, 'outcomes']) : formatPath(['weights', stage.id]);
      issues.push({ code: 'no_outcome_possible', path, message: `Every outcome of stage "${stage.id}" weighs 0: simulated deals could never leave it.` });
    }
    plans.set(stage.id, {
      stage,
      outcomes,
      cumulative,
      total,
      kinds: outcomes.map((outcome) => (outcome.finish === 'negative' || outcome.kindRequired ? [...outcome.kinds.keys()] : [])),
      meanGap: stage.limit === null ? settings.meanGap : settings.pace * durationToMs(stage.limit),
      rests,
    });
  }
  if (issues.length > 0) throw new SimulationError(issues);
  return plans;
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
