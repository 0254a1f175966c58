/**
 * Audit and service topics (S37, S38): events planned, then recorded or cancelled.
 *
 * These topic types (S23) have no deals and no stages. An audit event is
 * recorded with Yes/No plus an outcome kind whose comment is mandatory; the
 * linter refuses an audit kind without a required comment; every rejection
 * comes back as data with its rule. A service event is recorded plainly.
 * Each event can also run as a small XState machine: planned, then
 * recorded or cancelled.
 *
 * Run it with `npm run example audit-topic`.
 */
import { createActor } from 'xstate';

import {
  cancelEvent,
  compileTopic,
  planEvent,
  recordEvent,
  safeParseTopic,
  type CrmUser,
  type CompiledEventTopic,
  type RecordEventInput,
  type TopicEvent,
  type TopicEventResult,
} from 'crm-topics';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
const auditor: CrmUser = { id: 'auditor-1' };

const storeAudit = {
  id: 'store-audit',
  name: 'Store audit',
  kind: 'audit',
  instruction: 'Check the shelf display and the stock of our goods.',
  outcomeKinds: [
    { id: 'all-good', name: 'Everything in place', polarity: 'positive', commentRequired: true },
    { id: 'no-stock', name: 'Out of stock', polarity: 'negative', commentRequired: true },
    { id: 'wrong-price', name: 'Wrong price tag', polarity: 'negative', commentRequired: true },
    { id: 'other', name: 'Other', polarity: 'neutral', commentRequired: true },
  ],
};

// S37: every audit kind needs a comment in addition to Yes/No; the linter says so.
const careless = safeParseTopic({ ...storeAudit, outcomeKinds: [{ id: 'fine', name: 'Fine', polarity: 'positive' }] });
if (!careless.ok) for (const issue of careless.issues) console.log(`Lint: ${issue.severity} ${issue.code} (${issue.rule}) at ${issue.path}`);

const audit = compileEvents(storeAudit);
console.log(`Audit topic "${audit.definition.name}": kinds ${[...audit.kinds.values()].map((kind) => `${kind.id} (${kind.polarity})`).join(', ')}`);

const planned = ok(planEvent(audit, { id: 'visit-1', clientId: 'store-12', actor: auditor, at: MONDAY, plannedFor: MONDAY + 2 * HOUR }));
console.log(`Planned ${planned.id} for ${planned.clientId}: ${planned.status}, revision ${planned.revision}`);

const attempt = (label: string, input: Omit<RecordEventInput, 'actor' | 'at'>) => {
  const result = recordEvent(audit, planned, { actor: auditor, at: MONDAY + 2 * HOUR, ...input });
  console.log(result.ok ? `✓ ${label}: ${result.event.status}, answer ${result.event.answer}, kind ${result.event.kindId}` : `✗ ${label}: ${result.error.code} (${result.error.rule}) at ${result.error.path ?? '-'}`);
  return result;
};
attempt('no answer', {});
attempt('"no" without a kind', { answer: 'no' });
attempt('"no" with a positive kind', { answer: 'no', kindId: 'all-good', comment: 'Shelf is fine' });
attempt('"no" without the comment', { answer: 'no', kindId: 'no-stock' });
const recorded = attempt('"no", out of stock, with a comment', { answer: 'no', kindId: 'no-stock', comment: 'Shelf empty since Friday' });
if (recorded.ok) {
  const again = recordEvent(audit, recorded.event, { actor: auditor, at: MONDAY + 3 * HOUR, answer: 'yes', kindId: 'all-good', comment: 'x' });
  console.log(`Recording it twice: ${again.ok ? 'accepted' : again.error.code}`);
}

// A few more visits, recorded or cancelled, tallied the way an audit report would.
const visits: TopicEvent[] = [];
if (recorded.ok) visits.push(recorded.event);
const answers: [string, RecordEventInput['answer'], string, string][] = [
  ['store-14', 'yes', 'all-good', 'All facings in place'],
  ['store-15', 'no', 'wrong-price', 'Old price on the top shelf'],
  ['store-16', 'yes', 'other', 'New manager, introduced ourselves'],
];
answers.forEach(([clientId, answer, kindId, comment], index) => {
  const event = ok(planEvent(audit, { id: `visit-${index + 2}`, clientId, actor: auditor, at: MONDAY, plannedFor: MONDAY + (index + 3) * HOUR }));
  visits.push(ok(recordEvent(audit, event, { actor: auditor, at: MONDAY + (index + 3) * HOUR, answer, kindId, comment })));
});
const skipped = ok(planEvent(audit, { id: 'visit-5', clientId: 'store-17', actor: auditor, at: MONDAY, plannedFor: MONDAY + 8 * HOUR }));
visits.push(ok(cancelEvent(audit, skipped, { actor: auditor, at: MONDAY + 7 * HOUR, reason: 'Store closed for inventory' })));
const count = (predicate: (event: TopicEvent) => boolean) => visits.filter(predicate).length;
console.log(`Visits: ${visits.length}; yes ${count((event) => event.answer === 'yes')}, no ${count((event) => event.answer === 'no')}, cancelled ${count((event) => event.status === 'cancelled')}`);
for (const kind of audit.kinds.values()) console.log(`  ${kind.id.padEnd(12)} ${count((event) => event.kindId === kind.id)}`);

// The same life as a machine: planned, then recorded (final). A refused event leaves it planned.
const machineEvent = ok(planEvent(audit, { id: 'visit-6', clientId: 'store-18', actor: auditor, at: MONDAY, plannedFor: MONDAY + HOUR }));
const actor = createActor(audit.machine, { input: { event: machineEvent } }).start();
actor.send({ type: 'record', actor: auditor, at: MONDAY + HOUR, answer: 'yes' });
console.log(`Machine after a record without a kind: ${String(actor.getSnapshot().value)}`);
actor.send({ type: 'record', actor: auditor, at: MONDAY + HOUR, answer: 'yes', kindId: 'all-good', comment: 'Perfect display' });
console.log(`Machine after a proper record: ${String(actor.getSnapshot().value)}, status ${actor.getSnapshot().status}, event revision ${actor.getSnapshot().context.event.revision}`);

// S38: a service topic has nothing but a name, an instruction and a script; its events carry no answer or kind.
const service = compileEvents({ id: 'maintenance', name: 'Maintenance', kind: 'service', script: 'scripts/maintenance-call' });
const job = ok(planEvent(service, { id: 'job-1', clientId: 'client-3', actor: auditor, at: MONDAY, plannedFor: MONDAY + 24 * HOUR }));
const withAnswer = recordEvent(service, job, { actor: auditor, at: MONDAY + 24 * HOUR, answer: 'yes' });
console.log(`Service event with an answer: ${withAnswer.ok ? 'accepted' : `${withAnswer.error.code} at ${withAnswer.error.path}`}`);
const done = ok(recordEvent(service, job, { actor: auditor, at: MONDAY + 24 * HOUR, comment: 'Filter replaced' }));
console.log(`Service event recorded: ${done.status}, comment "${done.comment}", closed by ${done.closedBy}`);

function compileEvents(input: unknown): CompiledEventTopic {
  const compiled = compileTopic(input);
  if (compiled.kind === 'sales') throw new Error('expected an audit or service topic');
  return compiled;
}

function ok(result: TopicEventResult): TopicEvent {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.event;
}
