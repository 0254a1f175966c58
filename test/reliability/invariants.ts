import { createDealActor, dealSnapshot } from '../../src/index.js';
import { applyEvent, dealDeadline, dealStateValue, formatDealError, idleDeadline, stageDeadline } from '../../src/index.js';
import { dealError } from '../../src/deal/errors.js';
import type { ApplyResult, CompiledSalesTopic, Deal, DealError, DealEvent } from '../../src/index.js';
import { parseDeal } from '../../src/deal/parse-deal.js';
import { transition } from 'xstate';
import { eventFor, isRoutable, openLogged, type Step } from './events.js';
import { parseLogEntry, replayDeal, type DealLogEntry } from '../../src/index.js';

/*
 * The invariants every event must keep, checked after every event of every
 * generated sequence, and the runner that drives a sequence through
 * `applyEvent`, a live actor and xstate's pure `transition` side by side.
 * Failures throw an Error whose message holds the concrete events so far.
 */

/**
 * Freezes a value and everything reachable from it, without recursion (deeply nested junk would overflow the stack).
 *
 * @example
 * const deal = freeze(openFor(topic, at));
 */
export function freeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const key of Reflect.ownKeys(item)) stack.push((item as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * The first difference between two JSON-like values, or `undefined` when they
 * are strictly equal: the same own keys (an `undefined` value counts), the
 * same kind of container, and `Object.is` for primitives (so `-0` is not `0`).
 * Quick enough to run after every event, and safe on deeply nested values.
 *
 * @example
 * strictDiff({ a: 0 }, { a: -0 }); // '.a: 0 ≠ -0'
 */
export function strictDiff(left: unknown, right: unknown): string | undefined {
  // Nearly every comparison finds no difference: check fast (recursively, to 64 levels), and walk
  // iteratively for the path only when that check fails or gives up.
  return strictlyEqual(left, right, 0) ? undefined : firstDifference(left, right);
}

function strictlyEqual(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 64) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || a instanceof Map || a instanceof Set) return false;
  const keys = Reflect.ownKeys(a);
  if (keys.length !== Reflect.ownKeys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !strictlyEqual((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function firstDifference(left: unknown, right: unknown): string | undefined {
  const stack: [unknown, unknown, string][] = [[left, right, '']];
  while (stack.length > 0) {
    const [a, b, path] = stack.pop() as [unknown, unknown, string];
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path || '(root)'}: ${show(a)} ≠ ${show(b)}`;
    if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path || '(root)'}: different kinds of object`;
    if (a instanceof Map || a instanceof Set) return `${path || '(root)'}: maps and sets are not compared`;
    const keysA = Reflect.ownKeys(a);
    const keysB = Reflect.ownKeys(b);
    if (keysA.length !== keysB.length) return `${path || '(root)'}: keys [${keysA.map(String).join(', ')}] ≠ [${keysB.map(String).join(', ')}]`;
    for (const key of keysA) {
      if (!Object.hasOwn(b, key)) return `${path || '(root)'}: key ${String(key)} only on the left`;
      stack.push([(a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`]);
    }
  }
  return undefined;
}

function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

/** Why an error is not a well-formed `DealError` of the catalogue, or `undefined`. */
function errorProblem(error: DealError): string | undefined {
  if (typeof error !== 'object' || error === null) return 'the error is not an object';
  if (typeof error.message !== 'string' || error.message.trim() === '') return 'the error has no message';
  if (typeof error.rule !== 'string' || error.rule === '') return 'the error names no rule';
  let template: DealError;
  try {
    template = dealError(error.code);
  } catch {
    return `code ${String(error.code)} is not in the catalogue`;
  }
  if (template.rule !== error.rule) return `code ${error.code} carries rule ${error.rule}, the catalogue says ${String(template.rule)}`;
  if (error.path !== undefined && typeof error.path !== 'string') return 'the error path is not a string';
  if (typeof error.params !== 'object' || error.params === null) return 'the error has no params';
  if (formatDealError(error, 'en') !== error.message) return `the message of ${error.code} is not the one its params make`;
  if (!/[а-яё]/iu.test(formatDealError(error, 'ru'))) return `the Russian message of ${error.code} has no Russian in it`;
  const extra = Object.keys(error).filter((key) => !['code', 'message', 'params', 'rule', 'path'].includes(key));
  return extra.length > 0 ? `the error has extra keys ${extra.join(', ')}` : undefined;
}

/** The deadlines a deal must carry by its topic's definition; `dueAt` is the caller's model (the topic's limit, or an accepted change). */
function deadlineProblem(topic: CompiledSalesTopic, deal: Deal, dueAt: number | null): string | undefined {
  const stage = topic.stages.get(deal.stageId);
  if (stage === undefined) return `stage ${deal.stageId} is not in the topic`;
  const stageDueAt = stageDeadline(topic, stage, deal.stageEnteredAt);
  if (deal.stageDueAt !== stageDueAt) return `stageDueAt ${deal.stageDueAt} ≠ ${stageDueAt} implied by stageEnteredAt ${deal.stageEnteredAt}`;
  // The idle clock runs only while the deal is open; a finished deal keeps the number it had.
  if (deal.status === 'open') {
    const idleDueAt = idleDeadline(topic, stage, deal.lastActivityAt);
    if (deal.idleDueAt !== idleDueAt) return `idleDueAt ${deal.idleDueAt} ≠ ${idleDueAt} implied by lastActivityAt ${deal.lastActivityAt}`;
  } else if ((deal.idleDueAt === null) !== (stage.idleLimit === null)) return `idleDueAt ${deal.idleDueAt} on a stage ${stage.idleLimit === null ? 'without' : 'with'} an idle limit`;
  if (deal.dueAt !== dueAt) return `dueAt ${deal.dueAt} ≠ ${dueAt} (the topic's limit or the accepted change)`;
  return undefined;
}

/**
 * What the sequences of a run did, for statistics.
 *
 * @example
 * const stats = newStats(); runSequence(topic, at, steps, { stats }); stats.accepted;
 */
export interface SequenceStats {
  events: number;
  accepted: number;
  codes: Map<string, number>;
  types: Map<string, number>;
  finished: number;
}

/**
 * Empty counts for a whole property run.
 *
 * @example
 * const stats = newStats();
 */
export function newStats(): SequenceStats {
  return { events: 0, accepted: 0, codes: new Map(), types: new Map(), finished: 0 };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Options of {@link runSequence}. */
interface RunOptions {
  /** Also drive a live actor and xstate's `transition` and compare them with `applyEvent` (default true). */
  readonly machine?: boolean;
  /** Also check every accepted deal with `parseDeal` (default true); the last deal of a sequence is always checked. */
  readonly parse?: boolean;
  readonly stats?: SequenceStats;
  /** The function under test in place of `applyEvent`, so that a test can show each invariant catching a broken one. */
  readonly apply?: (topic: CompiledSalesTopic, deal: Deal, event: DealEvent) => ApplyResult;
}

/**
 * Opens a deal at `openedAt` and drives the steps through it, checking every
 * invariant after every event. Throws an Error naming the broken invariant
 * and listing the events so far.
 *
 * @example
 * runSequence(compiled, Date.parse('2026-03-02T09:00:00Z'), steps, { parse: false });
 */
export function runSequence(topic: CompiledSalesTopic, openedAt: number, steps: readonly Step[], options: RunOptions = {}): Deal {
  const withMachine = options.machine !== false;
  const withParse = options.parse !== false;
  const apply = options.apply ?? applyEvent;
  const log: unknown[] = [];
  const fail = (message: string): never => {
    throw new Error(`${message}\nafter the events:\n${log.map((event, index) => `  ${index}: ${safeJson(event)}`).join('\n')}`);
  };

  const opening = openLogged(topic, openedAt);
  const entries: DealLogEntry[] = [opening.entry];
  let deal = freeze(opening.deal);
  let dueAt = dealDeadline(topic, deal.openedAt);
  const opened = deadlineProblem(topic, deal, dueAt) ?? strictDiff(JSON.parse(JSON.stringify(deal)), deal);
  if (opened !== undefined) fail(`a new deal: ${opened}`);
  if (withParse) checkParse(topic, deal, fail);
  const actor = withMachine ? createDealActor(topic, deal).start() : undefined;
  let snapshot = withMachine ? dealSnapshot(topic, deal) : undefined;

  for (const step of steps) {
    const event = freeze(eventFor(topic, deal, step));
    log.push(event);
    const dealText = JSON.stringify(deal);
    const eventText = safeJson(event);
    let result: ApplyResult;
    try {
      result = apply(topic, deal, event as DealEvent);
    } catch (error) {
      return fail(`applyEvent threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (JSON.stringify(deal) !== dealText) fail('applyEvent changed the caller\'s deal');
    if (safeJson(event) !== eventText) fail('applyEvent changed the event');

    // The stored form (JSON keeps every deal exactly, checked on acceptance) answers the event the same way.
    const again = apply(topic, JSON.parse(dealText) as Deal, event as DealEvent);
    const replay = strictDiff(again, result);
    if (replay !== undefined) fail(`the deal read back from JSON answers differently: ${replay}`);

    if (options.stats) options.stats.events += 1;
    if (!result.ok) {
      const problem = errorProblem(result.error);
      if (problem !== undefined) fail(`a malformed rejection: ${problem}`);
      if (options.stats) bump(options.stats.codes, result.error.code);
    } else {
      const next = result.deal;
      if (next === deal) fail('an accepted event returned the same deal object');
      const stored = strictDiff(JSON.parse(JSON.stringify(next)), next);
      if (stored !== undefined) fail(`the new deal does not survive JSON: ${stored}`);
      if (next.revision !== deal.revision + 1) fail(`revision ${deal.revision} became ${next.revision}`);
      if (!topic.stages.has(next.stageId)) fail(`stage ${next.stageId} is not in the topic`);
      const { entry } = result;
      if (entry.revision !== next.revision || entry.dealId !== next.id) fail(`the log entry is revision ${entry.revision} of ${entry.dealId}, the deal ${next.revision} of ${next.id}`);
      if (entry.type !== (event as DealEvent).type || entry.at !== (event as DealEvent).at || entry.at !== next.lastEventAt) fail('the log entry does not record the event');
      if (entry.from !== deal.stageId || entry.to !== next.stageId || entry.status !== next.status) fail(`the log entry says ${entry.from} → ${entry.to} (${entry.status}), the deal went ${deal.stageId} → ${next.stageId} (${next.status})`);
      const logged = strictDiff(JSON.parse(JSON.stringify(entry)), entry) ?? (parseLogEntry(JSON.parse(JSON.stringify(entry))).ok ? undefined : 'parseLogEntry refuses it');
      if (logged !== undefined) fail(`the log entry is not storable: ${logged}`);
      entries.push(entry);
      if (deal.status !== 'open' && next.status === 'open' && (event as DealEvent).type !== 'moveToStage') fail(`a ${deal.status} deal reopened by ${(event as DealEvent).type}`);
      if (next.status === 'finished' && topic.closeEvents.size === 0) fail('a deal is finished on a topic that closes on the finish');
      const accepted = event as DealEvent;
      if (accepted.type === 'requestDeadlineChange' && topic.definition.deadlineChange.approval === 'none') dueAt = accepted.dueAt;
      if (accepted.type === 'approveDeadlineChange') dueAt = deal.pendingDeadlineChange?.dueAt ?? fail('approved without a pending change');
      const deadlines = deadlineProblem(topic, next, dueAt);
      if (deadlines !== undefined) fail(deadlines);
      if (JSON.stringify(result.effects) === undefined) fail('effects are not JSON');
      if (withParse) checkParse(topic, next, fail);
      if (options.stats) {
        options.stats.accepted += 1;
        bump(options.stats.types, accepted.type);
      }
      deal = freeze(next);
    }

    if (actor !== undefined && snapshot !== undefined) {
      if (!isRoutable(event)) {
        if (result.ok) fail('applyEvent accepted a value that is not an event');
        continue;
      }
      const before = actor.getSnapshot().context.deal;
      actor.send(event);
      [snapshot] = transition(topic.machine, snapshot, event);
      const live = actor.getSnapshot();
      if (live.status !== 'active') fail(`the actor is ${live.status}: ${String(live.error)}`);
      if (!result.ok && live.context.deal !== before) fail(`the actor accepted what applyEvent rejected (${result.error.code})`);
      const liveDiff = strictDiff(live.context.deal, deal);
      if (liveDiff !== undefined) fail(`the actor's deal differs from applyEvent's: ${liveDiff}`);
      const pureDiff = strictDiff(snapshot.context.deal, deal);
      if (pureDiff !== undefined) fail(`transition's deal differs from applyEvent's: ${pureDiff}`);
      const value = dealStateValue(deal);
      if (live.value !== value) fail(`the actor is in ${String(live.value)}, applyEvent says ${value}`);
      if (snapshot.value !== value) fail(`transition is in ${String(snapshot.value)}, applyEvent says ${value}`);
    }
  }
  actor?.stop();
  if (!withParse) checkParse(topic, deal, fail);
  // The log alone rebuilds the deal, read back from its stored form.
  const replayed = replayDeal(topic, JSON.parse(JSON.stringify(entries)) as unknown[]);
  if (!replayed.ok) fail(`the log does not replay: entry ${replayed.index}: ${replayed.error.message}`);
  else {
    const rebuilt = strictDiff(replayed.deal, deal);
    if (rebuilt !== undefined) fail(`replaying the log gives another deal: ${rebuilt}`);
  }
  if (options.stats && deal.status !== 'open') options.stats.finished += 1;
  return deal;
}

function checkParse(topic: CompiledSalesTopic, deal: Deal, fail: (message: string) => never): void {
  const parsed = parseDeal(topic, deal);
  if (!parsed.ok) fail(`parseDeal refused a deal applyEvent made: ${parsed.error.code} at ${parsed.error.path}: ${parsed.error.message}`);
  const diff = strictDiff(parsed.deal, deal);
  if (diff !== undefined) fail(`parseDeal changed the deal: ${diff}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
