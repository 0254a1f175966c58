/**
 * A seeded population of deals made with the real API, for the database
 * tests: open deals in every stage, finished and closed ones, deadline
 * changes approved and rejected, planned and completed activities, and an
 * occasional deal reopened by a director.
 */
import { applyEvent, openDeal, type CompiledSalesTopic, type Deal, type DealEvent, type DealLogEntry } from '../../src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const manager = { id: 'manager-1', roles: ['manager'] };
const director = { id: 'director-1', roles: ['director'] };
const admin = { id: 'admin', administrator: true };

/** A small seeded PRNG (mulberry32): the same seed gives the same population. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface PopulationOptions {
  readonly topics: readonly CompiledSalesTopic[];
  readonly count: number;
  readonly seed: number;
  /** Deals open between `start` and `start + spread`. */
  readonly start: number;
  readonly spread: number;
}

/** `count` deals spread over the topics, each walked through up to eight random events, with the log of entries the API returned. */
export function population({ topics, count, seed, start, spread }: PopulationOptions): { deal: Deal; entries: DealLogEntry[] }[] {
  const random = seededRandom(seed);
  const int = (below: number) => Math.floor(random() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const deals: { deal: Deal; entries: DealLogEntry[] }[] = [];
  for (let index = 0; index < count; index += 1) {
    const topic = topics[index % topics.length] as CompiledSalesTopic;
    let at = start + int(spread);
    const opened = openDeal(topic, { id: `deal-${String(index).padStart(6, '0')}`, clientId: `client-${index}`, ownerId: manager.id, at });
    if (!opened.ok) throw new Error(opened.error.message);
    let deal = opened.deal;
    const entries: DealLogEntry[] = [opened.entry];
    const steps = int(9);
    for (let step = 0; step < steps; step += 1) {
      at += MINUTE + int(2 * DAY);
      const event = nextEvent(topic, deal, at, random, pick);
      if (event === undefined) break;
      const result = applyEvent(topic, deal, event);
      if (result.ok) {
        deal = result.deal;
        entries.push(result.entry);
      }
    }
    deals.push({ deal, entries });
  }
  return deals;
}

function nextEvent(topic: CompiledSalesTopic, deal: Deal, at: number, random: () => number, pick: <T>(items: readonly T[]) => T): DealEvent | undefined {
  const roll = random();
  if (deal.status === 'finished') {
    const [name] = topic.closeEvents;
    return name !== undefined && roll < 0.5 ? { type: 'reportBusinessEvent', name, at, actor: manager } : undefined;
  }
  if (deal.status === 'closed') {
    // Now and then a director reopens a closed deal in some stage.
    return roll < 0.05 ? { type: 'moveToStage', stageId: pick(topic.stageList).id, reason: 'reopened', at, actor: admin } : undefined;
  }
  if (deal.pendingDeadlineChange !== null) {
    return roll < 0.6 ? { type: 'approveDeadlineChange', at, actor: director } : { type: 'rejectDeadlineChange', at, actor: director };
  }
  if (roll < 0.55) {
    const stage = topic.stages.get(deal.stageId);
    if (stage === undefined) return undefined;
    // Refusals come through the global outcome; keep them rarer than moving on.
    const outcomes = [...stage.outcomes.values()].filter((outcome) => !outcome.global || random() < 0.3);
    if (outcomes.length === 0) return undefined;
    const outcome = pick(outcomes);
    const kinds = [...outcome.kinds.values()];
    const kind = kinds.length > 0 && (outcome.kindRequired || random() < 0.2) ? pick(kinds) : undefined;
    return {
      type: 'recordOutcome',
      outcomeId: outcome.id,
      at,
      actor: manager,
      ...(kind === undefined ? {} : { kindId: kind.id }),
      comment: 'noted',
    };
  }
  if (roll < 0.75) {
    return { type: 'planActivity', activityId: `a-${deal.revision}`, kind: random() < 0.5 ? 'call' : 'meeting', plannedFor: at + Math.floor(random() * 3 * DAY), at, actor: manager };
  }
  if (roll < 0.85 && deal.activities.length > 0) {
    return { type: 'completeActivity', activityId: (deal.activities[0] as Deal['activities'][number]).id, at, actor: manager };
  }
  if (roll < 0.95 && deal.dueAt !== null) {
    // Ask for more time, or (now and then) less.
    const dueAt = Math.max(at + HOUR, deal.dueAt + Math.floor((random() - 0.2) * 20 * DAY));
    return { type: 'requestDeadlineChange', dueAt, reason: 'client asked', at, actor: manager };
  }
  return { type: 'setFields', fields: { carrier: 'ПЭК' }, at, actor: manager };
}
