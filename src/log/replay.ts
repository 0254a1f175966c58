/**
 * Rebuilding a deal from its log, the way durable engines replay a stored
 * history against new code.
 *
 * Each entry is carried out again: the `opened` entry through `openDeal`
 * with the input it kept, each event entry through `applyEvent` with the
 * event as it was applied, each `migrated` entry as the same move to the
 * new version. What that produces must be what the entry says it changed
 * (deal, revision, time, author, from and to which stage, status, and on
 * the versions of a topic also the version and a migration's retired values);
 * the first entry where it is not, or that the topic now refuses, stops the
 * replay with its index and why. Given one compiled topic, every entry is
 * replayed on it, whatever version the log names: the check of a new version
 * against stored histories before it ships. Given the versions of a topic,
 * each entry is replayed on the version it names.
 *
 * @module
 */
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import { applyEvent } from '../deal/apply.js';
import type { Deal } from '../deal/deal.js';
import { dealError, readableError, type DealError } from '../deal/errors.js';
import { entryEvent, parseLogEntry, type DealLogEntry } from '../deal/log-entry.js';
import { openDeal } from '../deal/open.js';
import { parseDeal } from '../deal/parse-deal.js';
import { moveToVersion } from '../migrate/migrate.js';

/**
 * The answer of {@link replayDeal}: the rebuilt deal, or the index of the
 * first entry that fails and why.
 *
 * @example
 * const result: ReplayResult = replayDeal(compiled, entries);
 * if (!result.ok) console.error(`entry ${result.index}: ${result.error.message}`);
 */
export type ReplayResult = { readonly ok: true; readonly deal: Deal } | { readonly ok: false; readonly index: number; readonly error: DealError };

/**
 * The answer of {@link replayEntry}: the deal after the entry, or why the entry fails.
 *
 * @example
 * const step: ReplayStep = replayEntry(compiled, deal, entry);
 */
export type ReplayStep = { readonly ok: true; readonly deal: Deal } | { readonly ok: false; readonly error: DealError };

/** One compiled topic (every entry replays on it), or the versions of one topic. */
export type ReplayTopics = CompiledTopic | readonly CompiledTopic[];

/**
 * Rebuilds a deal from its log: see the module notes. The entries are
 * checked one by one with `parseLogEntry` (a malformed entry is refused at
 * its index with its path), must follow each other (revision one more each
 * time, the same deal, times never going back, each starting where the
 * previous one ended) and must be what replaying them produces
 * (`replay_mismatch` names the part that differs). Never throws and never
 * modifies its arguments.
 *
 * @example
 * const entries = (await db.query('select entry from deal_entries where deal_id = $1 order by revision', ['d-1'])).rows.map((row) => row.entry);
 * const replayed = replayDeal(compiled, entries);
 * if (replayed.ok) assert.deepEqual(replayed.deal, storedDeal);
 */
export function replayDeal(topics: ReplayTopics, entries: Iterable<unknown>): ReplayResult {
  let index = -1;
  try {
    let deal: Deal | undefined;
    for (const entry of entries) {
      index += 1;
      const step = continueReplay(topics, deal, entry);
      if (!step.ok) return { ok: false, index, error: step.error };
      deal = step.deal;
    }
    if (deal === undefined) return { ok: false, index: 0, error: dealError('invalid_log_entry', { path: '(log)', detail: 'the log is empty: it starts with the "opened" entry', detailRu: 'журнал пуст: он начинается с записи «opened»' }) };
    return { ok: true, deal };
  } catch (error) {
    // Only an iterator, getter or proxy trap that throws gets here.
    return { ok: false, index: Math.max(index, 0), error: dealError('unreadable_input', { detail: readableError(error) }) };
  }
}

/**
 * Replays one entry on the deal rebuilt so far (`undefined` before the
 * `opened` entry): the step {@link replayDeal} takes for each entry, for
 * callers that stream a file or a table of logs and keep only the current
 * deal of each. The deal is checked first with `parseDeal` on the version it
 * names (its deadlines are not: a migration may have kept them), so a
 * damaged one is `invalid_deal` with its path, not blamed on the entry.
 * Never throws and never modifies its arguments.
 *
 * @example
 * const deals = new Map<string, Deal>();
 * for await (const entry of readEntries('log.jsonl')) {
 *   const step = replayEntry(compiled, deals.get(entry.dealId), entry);
 *   if (step.ok) deals.set(entry.dealId, step.deal);
 * }
 */
export function replayEntry(topics: ReplayTopics, deal: Deal | undefined, input: unknown): ReplayStep {
  try {
    if (deal !== undefined) {
      const version = typeof deal === 'object' && deal !== null ? (deal as { topicVersion?: unknown }).topicVersion : undefined;
      const topic = topicOfVersion(topics, typeof version === 'number' ? version : undefined);
      if (topic === undefined) return fail('invalid_deal', { path: 'topicVersion', detail: 'no topic given is the version the deal names', detailRu: 'среди переданных тем нет версии, указанной в сделке' }, 'topicVersion');
      const parsed = parseDeal(topic, deal, { deadlines: 'ignore' });
      if (!parsed.ok) return parsed;
    }
    return continueReplay(topics, deal, input);
  } catch (error) {
    return fail('unreadable_input', { detail: readableError(error) });
  }
}

/**
 * {@link replayEntry} without the check of the deal: for a deal the same
 * replay rebuilt, so known to be well formed (`replayDeal`, `crm-topics
 * replay`, where that check would cost a third of the time). Internal: not
 * exported from the package.
 *
 * @example
 * const step = continueReplay(compiled, deals.get(entry.dealId), entry);
 */
export function continueReplay(topics: ReplayTopics, deal: Deal | undefined, input: unknown): ReplayStep {
  try {
    const parsed = parseLogEntry(input);
    if (!parsed.ok) return parsed;
    const entry = parsed.entry;
    const topic = topicOfVersion(topics, entry.version);
    if (topic === undefined) return fail('invalid_topic', {}, 'topic');
    if (topic.kind !== 'sales') return fail('not_a_sales_topic', { id: topic.id, kind: topic.kind });
    const order = outOfOrder(deal, entry);
    if (order !== undefined) return { ok: false, error: order };
    const replayed = carryOut(topic, deal, entry);
    if (!replayed.ok) return replayed;
    const mismatch = difference(replayed.entry, entry, Array.isArray(topics));
    return mismatch === undefined ? { ok: true, deal: replayed.deal } : { ok: false, error: mismatch };
  } catch (error) {
    return fail('unreadable_input', { detail: readableError(error) });
  }
}

const fail = (...args: Parameters<typeof dealError>): ReplayStep => ({ ok: false, error: dealError(...args) });

/** The topic an entry or a deal replays on: the only one given, or the version it names. */
function topicOfVersion(topics: ReplayTopics, version: number | undefined): CompiledTopic | undefined {
  if (!Array.isArray(topics)) return isCompiledTopic(topics) ? topics : undefined;
  const found = (topics as readonly unknown[]).find((topic) => isCompiledTopic(topic) && topic.version === version);
  return found as CompiledTopic | undefined;
}

const broken = (path: string, detail: string, detailRu: string): DealError => dealError('invalid_log_entry', { path, detail, detailRu }, path);

/** Whether the entry follows the deal rebuilt so far. */
function outOfOrder(deal: Deal | undefined, entry: DealLogEntry): DealError | undefined {
  if (deal === undefined) return entry.type === 'opened' ? undefined : broken('type', 'a log starts with the "opened" entry', 'журнал начинается с записи «opened»');
  if (entry.type === 'opened') return broken('type', 'a deal is opened only once', 'сделка открывается только один раз');
  if (entry.dealId !== deal.id) return broken('dealId', `the entry is of deal "${entry.dealId}", the log of "${deal.id}"`, `запись относится к сделке «${entry.dealId}», а журнал — к «${deal.id}»`);
  if (entry.revision !== deal.revision + 1) return broken('revision', `expected revision ${deal.revision + 1} after ${deal.revision}, got ${entry.revision}`, `после ревизии ${deal.revision} ожидалась ${deal.revision + 1}, а указана ${entry.revision}`);
  if (entry.from !== deal.stageId) return broken('from', `the entry starts in "${entry.from}", but the deal is in "${deal.stageId}"`, `запись начинается на стадии «${entry.from}», а сделка на «${deal.stageId}»`);
  return undefined;
}

type Carried = { readonly ok: true; readonly deal: Deal; readonly entry: DealLogEntry } | { readonly ok: false; readonly error: DealError };

function carryOut(topic: CompiledSalesTopic, deal: Deal | undefined, entry: DealLogEntry): Carried {
  if (entry.type === 'opened') return openDeal(topic, entry.input);
  const current = deal as Deal;
  if (entry.type !== 'migrated') return applyEvent(topic, current, entryEvent(entry));
  const stage = topic.stages.get(entry.to) as CompiledStage | undefined;
  if (stage === undefined) return { ok: false, error: dealError('unknown_stage', { id: entry.to }, 'to') };
  if (entry.at < current.lastEventAt) return { ok: false, error: dealError('event_out_of_order', { at: entry.at, last: current.lastEventAt }, 'at') };
  // Replayed on one topic, a migration is a move within it; on its versions, the move to the next one.
  return { ok: true, ...moveToVersion(topic, current, stage, { deadlines: entry.deadlines, at: entry.at, by: entry.by, reason: entry.reason }) };
}

const COMPARED = ['dealId', 'revision', 'at', 'by', 'from', 'to', 'status'] as const;

/**
 * The first part of what an entry changed that replaying it does not give.
 * On the versions of a topic the versions and a migration's retired values
 * must match too; on one topic every entry lands on that topic's version,
 * so they cannot.
 */
function difference(replayed: DealLogEntry, logged: DealLogEntry, onVersions: boolean): DealError | undefined {
  const parts: [string, unknown, unknown][] = COMPARED.map((key) => [key, replayed[key], logged[key]]);
  if (onVersions) {
    parts.push(['version', replayed.version, logged.version]);
    if (replayed.type === 'migrated' && logged.type === 'migrated') {
      parts.push(['fromVersion', replayed.fromVersion, logged.fromVersion], ['retiredFields', canonical(replayed.retiredFields), canonical(logged.retiredFields)]);
    }
  }
  for (const [key, again, was] of parts) {
    if (again !== was) return dealError('replay_mismatch', { field: key, replayed: String(again), logged: String(was) }, key);
  }
  return undefined;
}

/** Retired values as one comparable string, keys in order. */
const canonical = (values: Readonly<Record<string, unknown>> | undefined): string =>
  JSON.stringify(Object.entries(values ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
