import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent, compileTopic, openDeal, standardTopic, type CompiledSalesTopic, type Deal } from '../../src/index.js';
import { assertValidTopic, assertValidTopicFile, topicRoutes } from '../../src/testing/index.js';
import { newClientsInput } from '../support.js';

describe('crm-topics/testing', () => {
  it('assertValidTopic returns a valid topic and fails listing every issue', () => {
    expect(assertValidTopic(standardTopic)).toEqual(standardTopic);
    const broken = { ...structuredClone(standardTopic), maxDuration: 'P1M', globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] };
    expect(() => assertValidTopic(broken, { name: 'topics/standard.json' })).toThrow(
      /^topics\/standard\.json is not valid: 1 issue\n {2}error maxDuration: Expected an ISO 8601 duration/,
    );
    const lintBroken = { ...structuredClone(standardTopic), globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] };
    expect(() => assertValidTopic(lintBroken)).toThrow('error globalOutcomes[0].to: Stage "nowhere" does not exist in this topic; expected one of the stage ids. [unknown_stage, S9]');
  });

  it('assertValidTopic with strict fails on warnings (S11)', () => {
    const talks = { id: 'talks', name: 'Talks', kind: 'sales', stages: [{ id: 'a', name: 'A' }] };
    expect(assertValidTopic(talks).id).toBe('talks');
    expect(() => assertValidTopic(talks, { strict: true, locale: 'ru' })).toThrow(/warning stages\[0\]: У стадии «a» нет итогов/);
  });

  it('assertValidTopicFile reads a file and names it in the failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-topics-testing-'));
    try {
      writeFileSync(join(dir, 'ok.json'), JSON.stringify(newClientsInput()));
      writeFileSync(join(dir, 'bad.json'), '{ nope');
      expect(assertValidTopicFile(join(dir, 'ok.json')).id).toBe('new-clients');
      expect(() => assertValidTopicFile(join(dir, 'bad.json'))).toThrow(/bad\.json could not be read as JSON/);
      expect(() => assertValidTopicFile(join(dir, 'missing.json'))).toThrow(/missing\.json could not be read as JSON: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('topicRoutes lists a shortest route to every stage and finish, each replaying through applyEvent', () => {
    const routes = topicRoutes(newClientsInput());
    expect(routes.map((route) => route.to).sort()).toEqual(['acquaintance', 'closed:negative', 'closed:positive', 'invoice', 'offer', 'payment', 'shipment']);
    const compiled = compileTopic(newClientsInput()) as CompiledSalesTopic;
    expect(topicRoutes(compiled).map((route) => route.to)).toEqual(routes.map((route) => route.to));
    for (const route of routes) {
      const opened = openDeal(compiled, { id: 'd', clientId: 'c', ownerId: 'tester', at: Date.parse('2026-01-05T09:00:00Z') });
      if (!opened.ok) throw new Error(opened.error.message);
      const deal = route.events.reduce<Deal>((current, event) => {
        const result = applyEvent(compiled, current, event);
        if (!result.ok) throw new Error(`${route.to}: ${result.error.message}`);
        return result.deal;
      }, opened.deal);
      expect(deal.status === 'open' ? deal.stageId : `closed:${deal.finish?.result}`).toBe(route.to);
    }
    expect(topicRoutes({ id: 'svc', name: 'Service', kind: 'service' })).toEqual([]);
  });
});
