/**
 * Moving one deal to the next version of its topic, as a plan says.
 *
 * @module
 */
import * as z from 'zod';
import type { CompiledSalesTopic, CompiledStage } from '../compile/compiled-topic.js';
import type { Deal, FieldValue } from '../deal/deal.js';
import { parseLogEntry, type DealLogEntry, type MigrationLogEntry } from '../deal/log-entry.js';
import { dealDeadline, idleDeadline, stageDeadline } from '../deal/deadlines.js';
import { parseDeal } from '../deal/parse-deal.js';
import { readableError } from '../deal/errors.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { hasOwnProto } from '../util/plain-object.js';
import { fromZodIssues, zodParseOptions } from '../definition/zod-issues.js';
import type { DealMigration, MigrationPlan } from './plan.js';
import { MAX_TIME } from '../time/date.js';
import { labelSchema, textSchema } from '../definition/text.js';

/**
 * How a migrated deal's deadlines are set:
 *
 * - `recompute` (the default): from the deal's own clock starts with the new
 *   limits: `stageDueAt` from `stageEnteredAt` with the landing stage's limit
 *   (S6), `idleDueAt` from `lastActivityAt` with its idle limit, and `dueAt`
 *   from `openedAt` with the new maximum deal duration (S24), except when an
 *   accepted deadline change set `dueAt` (`deal.agreedDueAt`, S25): a
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
  /**
   * When the migration happens (epoch ms, a whole number from 0 to 8.64e15, the
   * range of a JavaScript date and of event times); by default the time of the
   * deal's last change (`lastEventAt`).
   */
  readonly at?: number;
  /** Who migrates, for the log entry (1 to 200 characters, like an actor id); `system` by default. */
  readonly by?: string;
  /** A note for the log entry, e.g. why the process changed; at most 10,000 characters. */
  readonly reason?: string;
}

/**
 * The zod schema of {@link MigrateOptions}: unknown keys are refused, so a
 * misspelt option is an error rather than silently ignored.
 */
const migrateOptionsSchema = z.strictObject({
  deadlines: z.enum(['keep', 'recompute']).optional(),
  at: z.number().int().min(0).max(MAX_TIME).optional(),
  by: labelSchema(200).optional(),
  reason: textSchema(10_000).optional(),
});

/**
 * Why a deal was not migrated: `plan_has_conflicts` (the plan has conflicts,
 * so none of its deals move), `deal_not_in_plan`, `deal_stays` (a closed
 * deal stays on its version), `deal_conflict`, `stale_deal` (the deal changed
 * since it was planned: plan again), `invalid_deal`, `invalid_options`,
 * `event_out_of_order` (`at` is before the deal's last change),
 * `invalid_plan` (not a plan `planMigration` returned, or one whose topic is
 * not a compiled topic), `unreadable_input` (the plan, the deal or the
 * options have getters or proxy traps that throw).
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
  | 'event_out_of_order'
  | 'invalid_plan'
  | 'unreadable_input';

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
 * if (result.ok) await store.save(result.deal, result.entry);
 */
export type MigrateResult = { readonly ok: true; readonly deal: Deal; readonly entry: MigrationLogEntry } | { readonly ok: false; readonly error: MigrationError };

/**
 * The log entry a migration appends: `from` and `to` are the stages in the
 * old and the new version, `fromVersion` and `version` the versions.
 *
 * @example
 * const entry: MigrationEntry = { dealId: 'd-1', revision: 5, version: 2, fromVersion: 1, type: 'migrated', at, by: 'system', from: 'payment', to: 'shipment', status: 'open', deadlines: 'recompute' };
 */
export type MigrationEntry = MigrationLogEntry;

const plans = new WeakMap<MigrationPlan, ReadonlyMap<string, DealMigration>>();

/**
 * Moves a deal to the new version of its topic as the plan says: the stage
 * the plan names, `topicVersion` of the new version, `negotiationsOngoing`
 * of the landing stage (S11), deadlines by the {@link DeadlinePolicy},
 * `revision + 1`, and the {@link MigrationEntry} to append to its log.
 * Activities, the pending deadline change and
 * the finish are kept as they are, and so are the fields the new version
 * still has; values of fields it removed move to the entry's `retiredFields`
 * (see {@link retiredFields}), so nothing is lost and field rules never see
 * them. Refuses, without throwing, options that are not valid
 * {@link MigrateOptions} (`invalid_options` with the `path` of the option;
 * `null` or no options means the defaults), a deal of a plan with conflicts,
 * a deal the plan does not migrate, a deal that changed since it was planned,
 * and a deal whose result would not pass `parseDeal` on the new version
 * (`invalid_deal`): whatever it returns is a valid stored deal of that version.
 * Never throws: something other than a plan is `invalid_plan`, and a plan,
 * deal or options whose getters or proxy traps throw is `unreadable_input`;
 * the deal, the plan and the options are never modified.
 *
 * @example
 * const plan = planMigration(v1, v2, deals, { payment: 'shipment' });
 * for (const deal of deals) {
 *   const result = migrateDeal(plan, deal, { at: Date.now(), by: admin.id });
 *   if (result.ok) await store.save(result.deal, result.entry, { expectedRevision: deal.revision });
 * }
 */
export function migrateDeal(plan: MigrationPlan, deal: Deal, options?: MigrateOptions | null): MigrateResult {
  try {
    return migrate(plan, deal, options);
  } catch (error) {
    // Only exotic arguments (a getter or proxy trap that throws) get here; plain data never does.
    return refuse('unreadable_input', `The plan, the deal or the options could not be read (${readableError(error)}): pass plain data, such as parsed JSON.`);
  }
}

function isPlan(plan: unknown): plan is MigrationPlan {
  if (typeof plan !== 'object' || plan === null) return false;
  const candidate = plan as Partial<MigrationPlan>;
  return typeof candidate.ok === 'boolean' && Array.isArray(candidate.deals) && Array.isArray(candidate.conflicts) && (candidate.topic === null || isCompiledTopic(candidate.topic));
}

function migrate(plan: MigrationPlan, deal: Deal, options: MigrateOptions | null | undefined): MigrateResult {
  if (!isPlan(plan)) return refuse('invalid_plan', 'Expected a plan returned by planMigration.');
  const parsedOptions = readOptions(options);
  if (!parsedOptions.ok) return parsedOptions;
  const checked = parsedOptions.options;
  const policy = checked.deadlines ?? 'recompute';
  const topic = plan.topic;
  const known = typeof deal === 'object' && deal !== null && typeof deal.id === 'string' && typeof deal.lastEventAt === 'number';
  const step = known ? stepsOf(plan).get(deal.id) : undefined;
  if (!plan.ok || topic === null) {
    // Name the deal's own conflict, if it has one, so that the caller sees why this deal cannot move.
    const own = step?.conflicts[0];
    const detail = own === undefined ? '' : ` Deal ${step?.dealId ?? ''}: ${own.code}${own.rule === undefined ? '' : ` (${own.rule})`}: ${own.message}`;
    return refuse('plan_has_conflicts', `The plan has ${plan.conflicts.length} conflict(s): resolve them and plan again.${detail}`, own?.path);
  }
  if (!known) return refuse('invalid_deal', 'Expected a deal.');
  if (step === undefined) return refuse('deal_not_in_plan', `Deal ${deal.id} is not in the plan: plan again with it.`, 'id');
  if (step.action === 'stay') return refuse('deal_stays', `Deal ${deal.id} is closed: it stays on version ${plan.fromVersion}.`, 'status');
  if (step.action !== 'migrate' || step.to === null) return refuse('deal_conflict', `Deal ${deal.id} has conflicts in the plan: ${step.conflicts.map((found) => found.code).join(', ')}.`);
  if (deal.revision !== step.revision || deal.stageId !== step.from || deal.topicId !== plan.topicId || deal.topicVersion !== plan.fromVersion || deal.status !== step.status) {
    return refuse('stale_deal', `Deal ${deal.id} changed since the plan was made (revision ${deal.revision}, planned at ${step.revision}): plan again.`, 'revision');
  }
  const last = deal.lastEventAt;
  const at = checked.at ?? last;
  if (at < last) return refuse('event_out_of_order', `The migration time ${at} is before the deal's last change (${last}).`, 'at');
  if (hasOwnProto(deal.fields)) return refuse('invalid_deal', `Deal ${deal.id} has an own "__proto__" key in its fields, which is not a field id.`, 'fields.__proto__');
  const { deal: moved, entry } = moveToVersion(topic, deal, topic.stages.get(step.to) as CompiledStage, { deadlines: policy, at, by: checked.by ?? 'system', reason: checked.reason });
  // The moved deal must be one the new version accepts as stored: a deal that was already broken is refused here, not written.
  const parsed = parseDeal(topic, moved, { deadlines: policy === 'keep' ? 'ignore' : 'check' });
  if (!parsed.ok) return refuse('invalid_deal', `Deal ${deal.id} would not be a valid deal of version ${topic.version}: ${parsed.error.message}`, parsed.error.path);
  // The values of removed fields leave the deal for the log: they must be values a log entry may keep.
  const logged = parseLogEntry(entry);
  if (!logged.ok) return refuse('invalid_deal', `Deal ${deal.id} has a value the log cannot keep: ${logged.error.message}`, logged.error.path?.replace(/^retiredFields/, 'fields'));
  return { ok: true, deal: moved, entry };
}

/** What a migration step needs besides the deal and the landing stage. */
export interface MoveToVersionOptions {
  readonly deadlines: DeadlinePolicy;
  readonly at: number;
  readonly by: string;
  readonly reason?: string | undefined;
}

/**
 * The deal moved to `stage` of `topic` (another version of its topic), and
 * the log entry that records it, unchecked: `migrateDeal` checks the result,
 * and `replayDeal` compares it with the logged entry.
 *
 * @example
 * const { deal: moved, entry } = moveToVersion(v2, deal, v2.stages.get('shipment'), { deadlines: 'recompute', at, by: 'system' });
 */
export function moveToVersion(topic: CompiledSalesTopic, deal: Deal, stage: CompiledStage, options: MoveToVersionOptions): { readonly deal: Deal; readonly entry: MigrationLogEntry } {
  const { deadlines: policy, at, by, reason } = options;
  const deadlines = policy === 'keep' ? deal : recomputed(topic, stage, deal);
  const fields: Record<string, FieldValue> = {};
  const retired: Record<string, FieldValue> = {};
  for (const [id, value] of Object.entries(deal.fields)) {
    if (topic.fields.has(id)) fields[id] = value;
    else retired[id] = value;
  }
  const revision = deal.revision + 1;
  const entry: MigrationLogEntry = {
    dealId: deal.id,
    revision,
    version: topic.version,
    at,
    by,
    from: deal.stageId,
    to: stage.id,
    status: deal.status,
    type: 'migrated',
    fromVersion: deal.topicVersion,
    deadlines: policy,
    ...(reason === undefined ? {} : { reason }),
    ...(Object.keys(retired).length === 0 ? {} : { retiredFields: retired }),
  };
  const moved: Deal = {
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
    fields,
    activities: deal.activities,
    pendingDeadlineChange: deal.pendingDeadlineChange,
    finish: deal.finish,
    agreedDueAt: deal.agreedDueAt,
    lastEventAt: at,
    revision,
  };
  return { deal: moved, entry };
}

/**
 * The values of fields that migrations removed from the deal's topic, as the
 * `migrated` entries of its log keep them: field id → its last value. A
 * field removed twice (removed, added back, removed again) gives the later
 * value; the earlier stays in its own entry. Field rules never see these.
 *
 * @example
 * retiredFields(await store.history('d-1')); // { 'delivery-date': '2026-02-01' } after a version without that field
 */
export function retiredFields(entries: Iterable<DealLogEntry>): Readonly<Record<string, FieldValue>> {
  const values: Record<string, FieldValue> = {};
  for (const entry of entries) if (entry.type === 'migrated' && entry.retiredFields !== undefined) Object.assign(values, entry.retiredFields);
  return values;
}

function readOptions(options: unknown): { readonly ok: true; readonly options: z.output<typeof migrateOptionsSchema> } | { readonly ok: false; readonly error: MigrationError } {
  if (options === undefined || options === null) return { ok: true, options: {} };
  let parsed: ReturnType<typeof migrateOptionsSchema.safeParse>;
  try {
    parsed = migrateOptionsSchema.safeParse(options, zodParseOptions('en'));
  } catch (error) {
    return { ok: false, error: refusal('invalid_options', `The options could not be read (${readableError(error)}).`) };
  }
  if (parsed.success) return { ok: true, options: parsed.data };
  const first = fromZodIssues(parsed.error.issues, 'en')[0];
  const path = first?.path ?? '';
  return { ok: false, error: refusal('invalid_options', `Invalid migration option ${path === '' ? '(options)' : path}: ${first?.message ?? 'malformed'}`, path === '' ? undefined : path) };
}

function recomputed(topic: CompiledSalesTopic, stage: CompiledStage, deal: Deal): Pick<Deal, 'stageDueAt' | 'dueAt' | 'idleDueAt'> {
  return {
    stageDueAt: stageDeadline(topic, stage, deal.stageEnteredAt),
    dueAt: deal.agreedDueAt ?? dealDeadline(topic, deal.openedAt),
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
  invalid_plan: 'input',
  unreadable_input: 'input',
};

function refusal(code: MigrationErrorCode, message: string, path?: string): MigrationError {
  return { code, rule: RULES[code], message, ...(path === undefined ? {} : { path }) };
}

function refuse(code: MigrationErrorCode, message: string, path?: string): MigrateResult {
  return { ok: false, error: refusal(code, message, path) };
}
