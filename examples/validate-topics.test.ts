/**
 * Validates a folder of topic files in a vitest suite, with crm-topics/testing.
 *
 * This is how a CRM project checks its topics in its own test suite: every
 * file must be a valid topic with no warnings either, and every route through each sales topic (one shortest
 * route to every stage and finish, found by xstate/graph) must replay
 * through `applyEvent` from a new deal to the state it names. Here the
 * folder is examples/topics/; in your project it is wherever your topics
 * live. A broken topic fails with every issue, its path, code and rule.
 *
 * Run it with `npm run example validate-topics`, or
 * `npm run build && npx vitest run --config examples/vitest.config.ts`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { applyEvent, compileTopic, dealStateValue, openDeal, type Deal } from 'crm-topics';
import { assertValidTopic, assertValidTopicFile, topicRoutes } from 'crm-topics/testing';
import { describe, expect, it } from 'vitest';

const folder = fileURLToPath(new URL('./topics/', import.meta.url));
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .sort();

/** When the routes' deals open (topicRoutes' default) and who records their outcomes. */
const OPENED_AT = Date.parse('2026-01-05T09:00:00Z');
const TESTER = { id: 'tester' };

it('finds the topic files', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files)('topics/%s', (name) => {
  const path = `${folder}${name}`;

  it('is a valid topic, warnings included', () => {
    assertValidTopicFile(path, { strict: true });
  });

  it('has a route to every stage and finish, and each replays through applyEvent', () => {
    const topic = compileTopic(assertValidTopicFile(path));
    if (topic.kind !== 'sales') return; // audit and service topics have no deals, so no routes
    const routes = topicRoutes(topic, { openedAt: OPENED_AT, actor: TESTER });
    // A route reaches every stage (the linter already refuses unreachable ones) and at least one finish.
    expect(routes.some((route) => route.to.startsWith('closed:') || route.to.startsWith('finished:'))).toBe(true);
    for (const stage of topic.stageList) expect(routes.map((route) => route.to)).toContain(stage.id);
    for (const route of routes) {
      const opened = openDeal(topic, { id: `route-to-${route.to}`, clientId: 'client', ownerId: TESTER.id, at: OPENED_AT });
      if (!opened.ok) throw new Error(opened.error.message);
      // Your integration test would send these same events to your CRM backend instead.
      const deal = route.events.reduce<Deal>((current, event) => {
        const result = applyEvent(topic, current, event);
        if (!result.ok) throw new Error(`route to ${route.to}: ${result.error.code}: ${result.error.message}`);
        return result.deal;
      }, opened.deal);
      expect(dealStateValue(deal)).toBe(route.to);
    }
  });
});

it('a broken topic fails with every issue, its path, code and rule', () => {
  const broken = {
    id: 'broken',
    name: 'Broken',
    kind: 'sales',
    maxDuration: 'P1M',
    stages: [{ id: 'call', name: 'Call', outcomes: [{ id: 'agreed', name: 'Agreed', to: 'invoice' }] }],
  };
  expect(() => assertValidTopic(broken, { name: 'topics/broken.json' })).toThrow(/topics\/broken\.json is not valid: 1 issue\n {2}error maxDuration: .*\[invalid_duration\]/);
  // The shape is checked first; once it is right, the linter finds what points nowhere.
  const rightShape = { ...broken, maxDuration: 'P30D' };
  expect(() => assertValidTopic(rightShape)).toThrow(/stages\[0\]\.outcomes\[0\]\.to: .*\[unknown_stage, S9\]/);
});
