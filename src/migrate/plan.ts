/**
 * Planning the move of a topic's deals to its next version: where each deal
 * lands, and what stops it.
 *
 * @module
 */
import { compileTopic } from '../compile/compile.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledSalesTopic, CompiledTopic } from '../compile/compiled-topic.js';
import { checkDeal } from '../deal/check-deal.js';
import type { Deal } from '../deal/deal.js';
import { readableError } from '../deal/errors.js';
import { mergeFields, missingFields } from '../deal/fields.js';
import { TopicValidationError } from '../definition/issue.js';
import type { Approver, TopicDefinition } from '../definition/schema.js';
import { diffTopics, type TopicChange } from './diff.js';

/**
 * Where the deals of removed (or merged) stages go: old stage id → stage id
 * of the new version. An entry for a stage that still exists moves its deals
 * too.
 *
 * @example
 * const mapping: StageMapping = { payment: 'shipment' }; // "payment" was merged into "shipment"
 */
export type StageMapping = Readonly<Record<string, string>>;

/**
 * Why a plan cannot be applied.
 *
 * Plan-wide: `invalid_topic` (a version does not validate), `not_a_sales_topic`
 * (only sales topics have deals, S36), `topic_mismatch` (the versions belong to
 * different topics), `version_not_newer`, `invalid_mapping` (a mapping entry
 * names a stage the old version lacks, or one the new version lacks).
 *
 * Per deal: `invalid_deal` (malformed), `duplicate_deal` (the same id twice),
 * `topic_mismatch` (the deal is on another topic or version), `unknown_stage`
 * (its stage is not in the old version), `stage_removed` (its stage is gone
 * and the mapping says nothing), `required_fields_missing` (the landing stage
 * now requires fields the deal lacks), `invalid_field_value` (a value no longer
 * fits its field's new definition), `pending_deadline_change` (a request waits
 * for approval and the approval rules changed, S25), `cannot_close` (a
 * finished deal waits for a business event, and the new version closes on the
 * finish itself, S34), `unreadable_input` (an argument, or one deal, whose
 * getters or proxy traps throw: plain data, such as parsed JSON, never does).
 *
 * @example
 * const blocking = plan.conflicts.filter((conflict) => conflict.code === 'stage_removed').map((conflict) => conflict.dealId);
 */
export type MigrationConflictCode =
  | 'invalid_topic'
  | 'not_a_sales_topic'
  | 'topic_mismatch'
  | 'version_not_newer'
  | 'invalid_mapping'
  | 'invalid_deal'
  | 'duplicate_deal'
  | 'unknown_stage'
  | 'stage_removed'
  | 'required_fields_missing'
  | 'invalid_field_value'
  | 'pending_deadline_change'
  | 'cannot_close'
  | 'unreadable_input';

/**
 * One reason a plan cannot be applied, as data: `dealId` for a deal's
 * conflicts, `path` into the deal (or into the mapping, or `before`/`after`).
 *
 * @example
 * const conflict: MigrationConflict = {
 *   code: 'required_fields_missing',
 *   rule: 'required fields',
 *   dealId: 'deal-7',
 *   stageId: 'shipment',
 *   path: 'fields',
 *   fields: ['carrier'],
 *   message: 'Deal deal-7 would land in stage "shipment", which now requires fields it lacks: carrier.',
 * };
 */
export interface MigrationConflict {
  readonly code: MigrationConflictCode;
  readonly message: string;
  readonly rule?: string;
  readonly dealId?: string;
  /** The stage concerned: where the deal is, or would land. */
  readonly stageId?: string;
  readonly path?: string;
  /** The fields concerned, for `required_fields_missing` and `invalid_field_value`. */
  readonly fields?: readonly string[];
}

/**
 * What a plan does with one deal: `migrate` it from stage `from` to stage
 * `to` of the new version, let it `stay` on its version (closed deals), or
 * nothing because of its `conflicts`.
 *
 * @example
 * const step: DealMigration = { dealId: 'deal-1', revision: 4, status: 'open', action: 'migrate', from: 'payment', to: 'shipment', mapped: true, conflicts: [] };
 */
export interface DealMigration {
  readonly dealId: string;
  /** The deal's revision when planned: a deal changed since then is refused by `migrateDeal`. */
  readonly revision: number;
  readonly status: Deal['status'];
  readonly action: 'migrate' | 'stay' | 'conflict';
  /** The deal's stage in the old version. */
  readonly from: string;
  /** Its stage in the new version, or `null` when it stays or has no landing stage. */
  readonly to: string | null;
  /** It lands by the mapping rather than in the stage of the same id. */
  readonly mapped: boolean;
  readonly conflicts: readonly MigrationConflict[];
}

/**
 * The answer of {@link planMigration}. A plan with `ok: false` (any
 * conflict, plan-wide or of a deal) cannot be applied: `migrateDeal` refuses
 * every deal of it. Everything but `topic` is plain JSON.
 *
 * @example
 * const plan = planMigration(v1, v2, deals, { payment: 'shipment' });
 * if (!plan.ok) for (const conflict of plan.conflicts) console.log(conflict.dealId, conflict.message);
 */
export interface MigrationPlan {
  readonly topicId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly ok: boolean;
  readonly mapping: StageMapping;
  /** What changed between the versions, as {@link diffTopics} lists it. */
  readonly changes: readonly TopicChange[];
  /** One entry per deal given (malformed ones aside), in the order given. */
  readonly deals: readonly DealMigration[];
  /** Every conflict: plan-wide ones first, then the deals' in deal order. */
  readonly conflicts: readonly MigrationConflict[];
  /** The compiled new version the deals move to; `null` when it cannot be compiled. */
  readonly topic: CompiledSalesTopic | null;
}

/**
 * Plans moving deals from one version of a sales topic to the next. Each
 * open or finished deal lands in the stage of the same id, or where the
 * `mapping` sends its stage (required for a stage the new version removed);
 * closed deals stay on their version. The plan lists every conflict (see
 * {@link MigrationConflictCode}) and is applicable only without any.
 *
 * Decisions: a required field counts as missing only if the landing stage
 * newly requires it (a deal that already sits in a stage keeps what that
 * stage required before). A pending deadline change (S25) conflicts when
 * the approval rules changed at all (approval turned on or off, or the set of
 * approvers changed, order aside): the request went to the old approvers
 * under the old rules, so it must be approved or rejected on the old version
 * first. Values of fields the new version removed are not conflicts: the
 * migration entry keeps them (see `retiredFields`). Never throws; versions may be given as definitions or
 * compiled topics (a look-alike of a compiled topic is validated as a definition). A `deals` that is not
 * an array is `invalid_deal` at path `deals`; an argument whose getters or proxy traps throw is
 * `unreadable_input` (for one deal of the list, that deal's conflict). The arguments are never modified.
 *
 * @example
 * const plan = planMigration(v1, v2, await store.dealsOf('standard'), { payment: 'shipment' });
 * plan.deals.map((step) => `${step.dealId}: ${step.from} → ${step.to}`);
 */
export function planMigration(
  before: TopicDefinition | CompiledTopic,
  after: TopicDefinition | CompiledTopic,
  deals: readonly Deal[],
  mapping: StageMapping = {},
): MigrationPlan {
  try {
    return plan(before, after, deals, mapping);
  } catch (error) {
    // Only exotic arguments (a getter or proxy trap that throws) get here; plain data never does.
    const text = `The versions, the deals or the mapping could not be read (${readableError(error)}): pass plain data, such as parsed JSON.`;
    return { topicId: '', fromVersion: 0, toVersion: 0, ok: false, mapping: {}, changes: [], deals: [], conflicts: [conflict('unreadable_input', { text })], topic: null };
  }
}

function plan(before: TopicDefinition | CompiledTopic, after: TopicDefinition | CompiledTopic, deals: readonly Deal[], mapping: StageMapping): MigrationPlan {
  const conflicts: MigrationConflict[] = [];
  const old = compiled(before, 'before', conflicts);
  const next = compiled(after, 'after', conflicts);
  const header = {
    topicId: old?.id ?? idOf(before),
    fromVersion: old?.version ?? versionOf(before),
    toVersion: next?.version ?? versionOf(after),
    mapping,
  };
  if (old === undefined || next === undefined) return { ...header, ok: false, changes: [], deals: [], conflicts, topic: null };
  if (old.id !== next.id) conflicts.push(conflict('topic_mismatch', { text: `The new version belongs to topic "${next.id}", not "${old.id}".`, path: 'after.id' }));
  if (next.version <= old.version) {
    conflicts.push(conflict('version_not_newer', { text: `Version ${next.version} is not newer than version ${old.version}.`, path: 'after.version' }));
  }
  checkMapping(old, next, mapping, conflicts);

  const steps: DealMigration[] = [];
  if (!Array.isArray(deals)) conflicts.push(conflict('invalid_deal', { text: 'The deals must be an array of deals.', path: 'deals' }));
  const list: readonly unknown[] = Array.isArray(deals) ? deals : [];
  // Each deal's id, read once: a deal whose id cannot be read is unreadable, one without a string id malformed.
  const ids = list.map((deal): string | Error | undefined => {
    try {
      return isObject(deal) && typeof deal.id === 'string' ? deal.id : undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(readableError(error));
    }
  });
  const counts = new Map<string, number>();
  for (const id of ids) if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  list.forEach((deal, index) => {
    const dealId = ids[index];
    if (typeof dealId !== 'string') {
      conflicts.push(
        dealId === undefined
          ? conflict('invalid_deal', { text: `Deal #${index} is malformed: expected an object with an id.`, path: `[${index}]` })
          : conflict('unreadable_input', { text: `Deal #${index} could not be read (${readableError(dealId)}): pass plain data, such as parsed JSON.`, path: `[${index}]` }),
      );
      return;
    }
    let planned: DealMigration;
    try {
      planned = planDeal(old, next, deal as Deal, mapping, (counts.get(dealId) ?? 0) > 1);
    } catch (error) {
      // One unreadable deal does not stop the plan: it is that deal's conflict.
      const text = `Deal ${dealId} could not be read (${readableError(error)}): pass plain data, such as parsed JSON.`;
      const conflicts = [conflict('unreadable_input', { dealId, text, path: `[${index}]` })];
      planned = { dealId, revision: -1, status: 'open', action: 'conflict', from: '', to: null, mapped: false, conflicts };
    }
    steps.push(planned);
    conflicts.push(...planned.conflicts);
  });
  return { ...header, ok: conflicts.length === 0, changes: diffTopics(old.definition, next.definition), deals: steps, conflicts, topic: next };
}

function planDeal(old: CompiledSalesTopic, next: CompiledSalesTopic, deal: Deal, mapping: StageMapping, duplicate: boolean): DealMigration {
  const dealId = deal.id;
  const from = typeof deal.stageId === 'string' ? deal.stageId : '';
  const revision = typeof deal.revision === 'number' ? deal.revision : -1;
  const base = { dealId, revision, status: deal.status, from };
  if (deal.status === 'closed') return { ...base, action: 'stay', to: null, mapped: false, conflicts: [] };
  const found: MigrationConflict[] = [];
  if (duplicate) found.push(conflict('duplicate_deal', { dealId, text: `Deal ${dealId} is listed more than once.`, path: 'id' }));
  const broken = checkDeal(old, deal);
  if (broken !== undefined) {
    const code = broken.code === 'topic_mismatch' || broken.code === 'unknown_stage' ? broken.code : 'invalid_deal';
    found.push(conflict(code, { dealId, text: `Deal ${dealId}: ${broken.message}`, path: broken.path ?? '' }));
    return { ...base, action: 'conflict', to: null, mapped: false, conflicts: found };
  }
  const mapped = Object.hasOwn(mapping, from);
  const landing = next.stages.get(mapped ? (mapping[from] as string) : from);
  if (landing === undefined) {
    const text = `Deal ${dealId} is in stage "${from}", which the new version removed, and the mapping names no stage for it.`;
    found.push(conflict('stage_removed', { dealId, stageId: from, text, path: 'stageId' }));
  } else {
    const before = landing.id === from ? (old.stages.get(from)?.requiredFields ?? []) : [];
    const missing = missingFields(landing.requiredFields.filter((id) => !before.includes(id)), deal.fields);
    if (missing.length > 0) {
      const text = `Deal ${dealId} would land in stage "${landing.id}", which now requires fields it lacks: ${missing.join(', ')}.`;
      found.push(conflict('required_fields_missing', { dealId, stageId: landing.id, text, path: 'fields', fields: missing }));
    }
  }
  for (const [id, value] of Object.entries(deal.fields)) {
    if (!next.fields.has(id)) continue;
    const checked = mergeFields(next, {}, { [id]: value }, 'fields');
    if (!checked.ok) found.push(conflict('invalid_field_value', { dealId, text: `Deal ${dealId}: ${checked.error.message}`, path: `fields.${id}`, fields: [id] }));
  }
  if (deal.pendingDeadlineChange !== null && !sameApproval(old, next)) {
    const text = `Deal ${dealId} has a deadline change waiting for approval, and the approval rules changed: approve or reject it on version ${old.version} first.`;
    found.push(conflict('pending_deadline_change', { dealId, text, path: 'pendingDeadlineChange' }));
  }
  const dropped = deal.status === 'finished' ? [...old.closeEvents].filter((name) => !next.closeEvents.has(name)) : [];
  if (deal.status === 'finished' && next.closeEvents.size === 0) {
    const text = `Deal ${dealId} is finished and waits for a business event to close, but version ${next.version} closes deals on the finish itself: close it on version ${old.version} first.`;
    found.push(conflict('cannot_close', { dealId, text, path: 'status' }));
  } else if (dropped.length > 0) {
    // The deal waits for any of the old events; the host may be about to report one the new version would refuse.
    const text = `Deal ${dealId} is finished and waits for a business event to close, but version ${next.version} no longer closes on ${dropped.map((name) => `"${name}"`).join(', ')}: close it on version ${old.version} first.`;
    found.push(conflict('cannot_close', { dealId, text, path: 'status' }));
  }
  return { ...base, action: found.length === 0 ? 'migrate' : 'conflict', to: landing?.id ?? null, mapped, conflicts: found };
}

function checkMapping(old: CompiledSalesTopic, next: CompiledSalesTopic, mapping: StageMapping, conflicts: MigrationConflict[]): void {
  if (typeof mapping !== 'object' || mapping === null) {
    conflicts.push(conflict('invalid_mapping', { text: 'The mapping must be an object of old stage id → new stage id.', path: 'mapping' }));
    return;
  }
  for (const [from, to] of Object.entries(mapping)) {
    const path = `mapping.${from}`;
    if (!old.stages.has(from)) conflicts.push(conflict('invalid_mapping', { text: `The mapping names stage "${from}", which version ${old.version} does not have.`, path, stageId: from }));
    else if (typeof to !== 'string' || !next.stages.has(to)) {
      conflicts.push(conflict('invalid_mapping', { text: `The mapping sends stage "${from}" to ${JSON.stringify(to) ?? 'undefined'}, which is not a stage of version ${next.version}.`, path, stageId: from }));
    }
  }
}

/** Whether two versions decide deadline changes alike (S25): same mode, same approvers in any order. */
function sameApproval(old: CompiledSalesTopic, next: CompiledSalesTopic): boolean {
  const a = old.definition.deadlineChange;
  const b = next.definition.deadlineChange;
  const names = (approvers: readonly Approver[]) => [...new Set(approvers.map((approver) => ('role' in approver ? `role:${approver.role}` : `user:${approver.userId}`)))].sort();
  return a.approval === b.approval && JSON.stringify(names(a.approvers)) === JSON.stringify(names(b.approvers));
}

function compiled(topic: TopicDefinition | CompiledTopic, path: 'before' | 'after', conflicts: MigrationConflict[]): CompiledSalesTopic | undefined {
  let result: CompiledTopic;
  try {
    result = isCompiled(topic) ? topic : compileTopic(topic);
  } catch (error) {
    const detail = error instanceof TopicValidationError ? error.issues.map((issue) => `${issue.path || '(topic)'}: ${issue.message}`).slice(0, 3).join('; ') : String(error);
    conflicts.push(conflict('invalid_topic', { text: `The ${path === 'before' ? 'old' : 'new'} version is not a valid topic: ${detail}`, path }));
    return undefined;
  }
  if (result.kind === 'sales') return result;
  conflicts.push(conflict('not_a_sales_topic', { text: `Topic "${result.id}" is a ${result.kind} topic: it has no deals to migrate.`, path }));
  return undefined;
}

function isCompiled(topic: unknown): topic is CompiledTopic {
  return isCompiledTopic(topic);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function idOf(topic: unknown): string {
  return isObject(topic) && typeof topic.id === 'string' ? topic.id : '';
}

function versionOf(topic: unknown): number {
  return isObject(topic) && typeof topic.version === 'number' ? topic.version : 0;
}

const RULES: Readonly<Record<MigrationConflictCode, string>> = {
  invalid_topic: 'input',
  not_a_sales_topic: 'S36',
  topic_mismatch: 'versioning',
  version_not_newer: 'versioning',
  invalid_mapping: 'S7',
  invalid_deal: 'input',
  duplicate_deal: 'input',
  unknown_stage: 'S7',
  stage_removed: 'S7',
  required_fields_missing: 'required fields',
  invalid_field_value: 'S29',
  pending_deadline_change: 'S25',
  cannot_close: 'S34',
  unreadable_input: 'input',
};

interface ConflictDetails {
  readonly text: string;
  readonly dealId?: string;
  readonly stageId?: string;
  readonly path?: string;
  readonly fields?: readonly string[];
}

function conflict(code: MigrationConflictCode, details: ConflictDetails): MigrationConflict {
  const { text, ...rest } = details;
  return { code, rule: RULES[code], message: text, ...rest };
}
