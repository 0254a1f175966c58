/**
 * A deal as a live XState actor, persisted to JSON and restored.
 *
 * On the standard topic: effects arrive as emitted events (`actor.on`), a
 * rejected event leaves the actor where it was (and `applyEvent` tells
 * why), the persisted snapshot goes to JSON and comes back as a new actor
 * that carries on, and the same steps are taken with xstate's pure
 * `transition` from `dealSnapshot`. The machine's
 * guards and actions call `applyEvent`, so the actor and the pure
 * functions never disagree.
 *
 * Run it with `npm run example live-actor`.
 */
import { createActor, transition } from 'xstate';

import {
  applyEvent,
  compileTopic,
  createDealActor,
  dealSnapshot,
  openDeal,
  standardTopic,
  type CrmUser,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type DealMachineSnapshot,
  type Effect,
} from 'crm-topics';

const HOUR = 3_600_000;
const MONDAY = Date.parse('2026-01-12T09:00:00Z');
const manager: CrmUser = { id: 'manager-1' };

const compiled = compileTopic(standardTopic);
if (compiled.kind !== 'sales') throw new Error('the standard topic is a sales topic');
const topic: CompiledSalesTopic = compiled;

const opened = openDeal(topic, { id: 'deal-7', clientId: 'client-7', ownerId: manager.id, at: MONDAY, amount: 40_000 });
if (!opened.ok) throw new Error(opened.error.message);
const newDeal: Deal = opened.deal;

const outcome = (outcomeId: string, hours: number, extra: Partial<DealEvent> = {}) =>
  ({ type: 'recordOutcome', outcomeId, at: MONDAY + hours * HOUR, actor: manager, ...extra }) as DealEvent;
const describe = (snapshot: DealMachineSnapshot) =>
  `state ${JSON.stringify(snapshot.value)}, revision ${snapshot.context.deal.revision}, tags [${[...snapshot.tags].join(', ')}]`;

// 1. A live actor started where the stored deal is; effects are emitted events.
const actor = createDealActor(topic, newDeal);
const emitted: Effect[] = [];
actor.on('*', (effect) => {
  emitted.push(effect);
  console.log(`  emitted ${effect.type}${effect.type === 'suggestDocuments' ? ` (${effect.documents.map((document) => document.template).join(', ')})` : ''}`);
});
actor.start();
console.log(`Started: ${describe(actor.getSnapshot())}`);

actor.send(outcome('qualified', 1));
actor.send(outcome('interested', 2));
console.log(`After two outcomes: ${describe(actor.getSnapshot())}`);

// 2. A rejected event changes nothing, and the actor does not say why: ask applyEvent (or availableOutcomes).
const wrong = outcome('shipped', 3);
const before = actor.getSnapshot();
actor.send(wrong);
console.log(`Rejected "shipped" in the offer: snapshot unchanged ${actor.getSnapshot() === before}; reason: ${reason(wrong)}`);

// 3. Persist the snapshot as JSON (a host stores it, or just the deal inside it), then stop the actor.
const stored = JSON.stringify(actor.getPersistedSnapshot());
actor.stop();
console.log(`Persisted ${stored.length} characters of JSON; actor status ${actor.getSnapshot().status}`);

// 4. Restore from the JSON and carry on. `input` is required by the types and ignored when a snapshot is given.
const restoredDeal = (JSON.parse(stored) as { context: { deal: Deal } }).context.deal;
const restored = createActor(topic.machine, { snapshot: JSON.parse(stored) as DealMachineSnapshot, input: { deal: restoredDeal } });
restored.on('*', (effect) => {
  emitted.push(effect);
  console.log(`  emitted ${effect.type}`);
});
restored.start();
console.log(`Restored: ${describe(restored.getSnapshot())}`);
restored.send(outcome('accepted', 4));
restored.send(outcome('paid', 5));
restored.send(outcome('shipped', 6));
const final = restored.getSnapshot();
console.log(`Finished: ${describe(final)}; deal ${final.context.deal.status}, ${final.context.deal.finish?.result}`);
console.log(`Effects emitted in all: ${emitted.map((effect) => effect.type).join(', ')}`);

// 5. Or keep only the deal: createDealActor(topic, deal) starts an actor in the deal's state.
const again = createDealActor(topic, JSON.parse(JSON.stringify(final.context.deal)) as Deal).start();
console.log(`From the stored deal alone: ${describe(again.getSnapshot())}`);
again.stop();
restored.stop();

// 6. No actor at all: xstate's pure transition from dealSnapshot, with the effects as emit actions.
const [next, actions] = transition(topic.machine, dealSnapshot(topic, newDeal), outcome('qualified', 1));
console.log(`Pure transition: ${describe(next)}; actions ${JSON.stringify(actions.map((action) => action.type))}`);
const [inOffer, offerActions] = transition(topic.machine, next, outcome('interested', 2));
// xstate's types do not list the emit action among transition's actions, though it is there at run time.
const pureEffects = (offerActions as readonly { type: string; params?: unknown }[]).flatMap((action) =>
  action.type === 'xstate.emit' ? [(action.params as { event: Effect }).event.type] : [],
);
console.log(`Pure transition: ${describe(inOffer)}; emitted ${JSON.stringify(pureEffects)}`);
const agrees = JSON.stringify(inOffer.context.deal) === JSON.stringify(applyDeal([outcome('qualified', 1), outcome('interested', 2)]));
console.log(`Same deal as applyEvent gives: ${agrees}`);

function reason(event: DealEvent): string {
  const result = applyEvent(topic, actor.getSnapshot().context.deal, event);
  return result.ok ? 'accepted' : `${result.error.code}: ${result.error.message}`;
}

function applyDeal(events: readonly DealEvent[]): Deal {
  return events.reduce((deal, event) => {
    const result = applyEvent(topic, deal, event);
    if (!result.ok) throw new Error(result.error.message);
    return result.deal;
  }, newDeal);
}
