import type { CrmUser } from '../access/actor.js';
import { canEditTopic, canUseTopic, isApprover } from '../access/permissions.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import type { ActivityKind, Deal, DealFinish, FinishPolarity, DealStatus, PendingDeadlineChange, PlannedActivity } from './deal.js';
import { loggedEvent, type EventLogEntry } from './log-entry.js';
import { enterStage, idleDeadline } from './deadlines.js';
import { dealError, parseInput, readableError, type DealError } from './errors.js';
import { dealEventSchema, type DealEvent, type DealEventOf } from './events.js';
import type { Effect } from './effects.js';
import { mergeFields, missingFields } from './fields.js';
import { hasNextContact } from './planning.js';
import { checkDeal } from './check-deal.js';
import { stageEntry } from './stage-plans.js';
import { wellFormedEvent } from './event-check.js';

/** The answer of {@link applyEvent}: the new deal, the entry to append to its log and the effects to carry out, or why nothing changed. */
export type ApplyResult =
  | { readonly ok: true; readonly deal: Deal; readonly entry: EventLogEntry; readonly effects: readonly Effect[] }
  | { readonly ok: false; readonly error: DealError };

/** A writable copy of a type, for building the pieces of a new deal. */
type Draft<T> = { -readonly [K in keyof T]: T[K] };

type Rejection = { readonly ok: false; readonly error: DealError };
const reject = (error: DealError): Rejection => ({ ok: false, error });
const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

/**
 * Applies one event to a deal and returns the new deal, the entry to append
 * to its log (the event as applied, and what it changed) and the effects the
 * host must carry out, or a typed rejection. It never throws and never
 * modifies its arguments: on rejection the caller's deal is simply unchanged,
 * and on acceptance the new deal has `revision + 1`. The cost does not grow
 * with the deal's age: the deal holds no history.
 *
 * @example
 * const result = applyEvent(compiled, deal, {
 *   type: 'recordOutcome', outcomeId: 'interested', at: Date.now(), actor: { id: 'u-1' },
 *   plan: { activityId: 'call-2', kind: 'call', plannedFor: Date.now() + 86_400_000 },
 * });
 * if (result.ok) await store.save(result.deal, result.entry, { expectedRevision: deal.revision });
 * else console.warn(result.error.code, result.error.message);
 */
export function applyEvent(topic: CompiledTopic, deal: Deal, event: DealEvent): ApplyResult {
  if (!isCompiledTopic(topic)) return reject(dealError('invalid_topic', {}, 'topic'));
  try {
    return applyToDeal(topic, deal, event);
  } catch (error) {
    // Only exotic arguments (a getter or proxy trap that throws) get here; plain data never does.
    return reject(dealError('unreadable_input', { detail: readableError(error) }));
  }
}

function applyToDeal(topic: CompiledTopic, deal: Deal, event: DealEvent): ApplyResult {
  if (topic.kind !== 'sales') return reject(dealError('not_a_sales_topic', { id: topic.id, kind: topic.kind }));
  // The caller's event is read once, by the fast check or by parseInput; only the checked copy is used and stored.
  let valid = wellFormedEvent(event);
  if (valid === undefined) {
    const parsed = parseInput(dealEventSchema, event, 'invalid_event');
    if (!parsed.ok) return parsed;
    valid = parsed.data;
  }
  const checked = checkDeal(topic, deal);
  if (checked !== undefined) return reject(checked);
  return applyTrusted(topic, deal, valid);
}

/**
 * `applyEvent` for an event and a deal the library made itself (`simulate`
 * builds its events and holds the deals `applyEvent` returned): the same
 * rules without checking the event's shape and the deal's again. Internal:
 * anything from outside goes through `applyEvent`.
 */
export function applyTrusted(topic: CompiledSalesTopic, deal: Deal, valid: DealEvent): ApplyResult {
  if (valid.expectedRevision !== undefined && valid.expectedRevision !== deal.revision) {
    return reject(dealError('stale_revision', { actual: deal.revision, expected: valid.expectedRevision }, 'expectedRevision'));
  }
  if (valid.at < deal.openedAt) return reject(dealError('event_before_open', { at: valid.at, openedAt: deal.openedAt }, 'at'));
  const last = deal.lastEventAt;
  if (valid.at < last) return reject(dealError('event_out_of_order', { at: valid.at, last }, 'at'));
  if (topic.definition.access !== undefined && !canUseTopic(topic, valid.actor)) return reject(dealError('topic_access_denied', { actor: valid.actor.id, topic: topic.id }, 'actor'));
  const gate = statusGate(topic, deal.status, valid.type);
  if (gate !== undefined) return reject(gate);
  return handle(topic, deal, valid);
}

/** Which events a deal accepts in each status (S12, S34, S35). */
function statusGate(topic: CompiledSalesTopic, status: DealStatus, type: DealEvent['type']): DealError | undefined {
  if (status === 'open' || type === 'moveToStage') return undefined;
  if (status === 'finished') {
    const needsOpen = type === 'recordOutcome' || type === 'requestDeadlineChange' || type === 'approveDeadlineChange' || type === 'rejectDeadlineChange';
    return needsOpen ? dealError('deal_finished', { type }) : undefined;
  }
  // A closed deal keeps only the planned activities the topic lets survive the close (S35).
  const keepsActivities = topic.definition.parameters.afterClose.plannedActivities === 'keep';
  return keepsActivities && (type === 'completeActivity' || type === 'cancelActivity') ? undefined : dealError('deal_closed', { type });
}

function handle(topic: CompiledSalesTopic, deal: Deal, event: DealEvent): ApplyResult {
  switch (event.type) {
    case 'recordOutcome':
      return recordOutcome(topic, deal, event);
    case 'planActivity': {
      const activities = addActivity(deal.activities, event.activityId, event.kind, event.plannedFor, event.actor, event.at, '');
      if (!Array.isArray(activities)) return activities;
      const changes = refreshIdle(topic, deal, event.at);
      changes.activities = activities;
      return accept(deal, event, changes);
    }
    case 'completeActivity':
    case 'cancelActivity': {
      const activities = closeActivity(topic, deal.activities, event.activityId, event.actor, 'activityId');
      if (!Array.isArray(activities)) return activities;
      // Completing an activity is activity on the deal; cancelling one is not.
      const changes: Draft<Partial<Deal>> = event.type === 'completeActivity' ? refreshIdle(topic, deal, event.at) : {};
      changes.activities = activities;
      return accept(deal, event, changes);
    }
    case 'requestDeadlineChange':
      return requestDeadlineChange(topic, deal, event);
    case 'approveDeadlineChange':
    case 'rejectDeadlineChange': {
      const pending = deal.pendingDeadlineChange;
      if (pending === null) return reject(dealError('no_pending_deadline_change'));
      const { approvers, selfApproval } = topic.definition.deadlineChange;
      if (!isApprover(event.actor, approvers)) return reject(dealError('not_an_approver', { actor: event.actor.id }, 'actor'));
      // Four eyes: whoever asked for the new deadline does not approve it alone. Withdrawing one's own request (a rejection) stays open to them.
      if (event.type === 'approveDeadlineChange' && !selfApproval && pending.requestedBy === event.actor.id) return reject(dealError('self_approval', { actor: event.actor.id }, 'actor'));
      // Approving a deadline that has passed in the meantime would make the deal overdue at once.
      if (event.type === 'approveDeadlineChange' && pending.dueAt <= event.at) return reject(dealError('invalid_deadline', { dueAt: pending.dueAt, at: event.at }, 'at'));
      if (event.type === 'rejectDeadlineChange') return accept(deal, event, { pendingDeadlineChange: null });
      return accept(deal, event, { dueAt: pending.dueAt, agreedDueAt: pending.dueAt, pendingDeadlineChange: null });
    }
    case 'setFields': {
      const merged = mergeFields(topic, deal.fields, event.fields, 'fields');
      if (!merged.ok) return merged;
      return accept(deal, event, { fields: merged.fields });
    }
    case 'setAmount':
      // The amount the weighted pipeline and the reports count from now on; the entry keeps who set it and when.
      return accept(deal, event, { amount: event.amount });
    case 'reportBusinessEvent':
      return reportBusinessEvent(topic, deal, event);
    case 'moveToStage':
      return moveToStage(topic, deal, event);
  }
}

function recordOutcome(topic: CompiledSalesTopic, deal: Deal, event: DealEventOf<'recordOutcome'>): ApplyResult {
  const stage = topic.stages.get(deal.stageId) as CompiledStage;
  const outcome = stage.outcomes.get(event.outcomeId);
  if (outcome === undefined) return reject(dealError('unknown_outcome', { id: event.outcomeId, stage: stage.id }, 'outcomeId'));
  const kind = event.kindId === undefined ? undefined : outcome.kinds.get(event.kindId);
  if (event.kindId !== undefined && kind === undefined) return reject(dealError('kind_not_allowed', { kind: event.kindId, id: outcome.id }, 'kindId'));
  if (kind === undefined && outcome.kindRequired) return reject(dealError('kind_required', { id: outcome.id }, 'kindId'));
  if ((outcome.commentRequired || kind?.commentRequired === true) && (event.comment ?? '').trim() === '') {
    return reject(dealError('comment_required', kind?.commentRequired === true ? { kind: kind.id } : { id: outcome.id }, 'comment'));
  }
  let activities = deal.activities;
  if (event.activityId !== undefined) {
    const remaining = closeActivity(topic, activities, event.activityId, event.actor, 'activityId');
    if (!Array.isArray(remaining)) return remaining;
    activities = remaining;
  }
  if (event.plan !== undefined) {
    const { activityId, kind: activityKind, plannedFor } = event.plan;
    const planned = addActivity(activities, activityId, activityKind, plannedFor, event.actor, event.at, 'plan.');
    if (!Array.isArray(planned)) return planned;
    activities = planned;
  }
  let fields = deal.fields;
  if (event.fields !== undefined) {
    const merged = mergeFields(topic, fields, event.fields, 'fields');
    if (!merged.ok) return merged;
    fields = merged.fields;
  }
  const missingHere = missingFields(outcome.requiredFields, fields);
  if (missingHere.length > 0) return reject(dealError('outcome_fields_missing', { id: outcome.id, fields: missingHere.join(', ') }, 'fields'));
  if (outcome.amountRequired && (event.amount === undefined ? deal.amount : event.amount) === null) return reject(dealError('amount_required', { id: outcome.id }, 'amount'));
  if (outcome.finish !== null) return finishDeal(topic, deal, event, outcome.finish, activities, fields);

  const target = topic.stages.get(outcome.to as string) as CompiledStage;
  // A stage entered plans its activities (they count as the next contact, S33); a cyclic outcome enters nothing.
  const entered = outcome.cyclic ? undefined : stageEntry(topic, target, deal, activities, event.at, deal.revision + 1);
  if (entered !== undefined) {
    if (!entered.ok) return entered;
    activities = entered.activities;
  }
  if (topic.definition.parameters.planning === 'mandatory' && !hasNextContact(activities, event.at)) {
    return reject(dealError('planning_required', {}, 'plan'));
  }
  if (!outcome.cyclic) {
    const missing = missingFields(target.requiredFields, fields);
    if (missing.length > 0) return reject(dealError('required_fields_missing', { stage: target.id, fields: missing.join(', ') }, 'fields'));
  }
  const entering = !outcome.cyclic || outcome.restartsStageClock;
  const changes: Draft<Partial<Deal>> = entering ? enterStage(topic, target, event.at) : { lastActivityAt: event.at, idleDueAt: idleDeadline(topic, target, event.at) };
  changes.activities = activities;
  changes.fields = fields;
  if (event.amount !== undefined) changes.amount = event.amount;
  return accept(deal, event, changes, entered?.effects);
}

function finishDeal(
  topic: CompiledSalesTopic,
  deal: Deal,
  event: DealEventOf<'recordOutcome'>,
  result: FinishPolarity,
  recorded: readonly PlannedActivity[],
  fields: Deal['fields'],
): ApplyResult {
  const { parameters } = topic.definition;
  const effects: Effect[] = [];
  let activities = recorded;
  if (parameters.plannedContacts === 'anyone' && activities.some((activity) => activity.authorId !== event.actor.id)) {
    // S4: the final contact removes the other authors' planned contacts.
    const others = activities.filter((activity) => activity.authorId !== event.actor.id);
    effects.push({
      type: 'removePlannedActivities',
      dealId: deal.id,
      activityIds: others.map((activity) => activity.id),
      authorIds: [...new Set(others.map((activity) => activity.authorId))],
    });
    activities = activities.filter((activity) => activity.authorId === event.actor.id);
  }
  if (parameters.sharedAssignmentOnFinish) effects.push({ type: 'createSharedAssignment', dealId: deal.id, clientId: deal.clientId });
  // A negative finish closes at once; a positive one waits for the business event when the topic says so (S34).
  const closes = result === 'negative' || topic.closeEvents.size === 0;
  if (closes) activities = close(topic, deal, activities, result, effects);
  const finish: Draft<DealFinish> = { outcomeId: event.outcomeId, result, at: event.at, by: event.actor.id };
  if (event.kindId !== undefined) finish.kindId = event.kindId;
  if (event.comment !== undefined) finish.comment = event.comment;
  const changes: Draft<Partial<Deal>> = { activities, fields, status: closes ? 'closed' : 'finished', finish, pendingDeadlineChange: null, lastActivityAt: event.at };
  if (event.amount !== undefined) changes.amount = event.amount;
  return accept(deal, event, changes, effects);
}

/** The effects of closing a deal (S35, S34); returns the activities that survive the close. */
function close(topic: CompiledSalesTopic, deal: Deal, activities: readonly PlannedActivity[], result: 'positive' | 'negative', effects: Effect[]): readonly PlannedActivity[] {
  const { afterClose } = topic.definition.parameters;
  let remaining = activities;
  if (afterClose.plannedActivities === 'cancel' && activities.length > 0) {
    effects.push({ type: 'cancelPlannedActivities', dealId: deal.id, activityIds: activities.map((activity) => activity.id) });
    remaining = [];
  }
  if (afterClose.unpaidInvoices === 'cancel') effects.push({ type: 'cancelUnpaidInvoices', dealId: deal.id, clientId: deal.clientId });
  effects.push({ type: 'dealClosed', dealId: deal.id, result });
  return remaining;
}

function requestDeadlineChange(topic: CompiledSalesTopic, deal: Deal, event: DealEventOf<'requestDeadlineChange'>): ApplyResult {
  if (deal.pendingDeadlineChange !== null) return reject(dealError('deadline_change_pending'));
  if (event.dueAt <= event.at) return reject(dealError('invalid_deadline', { dueAt: event.dueAt, at: event.at }, 'dueAt'));
  const { approval, approvers } = topic.definition.deadlineChange;
  if (approval === 'none') return accept(deal, event, { dueAt: event.dueAt, agreedDueAt: event.dueAt });
  const pendingDeadlineChange: Draft<PendingDeadlineChange> = { dueAt: event.dueAt, requestedBy: event.actor.id, requestedAt: event.at };
  if (event.reason !== undefined) pendingDeadlineChange.reason = event.reason;
  return accept(deal, event, { pendingDeadlineChange }, [
    { type: 'requestApproval', dealId: deal.id, approvers, dueAt: event.dueAt, requestedBy: event.actor.id },
  ]);
}

function reportBusinessEvent(topic: CompiledSalesTopic, deal: Deal, event: DealEventOf<'reportBusinessEvent'>): ApplyResult {
  if (!topic.closeEvents.has(event.name)) return reject(dealError('unexpected_business_event', { name: event.name, open: 0 }, 'name'));
  if (deal.status !== 'finished') return reject(dealError('unexpected_business_event', { name: event.name, open: 1 }, 'name'));
  const effects: Effect[] = [];
  const activities = close(topic, deal, deal.activities, 'positive', effects);
  return accept(deal, event, { status: 'closed', activities }, effects);
}

function moveToStage(topic: CompiledSalesTopic, deal: Deal, event: DealEventOf<'moveToStage'>): ApplyResult {
  if (!canEditTopic(event.actor)) return reject(dealError('not_permitted', { actor: event.actor.id }, 'actor'));
  const target = topic.stages.get(event.stageId);
  if (target === undefined) return reject(dealError('unknown_stage', { id: event.stageId }, 'stageId'));
  const changes: Draft<Partial<Deal>> = enterStage(topic, target, event.at);
  changes.status = 'open';
  changes.finish = null;
  if (target.id === deal.stageId) return accept(deal, event, changes);
  const entered = stageEntry(topic, target, deal, deal.activities, event.at, deal.revision + 1);
  if (!entered.ok) return entered;
  changes.activities = entered.activities;
  return accept(deal, event, changes, entered.effects);
}

function refreshIdle(topic: CompiledSalesTopic, deal: Deal, at: number): Draft<Partial<Deal>> {
  const stage = topic.stages.get(deal.stageId) as CompiledStage;
  return { lastActivityAt: at, idleDueAt: deal.status === 'open' ? idleDeadline(topic, stage, at) : deal.idleDueAt };
}

function addActivity(
  activities: readonly PlannedActivity[],
  id: string,
  kind: ActivityKind,
  plannedFor: number,
  author: CrmUser,
  at: number,
  pathPrefix: string,
): PlannedActivity[] | Rejection {
  for (const activity of activities) if (activity.id === id) return reject(dealError('duplicate_activity', { id }, `${pathPrefix}activityId`));
  if (plannedFor < at) return reject(dealError('activity_in_past', { plannedFor, at }, `${pathPrefix}plannedFor`));
  const planned = activities.slice();
  planned.push({ id, kind, authorId: author.id, plannedFor });
  return planned;
}

/** Removes a planned activity, if the actor may close it (S4). */
function closeActivity(topic: CompiledSalesTopic, activities: readonly PlannedActivity[], id: string, actor: CrmUser, path: string): PlannedActivity[] | Rejection {
  const activity = activities.find((candidate) => candidate.id === id);
  if (activity === undefined) return reject(dealError('unknown_activity', { id }, path));
  if (activity.authorId !== actor.id && topic.definition.parameters.plannedContacts === 'author-only') {
    return reject(dealError('not_activity_author', { id, author: activity.authorId }, path));
  }
  return activities.filter((candidate) => candidate !== activity);
}

function accept(deal: Deal, event: DealEvent, changes: Partial<Deal>, effects: readonly Effect[] = NO_EFFECTS): ApplyResult {
  const stageId = changes.stageId ?? deal.stageId;
  const status = changes.status ?? deal.status;
  const revision = deal.revision + 1;
  const entry: EventLogEntry = { dealId: deal.id, revision, version: deal.topicVersion, at: event.at, by: event.actor.id, from: deal.stageId, to: stageId, status, type: event.type, event: loggedEvent(event) } as EventLogEntry;
  return { ok: true, deal: nextDeal(deal, changes, stageId, status, event.at, revision), entry, effects };
}

/**
 * The deal after an accepted event. Written out field by field rather than
 * spread or looped over: every deal then has the same shape and every access
 * is monomorphic, which is most of what keeps `applyEvent` fast.
 */
function nextDeal(deal: Deal, changes: Partial<Deal>, stageId: string, status: Deal['status'], at: number, revision: number): Deal {
  return {
    id: deal.id,
    topicId: deal.topicId,
    topicVersion: deal.topicVersion,
    clientId: deal.clientId,
    ownerId: deal.ownerId,
    status,
    stageId,
    negotiationsOngoing: changes.negotiationsOngoing === undefined ? deal.negotiationsOngoing : changes.negotiationsOngoing,
    openedAt: deal.openedAt,
    stageEnteredAt: changes.stageEnteredAt === undefined ? deal.stageEnteredAt : changes.stageEnteredAt,
    stageDueAt: changes.stageDueAt === undefined ? deal.stageDueAt : changes.stageDueAt,
    dueAt: changes.dueAt === undefined ? deal.dueAt : changes.dueAt,
    lastActivityAt: changes.lastActivityAt === undefined ? deal.lastActivityAt : changes.lastActivityAt,
    idleDueAt: changes.idleDueAt === undefined ? deal.idleDueAt : changes.idleDueAt,
    amount: changes.amount === undefined ? deal.amount : changes.amount,
    fields: changes.fields === undefined ? deal.fields : changes.fields,
    activities: changes.activities === undefined ? deal.activities : changes.activities,
    pendingDeadlineChange: changes.pendingDeadlineChange === undefined ? deal.pendingDeadlineChange : changes.pendingDeadlineChange,
    finish: changes.finish === undefined ? deal.finish : changes.finish,
    agreedDueAt: changes.agreedDueAt === undefined ? deal.agreedDueAt : changes.agreedDueAt,
    lastEventAt: at,
    revision,
  };
}
