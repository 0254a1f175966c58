/**
 * Moving one deal to the next version of its topic, as a plan says.
 *
 * @module
 */
import type { CompiledSalesTopic, CompiledStage } from '../compile/compiled-topic.js';
import type { Deal, HistoryEntry } from '../deal/deal.js';
import { dealDeadline, idleDeadline, stageDeadline } from '../deal/deadlines.js';
import type { DealMigration, MigrationPlan } from './plan.js';

/**
 * How a migrated deal's deadlines are set:
 *
 * - `recompute` (the default): from the deal's own clock starts with the new
 *   limits: `stageDueAt` from `stageEnteredAt` with the landing stage's limit
 *   (S6), `idleDueAt` from `lastActivityAt` with its idle limit, and `dueAt`
 *   from `openedAt` with the new maximum deal duration (S24), except when an
 *   approved deadline change set `dueAt` (see {@link approvedDeadline}): a
 *   person decided that date, so it stays. A deal that lands in another stage
 *   keeps its `stageEnteredAt`: merging stages gives no one extra time.
 * - `keep`: the three deadlines stay exactly as they were.
 *
 * @example
 * migrateDeal(plan, deal, { deadlines: 'keep' }); // grandfather the old limits
 */
export type DeadlinePolicy = 'keep' | 'recompute';

/**
 * Options of {@link migrateDeal}.
 *
 * @example
 * const options: MigrateOptions = { deadlines: 'recompute', at: Date.now(), by: 'admin', reason: 'Stages merged' };
 */
export interface MigrateOptions {
  /** How deadlines are set; `recompute` by default. */
  readonly deadlines?: DeadlinePolicy;
  /** When the migration happens (epoch ms); by default the time of the deal's last history entry. */
  readonly at?: number;
  /** Who migrates, for the history entry; `system` by default. */
  readonly by?: string;
  /** A note for the history entry, e.g. why the process changed. */
  readonly reason?: string;
}

/**
 * Why a deal was not migrated: `plan_has_conflicts` (the plan has conflicts,
 * so none of its deals move), `deal_not_in_plan`, `deal_stays` (a closed
 * deal stays on its version), `deal_conflict`, `stale_deal` (the deal changed
 * since it was planned: plan again), `invalid_deal`, `invalid_options`,
 * `event_out_of_order` (`at` is before the deal's last change).
 *
 * @example
 * if (!result.ok && result.error.code === 'stale_deal') plan = planMigration(v1, v2, await store.dealsOf(v1.id));
 */
export type MigrationErrorCode =
  | 'plan_has_conflicts'
  | 'deal_not_in_plan'
  | 'deal_stays'
  | 'deal_conflict'
  | 'stale_deal'
  | 'invalid_deal'
  | 'invalid_options'
  | 'event_out_of_order';

/**
 * Why {@link migrateDeal} refused, shaped like a deal error.
 *
 * @example
 * const error: MigrationError = { code: 'stale_deal', rule: 'compare-and-set', path: 'revision', message: 'Deal deal-1 changed since the plan was made (revision 5, planned at 4): plan again.' };
 */
export interface MigrationError {
  readonly code: MigrationErrorCode;
  readonly message: string;
  readonly rule?: string;
  readonly path?: string;
}

/**
 * The answer of {@link migrateDeal}.
 *
 * @example
 * const result: MigrateResult = migrateDeal(plan, deal);
 * if (result.ok) await store.save(result.deal);
 */
export type MigrateResult = { readonly ok: true; readonly deal: Deal } | { readonly ok: false; readonly error: MigrationError };

/**
 * The history entry a migration adds: `from` and `to` are the stages in the
 * old and the new version, `fromVersion` and `toVersion` the versions.
 *
 * @example
 * const entry: MigrationEntry = { type: 'migrated', at, by: 'system', from: 'payment', to: 'shipment', status: 'open', fromVersion: 1, toVersion: 2 };
 */
export interface MigrationEntry extends HistoryEntry {
  readonly type: 'migrated';
  readonly fromVersion: number;
  readonly toVersion: number;
}

const plans = new WeakMap<MigrationPlan, ReadonlyMap<string, DealMigration>>();

/**
 * Moves a deal to the new version of its topic as the plan says: the stage
 * the plan names, `topicVersion` of the new version, `negotiationsOngoing`
 * of the landing stage (S11), deadlines by the {@link DeadlinePolicy},
 * `revision + 1`, and the history with every old entry followed by exactly
 * one {@link MigrationEntry}. Fields, activities, the pending deadline change
 * and the finish are kept as they are. Refuses, without throwing, a deal of
 * a plan with conflicts, a deal the plan does not migrate, and a deal that
 * changed since it was planned.
 *
 * @example
 * const plan = planMigration(v1, v2, deals, { payment: 'shipment' });
 * for (const deal of deals) {
 *   const result = migrateDeal(plan, deal, { at: Date.now(), by: admin.id });
 *   if (result.ok) await store.save(result.deal, { expectedRevision: deal.revision });
 * }
 */
export function migrateDeal(plan: MigrationPlan, deal: Deal, options: MigrateOptions = {}): MigrateResult {
  const policy = options.deadlines ?? 'recompute';
  if (policy !== 'keep' && policy !== 'recompute') return refuse('invalid_options', `Unknown deadline policy ${JSON.stringify(policy)}: expected "keep" or "recompute".`, 'deadlines');
  if (options.at !== undefined && !(Number.isSafeInteger(options.at) && options.at >= 0)) return refuse('invalid_options', 'The migration time must be epoch milliseconds.', 'at');
  const topic = plan.topic;
  if (!plan.ok || topic === null) return refuse('plan_has_conflicts', `The plan has ${plan.conflicts.length} conflict(s): resolve them and plan again.`);
  if (typeof deal !== 'object' || deal === null || typeof deal.id !== 'string' || !Array.isArray(deal.history)) return refuse('invalid_deal', 'Expected a deal.');
  const step = stepsOf(plan).get(deal.id);
  if (step === undefined) return refuse('deal_not_in_plan', `Deal ${deal.id} is not in the plan: plan again with it.`, 'id');
  if (step.action === 'stay') return refuse('deal_stays', `Deal ${deal.id} is closed: it stays on version ${plan.fromVersion}.`, 'status');
  if (step.action !== 'migrate' || step.to === null) return refuse('deal_conflict', `Deal ${deal.id} has conflicts in the plan.`);
  if (deal.revision !== step.revision || deal.stageId !== step.from || deal.topicId !== plan.topicId || deal.topicVersion !== plan.fromVersion || deal.status !== step.status) {
    return refuse('stale_deal', `Deal ${deal.id} changed since the plan was made (revision ${deal.revision}, planned at ${step.revision}): plan again.`, 'revision');
  }
  const last = deal.history.at(-1)?.at ?? deal.openedAt;
  const at = options.at ?? last;
  if (at < last) return refuse('event_out_of_order', `The migration time ${at} is before the deal's last change (${last}).`, 'at');
  const stage = topic.stages.get(step.to) as CompiledStage;
  const deadlines = policy === 'keep' ? deal : recomputed(topic, stage, deal);
  const entry: MigrationEntry = {
    type: 'migrated',
    at,
    by: options.by ?? 'system',
    from: deal.stageId,
    to: stage.id,
    status: deal.status,
    fromVersion: deal.topicVersion,
    toVersion: topic.version,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  };
  return {
    ok: true,
    deal: {
      id: deal.id,
      topicId: deal.topicId,
      topicVersion: topic.version,
      clientId: deal.clientId,
      ownerId: deal.ownerId,
      status: deal.status,
      stageId: stage.id,
      negotiationsOngoing: stage.negotiationsOngoing,
      openedAt: deal.openedAt,
      stageEnteredAt: deal.stageEnteredAt,
      stageDueAt: deadlines.stageDueAt,
      dueAt: deadlines.dueAt,
      lastActivityAt: deal.lastActivityAt,
      idleDueAt: deadlines.idleDueAt,
      amount: deal.amount,
      fields: deal.fields,
      activities: deal.activities,
      pendingDeadlineChange: deal.pendingDeadlineChange,
      finish: deal.finish,
      history: [...deal.history, entry],
      revision: deal.revision + 1,
    },
  };
}

/**
 * The deal limit a person set, if one is in force: the deal's `dueAt` when
 * its history shows that date accepted as a deadline change (S25), by an
 * `approveDeadlineChange` entry, or by a `requestDeadlineChange` entry that
 * is not the request still waiting for approval (on a topic without approval
 * a request applies at once). Otherwise `null`: `dueAt` is the topic's limit.
 * `recompute` keeps this date rather than computing a new one.
 *
 * @example
 * approvedDeadline(deal); // e.g. Date.parse('2026-03-01T09:00:00Z') after an approved extension, else null
 */
export function approvedDeadline(deal: Deal): number | null {
  const dueAt = deal.dueAt;
  if (dueAt === null) return null;
  const pending = deal.pendingDeadlineChange;
  for (let index = deal.history.length - 1; index >= 0; index -= 1) {
    const entry = deal.history[index] as HistoryEntry;
    if (entry.dueAt !== dueAt) continue;
    if (entry.type === 'approveDeadlineChange') return dueAt;
    const stillPending = pending !== null && pending.requestedAt === entry.at && pending.dueAt === entry.dueAt;
    if (entry.type === 'requestDeadlineChange' && !stillPending) return dueAt;
  }
  return null;
}

function recomputed(topic: CompiledSalesTopic, stage: CompiledStage, deal: Deal): Pick<Deal, 'stageDueAt' | 'dueAt' | 'idleDueAt'> {
  return {
    stageDueAt: stageDeadline(topic, stage, deal.stageEnteredAt),
    dueAt: approvedDeadline(deal) ?? dealDeadline(topic, deal.openedAt),
    idleDueAt: idleDeadline(topic, stage, deal.lastActivityAt),
  };
}

function stepsOf(plan: MigrationPlan): ReadonlyMap<string, DealMigration> {
  let steps = plans.get(plan);
  if (steps === undefined) {
    // A deal listed twice is a conflict, so ids are unique in an applicable plan.
    steps = new Map(plan.deals.map((step) => [step.dealId, step]));
    plans.set(plan, steps);
  }
  return steps;
}

const RULES: Readonly<Record<MigrationErrorCode, string>> = {
  plan_has_conflicts: 'versioning',
  deal_not_in_plan: 'versioning',
  deal_stays: 'S34',
  deal_conflict: 'versioning',
  stale_deal: 'compare-and-set',
  invalid_deal: 'input',
  invalid_options: 'input',
  event_out_of_order: 'time',
};

function refuse(code: MigrationErrorCode, message: string, path?: string): MigrateResult {
  return { ok: false, error: { code, rule: RULES[code], message, ...(path === undefined ? {} : { path }) } };
}
