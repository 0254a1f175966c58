import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { transition } from 'xstate';
import {
  applyEvent,
  compileTopic,
  createDealActor,
  dealSnapshot,
  dealStateValue,
  openDeal,
  standardTopic,
  type ApplyResult,
  type CompiledSalesTopic,
  type Deal,
  type DealEvent,
  type OpenDealResult,
  type TopicInput,
} from '../src/index.js';

/** Monday 12 January 2026, 09:00 UTC. */
export const MONDAY = Date.parse('2026-01-12T09:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const manager = { id: 'manager-1', roles: ['manager'] };
export const colleague = { id: 'manager-2', roles: ['manager'] };
export const director = { id: 'director-1', roles: ['director'] };
export const admin = { id: 'admin', administrator: true };

export function newClientsInput(): TopicInput {
  return JSON.parse(readFileSync(new URL('../examples/topics/new-clients.json', import.meta.url), 'utf8')) as TopicInput;
}

export function compileSales(input: unknown): CompiledSalesTopic {
  const compiled = compileTopic(input);
  if (compiled.kind !== 'sales') throw new Error('expected a sales topic');
  return compiled;
}

/** Two stages and two text fields, `note` free and `code` limited to `codeLength` characters: the topic of the text-rule tests. */
export const notesTopic = (codeLength: number): CompiledSalesTopic =>
  compileSales({
    id: 'notes',
    name: 'Notes',
    kind: 'sales',
    fields: [
      { id: 'note', name: 'Note', type: 'text' },
      { id: 'code', name: 'Code', type: 'text', maxLength: codeLength },
    ],
    stages: [
      { id: 'a', name: 'A', outcomes: [{ id: 'next', name: 'Next', to: 'b' }] },
      { id: 'b', name: 'B', outcomes: [{ id: 'won', name: 'Won', finish: 'positive' }] },
    ],
  });
export const newClients = (): CompiledSalesTopic => compileSales(newClientsInput());
export const standard = (): CompiledSalesTopic => compileSales(standardTopic);

/** A topic derived from the standard one, with some parts replaced. */
export function standardWith(changes: Record<string, unknown>): CompiledSalesTopic {
  return compileSales({ ...structuredClone(standardTopic), ...changes });
}

export function open(topic: CompiledSalesTopic, at = MONDAY, id = 'deal-1', clientId = 'client-1'): Deal {
  const result = openDeal(topic, { id, clientId, ownerId: manager.id, at });
  if (!result.ok) throw new Error(result.error.message);
  return result.deal;
}

/** The accepted deal of a result, failing the test with the error otherwise. */
export function accepted<R extends ApplyResult | OpenDealResult>(result: R): Extract<R, { ok: true }> {
  if (!result.ok) expect.fail(`expected acceptance, got ${result.error.code}: ${result.error.message}`);
  return result as Extract<R, { ok: true }>;
}

/** The error of a rejected result, failing the test otherwise. */
export function rejected(result: ApplyResult | OpenDealResult) {
  if (result.ok) expect.fail('expected a rejection');
  return result.error;
}

/**
 * Drives the same events through `applyEvent`, a live actor and xstate's pure
 * `transition`, and checks at every step that all three agree on acceptance,
 * state (stage and status) and the deal itself. Returns the last deal and how
 * many events were accepted.
 *
 * @example
 * const { deal, accepted } = expectAgreement(topic, open(topic), events);
 */
export function expectAgreement(topic: CompiledSalesTopic, start: Deal, events: readonly DealEvent[]): { deal: Deal; accepted: number } {
  const actor = createDealActor(topic, start).start();
  let snapshot = dealSnapshot(topic, start);
  let deal = start;
  let acceptedCount = 0;
  for (const event of events) {
    const result = applyEvent(topic, deal, event);
    const actorBefore = actor.getSnapshot().context.deal;
    actor.send(event);
    [snapshot] = transition(topic.machine, snapshot, event);
    if (result.ok) {
      deal = result.deal;
      acceptedCount += 1;
    }
    // A rejected event leaves the actor's deal the very same object.
    if (result.ok) expect(actor.getSnapshot().context.deal).toEqual(deal);
    else expect(actor.getSnapshot().context.deal).toBe(actorBefore);
    expect(actor.getSnapshot().status).toBe('active');
    expect(snapshot.context.deal).toEqual(deal);
    expect(actor.getSnapshot().value).toBe(dealStateValue(deal));
    expect(snapshot.value).toBe(dealStateValue(deal));
  }
  actor.stop();
  return { deal, accepted: acceptedCount };
}
