/**
 * Walks one deal through the "New clients" topic of S1/S9, as a sales team would.
 *
 * The topic is examples/topics/new-clients.json. The walk shows the buttons a
 * screen shows, mandatory planning refusing an outcome (S33), a cyclic stay
 * that keeps the stage clock running (S9, S10), moves to the next stages,
 * a deadline change waiting for a director (S25), a stage that requires a
 * field, and the final contact whose effects the host carries out (S4, S5,
 * S35). Every step goes through `applyEvent`; nothing reads the clock. The
 * deal's log is kept beside the deal, from the entries `openDeal` and
 * `applyEvent` return, as a host appends them to its store.
 *
 * Run it with `npm run example walk-new-clients`.
 */
import { readFileSync } from 'node:fs';

import {
  applyEvent,
  availableOutcomes,
  checkPlanning,
  compileTopic,
  openDeal,
  type CrmUser,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type Effect,
} from 'crm-topics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 12 January 2026, 09:00 UTC: when the deal opens. */
const MONDAY = Date.parse('2026-01-12T09:00:00Z');

const manager: CrmUser = { id: 'manager-1', roles: ['manager'] };
const colleague: CrmUser = { id: 'manager-2', roles: ['manager'] };
const director: CrmUser = { id: 'director-1', roles: ['director'] };

const compiled = compileTopic(JSON.parse(readFileSync(new URL('./topics/new-clients.json', import.meta.url), 'utf8')));
if (compiled.kind !== 'sales') throw new Error('"New clients" is a sales topic');
const topic: CompiledSalesTopic = compiled;

console.log(`Topic "${topic.definition.name}" (${topic.id} v${topic.version}): ${topic.stageList.map((stage) => stage.id).join(' → ')}`);
const { planning, plannedContacts, sharedAssignmentOnFinish, afterClose } = topic.definition.parameters;
console.log(
  `Parameters: planning ${planning} (S33), planned contacts ${plannedContacts} (S4), shared assignment ${sharedAssignmentOnFinish} (S5), ` +
    `after close: activities ${afterClose.plannedActivities}, invoices ${afterClose.unpaidInvoices} (S35)`,
);

const opened = openDeal(topic, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: MONDAY, amount: 250_000 });
if (!opened.ok) throw new Error(opened.error.message);
let deal: Deal = opened.deal;
/** The deal's log, beside it: one entry per accepted change, starting with the opening. */
const log: DealLogEntry[] = [opened.entry];
console.log(`\nOpened ${deal.id} in "${deal.stageId}": stage due ${iso(deal.stageDueAt)}, deal due ${iso(deal.dueAt)}, revision ${deal.revision}`);

// What a deal screen shows as outcome buttons: each with whether it may be recorded now, and why not.
console.log('Buttons:');
for (const option of availableOutcomes(topic, deal, MONDAY + HOUR, manager)) {
  const needs = [option.kindRequired ? 'kind' : '', option.commentRequired ? 'comment' : ''].filter(Boolean).join(', ');
  const state = option.allowed ? 'enabled' : `disabled: ${option.error?.code}`;
  console.log(`  [${option.name}] ${option.id} → ${option.to ?? `finish ${option.finish}`}${option.cyclic ? ' (cyclic)' : ''}${option.global ? ' (global)' : ''}; ${state}${needs === '' ? '' : `; needs ${needs}`}`);
}
const planningCheck = checkPlanning(topic, deal, MONDAY + HOUR);
console.log(`checkPlanning: ${planningCheck.ok ? 'ok' : `${planningCheck.error.code} (${planningCheck.error.rule})`}`);

/** Applies one event and prints what happened; a rejection leaves `deal` as it was. */
function step(label: string, event: DealEvent): readonly Effect[] {
  const result = applyEvent(topic, deal, event);
  if (!result.ok) {
    console.log(`✗ ${label}: ${result.error.code} (${result.error.rule}) at ${result.error.path ?? '-'}: ${result.error.message}`);
    return [];
  }
  deal = result.deal;
  log.push(result.entry);
  const effects = result.effects.map((effect) => effect.type).join(', ');
  console.log(`✓ ${label}: ${deal.status} in "${deal.stageId}", revision ${deal.revision}${effects === '' ? '' : `; effects: ${effects}`}`);
  return result.effects;
}

console.log('\nThe walk:');
// S33: with mandatory planning, an outcome that keeps the deal going needs the next call or meeting planned.
step('could not reach the client, nothing planned', { type: 'recordOutcome', outcomeId: 'unreachable', at: MONDAY + HOUR, actor: manager });
step('plan call-1 for 12:00', { type: 'planActivity', activityId: 'call-1', kind: 'call', plannedFor: MONDAY + 3 * HOUR, at: MONDAY + HOUR, actor: manager });

// S9, S10: a cyclic outcome records call-1 and plans call-2 in the same event; the stage clock keeps running.
step('could not reach the client (records call-1, plans call-2)', {
  type: 'recordOutcome',
  outcomeId: 'unreachable',
  activityId: 'call-1',
  plan: { activityId: 'call-2', kind: 'call', plannedFor: MONDAY + DAY },
  at: MONDAY + 3 * HOUR,
  actor: manager,
});
console.log(`  still in "${deal.stageId}", stage entered ${iso(deal.stageEnteredAt)}, stage due ${iso(deal.stageDueAt)}: the cyclic outcome kept the clock`);

// A move to the next stage suggests its document template (S28).
const offerEffects = step('client interested (records call-2, plans meeting-1)', {
  type: 'recordOutcome',
  outcomeId: 'interested',
  activityId: 'call-2',
  plan: { activityId: 'meeting-1', kind: 'meeting', plannedFor: MONDAY + 2 * DAY },
  at: MONDAY + DAY,
  actor: manager,
});
for (const effect of offerEffects) if (effect.type === 'suggestDocuments') console.log(`  suggested templates: ${effect.documents.map((document) => document.template).join(', ')}`);

// S25: the topic requires approval of a new deadline by a director.
const dueBefore = deal.dueAt;
step('request a new deadline', { type: 'requestDeadlineChange', dueAt: MONDAY + 45 * DAY, reason: 'Budget approved in February', at: MONDAY + DAY + HOUR, actor: manager });
console.log(`  deal due still ${iso(deal.dueAt)}; waiting: ${iso(deal.pendingDeadlineChange?.dueAt ?? null)}`);
step('a colleague approves', { type: 'approveDeadlineChange', at: MONDAY + DAY + 2 * HOUR, actor: colleague });
step('the director approves', { type: 'approveDeadlineChange', at: MONDAY + DAY + 2 * HOUR, actor: director });
console.log(`  deal due ${iso(dueBefore)} → ${iso(deal.dueAt)}`);

const nextCall = (id: string, at: number) => ({ activityId: id, kind: 'call' as const, plannedFor: at + DAY });
step('offer accepted', { type: 'recordOutcome', outcomeId: 'offer-accepted', plan: nextCall('call-3', MONDAY + 2 * DAY), at: MONDAY + 2 * DAY, actor: manager });
step('invoice sent', { type: 'recordOutcome', outcomeId: 'invoice-sent', plan: nextCall('call-4', MONDAY + 3 * DAY), at: MONDAY + 3 * DAY, actor: manager });

// "Shipment" requires the delivery date before a deal enters it.
step('paid, without the delivery date', { type: 'recordOutcome', outcomeId: 'paid', plan: nextCall('call-5', MONDAY + 4 * DAY), at: MONDAY + 4 * DAY, actor: manager });
step('paid, with the delivery date', {
  type: 'recordOutcome',
  outcomeId: 'paid',
  fields: { 'delivery-date': '2026-01-20' },
  plan: nextCall('call-5', MONDAY + 4 * DAY),
  at: MONDAY + 4 * DAY,
  actor: manager,
});

// A colleague plans a meeting on the same deal; the manager then records the final contact.
step('a colleague plans meeting-2', { type: 'planActivity', activityId: 'meeting-2', kind: 'meeting', plannedFor: MONDAY + 6 * DAY, at: MONDAY + 4 * DAY + HOUR, actor: colleague });
console.log(`  planned: ${deal.activities.map((activity) => `${activity.id} by ${activity.authorId}`).join(', ')}`);
const finalEffects = step('goods shipped (the final contact, records call-5)', {
  type: 'recordOutcome',
  outcomeId: 'shipped',
  activityId: 'call-5',
  at: MONDAY + 5 * DAY,
  actor: manager,
});

// The host carries the effects out, in the same transaction that stores the deal.
console.log('\nThe host carries out the effects of the final contact:');
for (const effect of finalEffects) console.log(`  ${describe(effect)}`);

console.log(`\nFinished: ${deal.status}, ${deal.finish?.result} by ${deal.finish?.outcomeId}; ${log.length} log entries, revision ${deal.revision}`);
console.log(`Log: ${log.map((entry) => (entry.type === 'recordOutcome' ? entry.event.outcomeId : entry.type)).join(', ')}`);
const lastEntry = log.at(-1);
if (lastEntry !== undefined) console.log(`Last entry: revision ${lastEntry.revision}, ${lastEntry.type} by ${lastEntry.by} at ${iso(lastEntry.at)}, "${lastEntry.from}" → "${lastEntry.to}", ${lastEntry.status}`);

function describe(effect: Effect): string {
  switch (effect.type) {
    case 'removePlannedActivities':
      return `S4  remove ${effect.activityIds.join(', ')} (by ${effect.authorIds.join(', ')}) from the planned-events registry`;
    case 'createSharedAssignment':
      return `S5  assign ${effect.clientId} to the team as well (shared assignment)`;
    case 'cancelPlannedActivities':
      return `S35 cancel the planned activities ${effect.activityIds.join(', ')}`;
    case 'cancelUnpaidInvoices':
      return `S35 cancel the unpaid invoices of ${effect.clientId} for ${effect.dealId}`;
    case 'dealClosed':
      return `S34 deal ${effect.dealId} closed: ${effect.result}`;
    case 'suggestDocuments':
      return `S28 offer the templates ${effect.documents.map((document) => document.template).join(', ')}`;
    case 'activitiesPlanned':
      return `    put ${effect.activities.map((activity) => `"${activity.title}" (${activity.kind}, ${iso(activity.plannedFor)})`).join(', ')} in the calendar`;
    case 'requestApproval':
      return `S25 ask ${effect.approvers.map((approver) => ('role' in approver ? `role ${approver.role}` : `user ${approver.userId}`)).join(', ')} to approve ${iso(effect.dueAt)}`;
  }
}

function iso(at: number | null): string {
  return at === null ? 'none' : new Date(at).toISOString().replace(':00.000Z', 'Z');
}
