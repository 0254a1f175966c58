import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compileTopic, openDeal, standardTopic, type ApplyResult, type CompiledSalesTopic, type Deal, type TopicInput } from '../src/index.js';

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
export function accepted(result: ApplyResult): Extract<ApplyResult, { ok: true }> {
  if (!result.ok) expect.fail(`expected acceptance, got ${result.error.code}: ${result.error.message}`);
  return result;
}

/** The error of a rejected result, failing the test otherwise. */
export function rejected(result: ApplyResult) {
  if (result.ok) expect.fail('expected a rejection');
  return result.error;
}
