import { compileCalendar, type WorkingCalendar } from '../time/calendar.js';
import { durationToMs, MAX_DURATION_DAYS, parseDuration, type Duration } from '../time/duration.js';
import { zoneOffsetMs } from '../time/zone-offset.js';
import type { Locale, Severity, TopicIssue } from './issue.js';
import { kindFitsOutcome, kindsForOutcome } from './kinds.js';
import { message } from './messages.js';
import type { AuditTopic, Outcome, OutcomeKind, SalesTopic, TopicDefinition } from './schema.js';

/** Options of {@link lintTopic}. */
export interface LintOptions {
  /** The language of the messages: English (default) or Russian. */
  readonly locale?: Locale;
}

type Report = (severity: Severity, code: string, path: string, rule: string, params?: Record<string, string | number>, value?: string | number) => void;

/**
 * Finds what a schema cannot see in a validated topic: duplicate ids, outcomes
 * that point nowhere, stages no deal can reach or leave, limits that
 * contradict each other, and more. Returns errors and warnings; an empty list
 * means the topic is sound.
 *
 * @example
 * const findings = lintTopic(parseTopic(input, { lint: false }));
 * const errors = findings.filter((finding) => finding.severity === 'error');
 */
export function lintTopic(topic: TopicDefinition, options: LintOptions = {}): TopicIssue[] {
  const locale = options.locale ?? 'en';
  const issues: TopicIssue[] = [];
  const report: Report = (severity, code, path, rule, params = {}, value) => {
    issues.push({
      severity,
      code,
      path,
      rule,
      message: message(code, locale, params) ?? code,
      ...(value === undefined ? {} : { value }),
    });
  };
  if (topic.kind === 'sales') lintSales(topic, report);
  if (topic.kind === 'audit') lintAudit(topic, report);
  return issues;
}

function lintAudit(topic: AuditTopic, report: Report): void {
  checkUnique(topic.outcomeKinds, 'outcomeKinds', 'outcome kind', 'S37', report);
  topic.outcomeKinds.forEach((kind, index) => {
    if (!kind.commentRequired) report('error', 'audit_kind_without_comment', `outcomeKinds[${index}].commentRequired`, 'S37', { id: kind.id }, kind.id);
  });
}

function lintSales(topic: SalesTopic, report: Report): void {
  checkUnique(topic.stages, 'stages', 'stage', 'S7', report);
  checkUnique(topic.outcomeKinds, 'outcomeKinds', 'outcome kind', 'S27', report);
  checkUnique(topic.fields, 'fields', 'field', 'S29', report);
  checkUnique(topic.documents, 'documents', 'document', 'S28', report);
  checkUnique(topic.globalOutcomes, 'globalOutcomes', 'outcome', 'S8', report);

  const stageIds = new Set(topic.stages.map((stage) => stage.id));
  const fieldIds = new Set(topic.fields.map((field) => field.id));
  const kindsById = new Map(topic.outcomeKinds.map((kind) => [kind.id, kind]));
  const checkOutcome = (outcome: Outcome, path: string): void => {
    if ('to' in outcome && !stageIds.has(outcome.to)) report('error', 'unknown_stage', `${path}.to`, 'S9', { id: outcome.to }, outcome.to);
    checkOutcomeKinds(outcome, path, topic.outcomeKinds, kindsById, report);
    outcome.requiredFields?.forEach((id, f) => {
      if (!fieldIds.has(id)) report('error', 'unknown_field', `${path}.requiredFields[${f}]`, 'S29', { id }, id);
    });
  };
  topic.globalOutcomes.forEach((outcome, index) => checkOutcome(outcome, `globalOutcomes[${index}]`));

  const clock = limitClock(topic);
  const checkSpan = (text: string | undefined, path: string): void => {
    const duration = durationOf(text);
    const days = duration === undefined ? 0 : clock.spanDays(duration);
    if (days > MAX_DURATION_DAYS) report('error', 'limit_too_long', path, 'calendar', { limit: text ?? '', days: Math.ceil(days), max: MAX_DURATION_DAYS }, text);
  };
  checkSpan(topic.maxDuration, 'maxDuration');
  topic.stages.forEach((stage, s) => {
    checkSpan(stage.maxDuration, `stages[${s}].maxDuration`);
    checkSpan(stage.idleLimit, `stages[${s}].idleLimit`);
    stage.plans?.forEach((plan, p) => checkSpan(plan.after, `stages[${s}].plans[${p}].after`));
  });
  const globalIds = new Map(topic.globalOutcomes.map((outcome, index) => [outcome.id, `globalOutcomes[${index}]`]));
  const globalWin = topic.globalOutcomes.find((outcome) => 'finish' in outcome && outcome.finish === 'positive');
  topic.stages.forEach((stage, s) => {
    const path = `stages[${s}]`;
    checkUnique(stage.outcomes, `${path}.outcomes`, 'outcome', 'S8', report, globalIds);
    stage.outcomes.forEach((outcome, o) => checkOutcome(outcome, `${path}.outcomes[${o}]`));
    stage.requiredFields.forEach((id, f) => {
      if (!fieldIds.has(id)) report('error', 'unknown_field', `${path}.requiredFields[${f}]`, 'S29', { id }, id);
    });
    if (stage.plans !== undefined) checkUnique(stage.plans, `${path}.plans`, 'planned activity', 'stage plans', report);
    if (stage.outcomes.length === 0) {
      // The trap: a team ends the pipeline on a stage it finishes through a global "won", and S11 quietly drops its deals from reports.
      if (globalWin === undefined) report('warning', 'negotiations_ongoing', path, 'S11', { id: stage.id });
      else report('warning', 'global_win_only', path, 'S11', { id: stage.id, outcome: globalWin.id });
    }
    checkStageLimits(topic, s, report, clock);
  });

  checkGraph(topic, report);
  checkProbabilities(topic, report);
  checkFields(topic, report);
  topic.documents.forEach((document, d) =>
    document.stages?.forEach((id, i) => {
      if (!stageIds.has(id)) report('error', 'unknown_stage', `documents[${d}].stages[${i}]`, 'S28', { id }, id);
    }),
  );

  const { approval, approvers } = topic.deadlineChange;
  if (approval === 'required' && approvers.length === 0) report('error', 'approvers_missing', 'deadlineChange.approvers', 'S25');
  if (approval === 'none' && approvers.length > 0) report('warning', 'approvers_unused', 'deadlineChange.approvers', 'S25');

  const calendar = topic.calendar;
  if (calendar !== undefined) {
    if (calendar.workHours !== undefined && calendar.workHours.start >= calendar.workHours.end) {
      report('error', 'invalid_range', 'calendar.workHours', 'calendar', { low: calendar.workHours.start, high: calendar.workHours.end });
    }
    // No working time at all (empty hours, or no work day and no transferred working day to save it):
    // no deadline could ever be reached. Hours that end before they start are invalid_range alone.
    const noHours = calendar.workHours !== undefined && calendar.workHours.start === calendar.workHours.end;
    const noDays = !calendar.workDays.some((day) => Number.isInteger(day) && day >= 1 && day <= 7) && calendar.workingDays.length === 0;
    if (noHours || noDays) report('error', 'no_working_time', noHours ? 'calendar.workHours' : 'calendar.workDays', 'calendar');
    const holidays = new Set(calendar.holidays);
    calendar.workingDays.forEach((date, i) => {
      if (holidays.has(date)) report('error', 'conflicting_dates', `calendar.workingDays[${i}]`, 'calendar', { date }, date);
    });
  }
}

function checkUnique(
  items: readonly { readonly id: string }[],
  path: string,
  what: string,
  rule: string,
  report: Report,
  taken: ReadonlyMap<string, string> = new Map(),
): void {
  // `taken` (the global outcome ids) is looked up, not copied: a copy per stage would cost stages × global outcomes.
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    const first = seen.get(item.id) ?? taken.get(item.id);
    if (first !== undefined) report('error', 'duplicate_id', `${path}[${index}].id`, rule, { what, id: item.id, first }, item.id);
    else seen.set(item.id, `${path}[${index}]`);
  });
}

function checkOutcomeKinds(
  outcome: Outcome,
  path: string,
  kinds: readonly OutcomeKind[],
  byId: ReadonlyMap<string, OutcomeKind>,
  report: Report,
): void {
  outcome.kinds?.forEach((id, k) => {
    const kind = byId.get(id);
    if (kind === undefined) report('error', 'unknown_kind', `${path}.kinds[${k}]`, 'S27', { id }, id);
    else if (!kindFitsOutcome(kind, outcome) && 'finish' in outcome) {
      report('error', 'kind_polarity_mismatch', `${path}.kinds[${k}]`, 'S27', { id, polarity: kind.polarity, finish: outcome.finish }, id);
    }
  });
  if (outcome.kindRequired && kindsForOutcome(kinds, outcome).length === 0) report('error', 'no_kinds_available', `${path}.kindRequired`, 'S27');
}

function checkStageLimits(topic: SalesTopic, index: number, report: Report, clock: LimitClock): void {
  const stage = topic.stages[index];
  if (stage === undefined) return;
  const path = `stages[${index}]`;
  const deal = durationOf(topic.maxDuration);
  const limit = durationOf(stage.maxDuration);
  const idle = durationOf(stage.idleLimit);
  if (limit !== undefined && deal !== undefined && !clock.neverLater(limit, deal)) {
    report('error', 'stage_limit_exceeds_deal_limit', `${path}.maxDuration`, 'S6', { stage: stage.maxDuration ?? '', deal: topic.maxDuration ?? '' }, stage.maxDuration);
  }
  if (idle !== undefined && limit !== undefined && !clock.neverLater(idle, limit)) {
    report('warning', 'idle_limit_exceeds_stage_limit', `${path}.idleLimit`, 'Pipedrive rotting', { idle: stage.idleLimit ?? '', stage: stage.maxDuration ?? '' }, stage.idleLimit);
  }
}

function durationOf(text: string | undefined): Duration | undefined {
  return text === undefined ? undefined : parseDuration(text);
}

/**
 * Compares two limits in the clock deadlines use (`addDuration` over the
 * topic's working calendar, as `stageDeadline` and `dealDeadline` do):
 * `neverLater(a, b)` holds when a limit `a` started at any instant never ends
 * after a limit `b` started at the same instant (a first stage entered when
 * its deal opens, S6 against S24).
 *
 * Without a calendar both are plain calendar time. With one, days and weeks
 * count working days (`N = weeks × work days + days`) and the time part
 * counts working time, so a limit is "move N working days, then consume T of
 * working time". Both steps only move forward along the calendar's working
 * time, so with `Nₐ ≤ N_b` and `Tₐ ≤ T_b` `a` is never later, and with
 * `Nₐ ≥ N_b` and `Tₐ ≥ T_b` (one strictly) it is always later. Otherwise the
 * answer depends on the working time `k` working days hold: exactly `k × H`
 * (`H` the length of the working hours) when no UTC offset change of the
 * zone ever falls inside the working hours. When one does (a whole-day
 * calendar in a zone with daylight saving time), `k` working days hold
 * between `k × H − (k + 1) × δ` and `k × H + (k + 1) × δ`, `δ` the largest
 * change of one working day's length, and the answer is the conservative
 * one: a topic is refused unless the bound proves it safe.
 */
interface LimitClock {
  readonly neverLater: (a: Duration, b: Duration) => boolean;
  /**
   * How many calendar days a limit can take at most: its working days and
   * working time spread over the calendar's working week. A limit longer
   * than the range of durations (ten years) in calendar time is refused
   * (`limit_too_long`): one working hour a week would otherwise stretch
   * `PT87600H` over 1,680 years, which no deal lives and every deadline
   * would pay for.
   */
  readonly spanDays: (duration: Duration) => number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

function limitClock(topic: SalesTopic): LimitClock {
  let calendar: WorkingCalendar | undefined;
  try {
    calendar = topic.calendar === undefined ? undefined : compileCalendar(topic.calendar);
  } catch {
    // An unusable calendar is reported on its own (no_working_time, invalid_range); compare in calendar time meanwhile.
    calendar = undefined;
  }
  if (calendar === undefined) return { neverLater: (a, b) => durationToMs(a) <= durationToMs(b), spanDays: (duration) => durationToMs(duration) / DAY };
  const working = calendar;
  const hours = (working.workEndMinute - working.workStartMinute) * MINUTE;
  let deviation: number | undefined;
  const days = (duration: Duration) => Math.floor(Math.max(0, duration.weeks * working.workDaysPerWeek + duration.days));
  const time = (duration: Duration) => durationToMs({ ...duration, weeks: 0, days: 0 });
  return {
    // Whole working days, then the time as whole working days of nominal hours, plus the week a start may wait for the first one.
    spanDays: (duration) => ((days(duration) + Math.ceil(time(duration) / hours)) / working.workDaysPerWeek) * 7 + 7,
    neverLater(a, b) {
      const [daysA, daysB, timeA, timeB] = [days(a), days(b), time(a), time(b)];
      if (daysA <= daysB && timeA <= timeB) return true;
      if (daysA >= daysB && timeA >= timeB) return false;
      deviation ??= dayLengthDeviation(working);
      const k = Math.abs(daysB - daysA);
      const slack = deviation === 0 ? 0 : (k + 1) * deviation;
      // Fewer days but more time: the extra time must fit in the k working days `b` moves further.
      if (daysA < daysB) return timeA - timeB <= k * hours - slack;
      // More days but less time: the k working days `a` moves further must fit in the time `b` has left.
      return k * hours + slack <= timeB - timeA;
    },
  };
}

/** Where the offset scan starts and ends: the years the runtime's time-zone data describes rule by rule. */
const SCAN_FROM = Date.UTC(1970, 0, 1);
const SCAN_TO = Date.UTC(2100, 0, 1);
const deviations = new Map<string, number>();

/**
 * The largest amount by which one working day's working hours, as elapsed
 * time, differ from their nominal length, over the offset changes the
 * runtime knows for the calendar's zone from 1970 to 2100 (sampled weekly;
 * every local date around a change is measured). Zero when no change ever
 * falls inside the working hours. Cached per zone and working hours.
 */
function dayLengthDeviation(calendar: WorkingCalendar): number {
  const key = `${calendar.timeZone} ${calendar.workStartMinute} ${calendar.workEndMinute}`;
  const cached = deviations.get(key);
  if (cached !== undefined) return cached;
  const { clock } = calendar;
  const nominal = (calendar.workEndMinute - calendar.workStartMinute) * MINUTE;
  let largest = 0;
  let previous = zoneOffsetMs(calendar.timeZone, SCAN_FROM);
  for (let at = SCAN_FROM + WEEK; at <= SCAN_TO; at += WEEK) {
    const offset = zoneOffsetMs(calendar.timeZone, at);
    if (offset === previous) continue;
    previous = offset;
    for (let day = clock.dayOf(at - WEEK) - 1; day <= clock.dayOf(at) + 1; day += 1) {
      const length = clock.toInstant(day, calendar.workEndMinute * MINUTE) - clock.toInstant(day, calendar.workStartMinute * MINUTE);
      largest = Math.max(largest, Math.abs(length - nominal));
    }
  }
  deviations.set(key, largest);
  return largest;
}

/** Reachability from the first stage, and whether every stage can still end. */
function checkGraph(topic: SalesTopic, report: Report): void {
  const globalTargets = topic.globalOutcomes.flatMap((outcome) => ('to' in outcome ? [outcome.to] : []));
  const globalFinish = topic.globalOutcomes.some((outcome) => 'finish' in outcome);
  const next = new Map<string, string[]>();
  const previous = new Map<string, string[]>();
  const edge = (from: string, to: string) => {
    const targets = next.get(from);
    if (targets === undefined) next.set(from, [to]);
    else targets.push(to);
    const sources = previous.get(to);
    if (sources === undefined) previous.set(to, [from]);
    else sources.push(from);
  };
  // Global moves leave every stage through one node (its name has ":", which no stage id has), so the graph grows with stages + global outcomes, not their product.
  const GLOBAL = 'global:';
  for (const target of globalTargets) edge(GLOBAL, target);
  for (const stage of topic.stages) {
    next.set(stage.id, []);
    for (const outcome of stage.outcomes) if ('to' in outcome) edge(stage.id, outcome.to);
    if (globalTargets.length > 0) edge(stage.id, GLOBAL);
  }
  const first = topic.stages[0];
  const reachable = first === undefined ? new Set<string>() : walk([first.id], next);
  // A deal can end where a finishing outcome is offered, and may rest where no outcome is (S11).
  const ends = topic.stages.filter(
    (stage) => globalFinish || stage.outcomes.length === 0 || stage.outcomes.some((outcome) => 'finish' in outcome),
  );
  const canEnd = walk(ends.map((stage) => stage.id), previous);
  topic.stages.forEach((stage, index) => {
    if (!reachable.has(stage.id)) report('error', 'unreachable_stage', `stages[${index}]`, 'S7', { id: stage.id }, stage.id);
    else if (!canEnd.has(stage.id)) report('error', 'no_finish_reachable', `stages[${index}]`, 'S12', { id: stage.id }, stage.id);
  });
}

function walk(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of edges.get(id) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

function checkProbabilities(topic: SalesTopic, report: Report): void {
  let previous: number | undefined;
  topic.stages.forEach((stage, index) => {
    const value = stage.probability;
    if (value === undefined) return;
    const path = `stages[${index}].probability`;
    if (value < 0 || value > 100) report('error', 'probability_out_of_range', path, 'forecast', { value }, value);
    else if (previous !== undefined && value < previous) report('warning', 'probability_decreasing', path, 'forecast', { value, previous }, value);
    if (value >= 0 && value <= 100) previous = value;
  });
}

function checkFields(topic: SalesTopic, report: Report): void {
  topic.fields.forEach((field, index) => {
    if (field.type === 'number' && field.min !== undefined && field.max !== undefined && field.min > field.max) {
      report('error', 'invalid_range', `fields[${index}].min`, 'S29', { low: field.min, high: field.max }, field.min);
    }
    if (field.type === 'select') checkUnique(field.options, `fields[${index}].options`, 'option', 'S29', report);
  });
}
