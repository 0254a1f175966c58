import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { Deal } from './deal.js';
import type { OpenedLogEntry } from './log-entry.js';
import { openDealInputSchema, type OpenDealInput } from './open-input.js';
import { dealDeadline, enterStage } from './deadlines.js';
import { stageEntry } from './stage-plans.js';
import { dealError, parseInput, type DealError } from './errors.js';
import { canUseTopic } from '../access/permissions.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { Effect } from './effects.js';
import { mergeFields, missingFields } from './fields.js';

/** What the host knows around a new deal: the client's other deals on the topic (S32). */
export interface OpenDealContext {
  /** The client's deals on this topic that are not closed; others are ignored. */
  readonly clientDeals?: readonly Deal[];
}

/** The answer of {@link openDeal}. */
export type OpenDealResult =
  | { readonly ok: true; readonly deal: Deal; readonly entry: OpenedLogEntry; readonly effects: readonly Effect[] }
  | { readonly ok: false; readonly error: DealError };

export type { OpenDealInput };

/**
 * Opens a deal in the first stage of a sales topic (S36), with its deadlines
 * set: the stage's (S6) and the whole deal's (S24), and the first entry of
 * its log, which keeps the checked input. Refuses a second open
 * deal for the same client when the topic forbids concurrent deals (S32).
 * Never throws.
 *
 * @example
 * const opened = openDeal(compiled, { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: Date.now() }, { clientDeals: await store.openDealsOf('c-1') });
 * if (opened.ok) await store.insert(opened.deal, opened.entry);
 */
export function openDeal(topic: CompiledTopic, input: OpenDealInput, context: OpenDealContext = {}): OpenDealResult {
  if (!isCompiledTopic(topic)) return { ok: false, error: dealError('invalid_topic', {}, 'topic') };
  if (topic.kind !== 'sales') return { ok: false, error: dealError('not_a_sales_topic', { id: topic.id, kind: topic.kind }) };
  const parsed = parseInput(openDealInputSchema, input, 'invalid_input');
  if (!parsed.ok) return parsed;
  const checked = parsed.data;
  const { id, clientId, ownerId, at, actor, amount, fields: values } = checked;
  // Without an actor, the owner opens the deal: known by id only, so only the topic's user list can let them in.
  if (topic.definition.access !== undefined && !canUseTopic(topic, actor ?? { id: ownerId })) {
    return { ok: false, error: dealError('topic_access_denied', { actor: actor?.id ?? ownerId, topic: topic.id }, actor === undefined ? 'ownerId' : 'actor') };
  }
  if (topic.definition.parameters.concurrentDeals === 'forbidden') {
    // The host's list decides S32, so a list that is not one of deals is refused rather than read as "none".
    const running = runningDeal(context, topic.id, clientId, id);
    if (running === false) {
      return { ok: false, error: dealError('invalid_input', { path: 'clientDeals', detail: 'expected a list of readable deals', detailRu: 'ожидался список читаемых сделок' }, 'clientDeals') };
    }
    if (running !== undefined) return { ok: false, error: dealError('concurrent_deal', { client: clientId, deal: running }, 'clientId') };
  }
  const merged = mergeFields(topic, {}, values ?? {}, 'fields');
  if (!merged.ok) return merged;
  const first = topic.firstStage;
  const missing = missingFields(first.requiredFields, merged.fields);
  if (missing.length > 0) return { ok: false, error: dealError('required_fields_missing', { stage: first.id, fields: missing.join(', ') }, 'fields') };
  const clocks = enterStage(topic, first, at);
  const entered = stageEntry(topic, first, { id, ownerId }, [], at, 1);
  if (!entered.ok) return entered;
  const deal: Deal = {
    id,
    topicId: topic.id,
    topicVersion: topic.version,
    clientId,
    ownerId,
    status: 'open',
    ...clocks,
    openedAt: at,
    dueAt: dealDeadline(topic, at),
    amount: amount ?? null,
    fields: merged.fields,
    activities: entered.activities,
    pendingDeadlineChange: null,
    finish: null,
    agreedDueAt: null,
    lastEventAt: at,
    revision: 1,
  };
  const entry: OpenedLogEntry = { dealId: id, revision: 1, version: topic.version, at, by: actor?.id ?? ownerId, from: first.id, to: first.id, status: 'open', type: 'opened', input: checked };
  return { ok: true, deal, entry, effects: entered.effects };
}

/**
 * The id of the client's other deal on this topic that is still running (S32), or
 * `false` when the host's list cannot be read as deals: a list that is not
 * one is refused rather than read as "none", and a getter or proxy that
 * throws on the way is refused the same way.
 */
function runningDeal(context: OpenDealContext | null | undefined, topicId: string, clientId: string, id: string): string | undefined | false {
  try {
    const clientDeals: unknown = context?.clientDeals;
    if (clientDeals === undefined) return undefined;
    if (!Array.isArray(clientDeals) || !clientDeals.every((deal) => typeof deal === 'object' && deal !== null)) return false;
    for (const deal of clientDeals as readonly Deal[]) {
      const dealId: unknown = deal.id;
      if (deal.clientId === clientId && deal.topicId === topicId && deal.status !== 'closed' && dealId !== id) return String(dealId);
    }
    return undefined;
  } catch {
    return false;
  }
}
