/**
 * Version 2 of the standard topic, and the migration of its open deals.
 *
 * A director edits the topic (a manager may not, S2) by merging "payment"
 * into "shipment" and shortening the commercial offer to two days; the diff
 * lists the changes; the migration plan refuses until a mapping says where
 * the deal in the removed stage goes; then every open deal migrates with its
 * deadlines recomputed (or kept), the closed deal stays on version 1, and
 * the migrated deals carry on under version 2. Each deal's log is kept
 * beside it from the entries the API returns; the migration appends its own
 * entry, and the log alone rebuilds the migrated deal (`replayDeal`).
 *
 * Run it with `npm run example migrate-deals`.
 */
import { isDeepStrictEqual } from 'node:util';

import {
  applyEvent,
  compileTopic,
  diffTopics,
  editTopic,
  migrateDeal,
  openDeal,
  overdue,
  planMigration,
  replayDeal,
  standardTopic,
  type CrmUser,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealLogEntry,
  type MigrationPlan,
} from 'crm-topics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
/** When the administrator runs the migration. */
const MIGRATION = Date.parse('2026-01-14T20:00:00Z');

const manager: CrmUser = { id: 'manager-1', roles: ['manager'] };
const director: CrmUser = { id: 'director-1', roles: ['director'] };

const v1 = sales(compileTopic(standardTopic));

// 1. Edit the topic: one batch is one new version, validated once at the end.
const edits = [
  { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' },
  { op: 'updateStage', stageId: 'offer', changes: { maxDuration: 'P2D' } },
] as const;
const refused = editTopic(standardTopic, manager, [...edits]);
if (!refused.ok) console.log(`A manager edits: ${refused.issues.map((issue) => `${issue.code} (${issue.rule})`).join(', ')}`);
const edited = editTopic(standardTopic, director, [...edits]);
if (!edited.ok) throw new Error(edited.issues.map((issue) => issue.message).join('\n'));
const v2definition = edited.topic;
console.log(`The director edits: version ${standardTopic.version} → ${v2definition.version}, stages ${v2definition.kind === 'sales' ? v2definition.stages.map((stage) => stage.id).join(', ') : ''}`);

// 2. What changed, as crm-topics diff prints it.
console.log('\nChanges:');
for (const change of diffTopics(standardTopic, v2definition)) console.log(`  ${change.type.padEnd(20)} ${change.path}: ${change.message}`);

// 3. Deals on version 1: one open deal in every stage, one lost. Their logs are kept beside them, by deal id.
const logs = new Map<string, DealLogEntry[]>();
const deals: Deal[] = [
  walk('d-new', []),
  walk('d-acquaintance', ['qualified']),
  walk('d-offer', ['qualified', 'interested']),
  walk('d-payment', ['qualified', 'interested', 'accepted']),
  walk('d-shipment', ['qualified', 'interested', 'accepted', 'paid']),
  walk('d-lost', ['qualified'], { type: 'recordOutcome', outcomeId: 'refused', kindId: 'no-need', at: MONDAY + 2 * HOUR, actor: manager }),
];

// 4. Plan without a mapping: the deal in the removed stage has nowhere to go, so nothing may be applied.
const unmapped = planMigration(v1, v2definition, deals);
console.log(`\nPlan without a mapping: ok ${unmapped.ok}`);
for (const conflict of unmapped.conflicts) console.log(`  conflict ${conflict.code} (${conflict.rule}) ${conflict.dealId}: ${conflict.message}`);
const blocked = migrateDeal(unmapped, deals[0] as Deal);
console.log(`  migrateDeal on that plan: ${blocked.ok ? 'migrated' : blocked.error.code}`);

// 5. Plan with a mapping, then migrate each deal the plan moves. A deal past a shortened limit is overdue at once.
const plan: MigrationPlan = planMigration(v1, v2definition, deals, { payment: 'shipment' });
const v2 = plan.topic;
if (!plan.ok || v2 === null) throw new Error('the mapped plan should apply');
console.log(`\nPlan with { payment: 'shipment' }: ok ${plan.ok}, version ${plan.fromVersion} → ${plan.toVersion}`);
const migrated = new Map<string, Deal>();
for (const deal of deals) {
  const step = plan.deals.find((candidate) => candidate.dealId === deal.id);
  const result = migrateDeal(plan, deal, { at: MIGRATION, by: director.id, reason: 'Payment merged into shipment' });
  if (!result.ok) {
    console.log(`  ${deal.id.padEnd(15)} ${step?.action}: ${result.error.code}`);
    continue;
  }
  migrated.set(deal.id, result.deal);
  logs.get(deal.id)?.push(result.entry);
  const moved = result.deal;
  const mapped = step?.mapped === true ? ' (mapped)' : '';
  const late = (topic: CompiledSalesTopic, which: Deal) => overdue(topic, which, MIGRATION).limits.map((limit) => limit.kind).join('+') || 'none';
  console.log(
    `  ${deal.id.padEnd(15)} ${deal.stageId} → ${moved.stageId}${mapped}; stage due ${iso(deal.stageDueAt)} → ${iso(moved.stageDueAt)}; ` +
      `overdue ${late(v1, deal)} → ${late(v2, moved)}; revision ${deal.revision} → ${moved.revision}`,
  );
}

// 6. Deadline policies: `recompute` (the default) applies the new limits, `keep` grandfathers the old ones.
const offerDeal = deals.find((deal) => deal.id === 'd-offer') as Deal;
const kept = migrateDeal(plan, offerDeal, { at: MIGRATION, deadlines: 'keep' });
console.log(`\nd-offer stage deadline: recompute ${iso(migrated.get('d-offer')?.stageDueAt ?? null)}, keep ${kept.ok ? iso(kept.deal.stageDueAt) : kept.error.code}`);
const paymentLog = logs.get('d-payment') ?? [];
console.log(`Log entry: ${JSON.stringify(paymentLog.at(-1))}`);
// The log alone rebuilds the migrated deal, each entry on the version it names.
const rebuilt = replayDeal([v1, v2], paymentLog);
console.log(`d-payment from its ${paymentLog.length} log entries: ${rebuilt.ok ? `same deal ${isDeepStrictEqual(rebuilt.deal, migrated.get('d-payment'))}` : `entry ${rebuilt.index}: ${rebuilt.error.code}`}`);

// 7. Migrated deals run on version 2; version 1 no longer accepts them.
const inShipment = migrated.get('d-payment') as Deal;
const shipped = applyEvent(v2, inShipment, { type: 'recordOutcome', outcomeId: 'shipped', at: MIGRATION + HOUR, actor: manager });
console.log(`\nd-payment on v2, "shipped": ${shipped.ok ? `${shipped.deal.status}, ${shipped.deal.finish?.result}` : shipped.error.code}`);
const onOld = applyEvent(v1, inShipment, { type: 'recordOutcome', outcomeId: 'shipped', at: MIGRATION + HOUR, actor: manager });
console.log(`The same on v1: ${onOld.ok ? 'accepted' : onOld.error.code}`);
// A deal that changed after the plan was made is refused; plan again.
const changed = applyEvent(v1, offerDeal, { type: 'setFields', fields: { carrier: 'ПЭК' }, at: MONDAY + DAY, actor: manager });
if (changed.ok) {
  const stale = migrateDeal(plan, changed.deal, { at: MIGRATION });
  console.log(`A deal changed since planning: ${stale.ok ? 'migrated' : stale.error.code}`);
}

function walk(id: string, outcomes: readonly string[], ...more: DealEvent[]): Deal {
  const opened = openDeal(v1, { id, clientId: `client-${id}`, ownerId: manager.id, at: MONDAY });
  if (!opened.ok) throw new Error(opened.error.message);
  const log: DealLogEntry[] = [opened.entry];
  logs.set(id, log);
  const events: DealEvent[] = outcomes.map((outcomeId, index) => ({ type: 'recordOutcome', outcomeId, at: MONDAY + (index + 1) * HOUR, actor: manager }));
  return [...events, ...more].reduce((deal, event) => {
    const result = applyEvent(v1, deal, event);
    if (!result.ok) throw new Error(`${id}: ${result.error.message}`);
    log.push(result.entry);
    return result.deal;
  }, opened.deal);
}

function sales(compiled: ReturnType<typeof compileTopic>): CompiledSalesTopic {
  if (compiled.kind !== 'sales') throw new Error('expected a sales topic');
  return compiled;
}

function iso(at: number | null): string {
  return at === null ? 'none' : new Date(at).toISOString().replace(':00.000Z', 'Z');
}
