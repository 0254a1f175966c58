import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  CLOSED_NEGATIVE,
  CLOSED_POSITIVE,
  dealStateValue,
  FINISHED_POSITIVE,
  openDeal,
  standardTopic,
  type CompiledSalesTopic,
  type Deal,
} from '../../src/index.js';
import { sampleFields } from '../../src/compile/outcome-event.js';
import { topicPaths, type TopicPath } from '../../src/testing/index.js';
import { compileSales, expectAgreement } from '../support.js';
import { strictDiff } from './invariants.js';
import { compilePrint } from './sequences.js';
import { topicPrintArbitrary } from './topics.js';

/*
 * Model-based tests: xstate/graph walks the compiled machine (`topicPaths`),
 * and an independent model of the topic, built here from the definition as
 * a plain graph (a state per stage and per finish, an edge per outcome),
 * says which states a deal can reach, in how many steps at least, and how
 * many simple paths lead there. Every path xstate finds must replay through
 * `applyEvent` (and a live actor and `transition`) to the same state and the
 * same deal, every event of it accepted.
 */

const OPENED_AT = Date.parse('2026-01-05T09:00:00Z');
const TESTER = { id: 'tester' };

/** The graph of a topic as a deal sees it: from each state, one edge per outcome offered there. */
function modelGraph(topic: CompiledSalesTopic): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const stage of topic.stageList) {
    graph.set(
      stage.id,
      [...stage.outcomes.values()].map((outcome) => {
        if (outcome.to !== null) return outcome.to;
        if (outcome.finish === 'negative') return CLOSED_NEGATIVE;
        return topic.closeEvents.size > 0 ? FINISHED_POSITIVE : CLOSED_POSITIVE;
      }),
    );
  }
  // Routes record outcomes only: no business event, so a finished deal goes no further.
  for (const end of [FINISHED_POSITIVE, CLOSED_POSITIVE, CLOSED_NEGATIVE]) graph.set(end, []);
  return graph;
}

/** Breadth-first distances from the first stage: the length of a shortest route to each reachable state. */
function modelDistances(topic: CompiledSalesTopic): Map<string, number> {
  const graph = modelGraph(topic);
  const distances = new Map([[topic.firstStage.id, 0]]);
  const queue = [topic.firstStage.id];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    for (const next of graph.get(state) ?? []) {
      if (!distances.has(next)) {
        distances.set(next, (distances.get(state) ?? 0) + 1);
        queue.push(next);
      }
    }
  }
  return distances;
}

/** The number of simple paths from the first stage (the empty one included, as xstate counts them), or `cap + 1` when there are more than `cap`. */
function modelSimplePathCount(topic: CompiledSalesTopic, cap: number): number {
  const graph = modelGraph(topic);
  const visiting = new Set<string>();
  let count = 0;
  const visit = (state: string): void => {
    count += 1;
    if (count > cap) return;
    visiting.add(state);
    for (const next of graph.get(state) ?? []) if (!visiting.has(next) && count <= cap) visit(next);
    visiting.delete(state);
  };
  visit(topic.firstStage.id);
  return Math.min(count, cap + 1);
}

/** The deal every route starts from: opened the way `topicPaths` opens it. */
function startOf(topic: CompiledSalesTopic): Deal {
  const opened = openDeal(topic, { id: 'path', clientId: 'client', ownerId: TESTER.id, at: OPENED_AT, actor: TESTER, fields: sampleFields(topic, topic.firstStage.requiredFields, OPENED_AT) ?? {} });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.deal;
}

/** Replays a route through applyEvent (every event must be accepted) and through a live actor and `transition`. */
function expectReplay(topic: CompiledSalesTopic, path: TopicPath): void {
  let deal = startOf(topic);
  for (const [index, event] of path.events.entries()) {
    const result = applyEvent(topic, deal, event);
    if (!result.ok) expect.fail(`step ${index} of the route to ${path.state} was rejected: ${result.error.code}: ${result.error.message}`);
    deal = result.deal;
  }
  expect(dealStateValue(deal)).toBe(path.state);
  expect(strictDiff(deal, path.deal)).toBeUndefined();
  const agreed = expectAgreement(topic, startOf(topic), path.events);
  expect(agreed.accepted).toBe(path.events.length);
  expect(strictDiff(agreed.deal, deal)).toBeUndefined();
}

/** Shortest routes: one per reachable state, each as short as the model says. */
function checkShortest(topic: CompiledSalesTopic): number {
  const paths = topicPaths(topic, { openedAt: OPENED_AT, actor: TESTER });
  const distances = modelDistances(topic);
  expect(new Set(paths.map((path) => path.state))).toEqual(new Set(distances.keys()));
  expect(paths).toHaveLength(distances.size);
  for (const path of paths) {
    expect(path.events.length, `the route to ${path.state}`).toBe(distances.get(path.state));
    expectReplay(topic, path);
  }
  return paths.length;
}

/** Simple routes: as many as the model counts, all different, each replaying. */
function checkSimple(topic: CompiledSalesTopic, expected: number): number {
  const paths = topicPaths(topic, { kind: 'simple', openedAt: OPENED_AT, actor: TESTER });
  expect(paths).toHaveLength(expected);
  const routes = new Set(paths.map((path) => JSON.stringify(path.events.map((event) => (event.type === 'recordOutcome' ? event.outcomeId : event.type)))));
  expect(routes.size).toBe(paths.length);
  for (const path of paths) expectReplay(topic, path);
  return paths.length;
}

const examples = readdirSync(new URL('../../examples/topics/', import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, topic: compileSales(JSON.parse(readFileSync(new URL(`../../examples/topics/${name}`, import.meta.url), 'utf8'))) }));
const named = [{ name: 'the standard topic', topic: compileSales(standardTopic) }, ...examples];

/** Simple routes are replayed only for topics with at most this many (their number grows exponentially). */
const SIMPLE_PATH_BOUND = 400;
const generated = fc.sample(topicPrintArbitrary, { numRuns: 80, seed: 20261122 }).map(compilePrint);

describe('model-based: every route xstate/graph finds replays through applyEvent', () => {
  it('covers the example topics', () => {
    expect(examples.map((example) => example.name)).toContain('new-clients.json');
  });

  it.each(named)('$name: every shortest and every simple route', ({ topic }) => {
    checkShortest(topic);
    const count = modelSimplePathCount(topic, SIMPLE_PATH_BOUND);
    expect(count).toBeLessThanOrEqual(SIMPLE_PATH_BOUND);
    checkSimple(topic, count);
  });

  it(`${generated.length} generated topics: every shortest route, and every simple route where there are at most ${SIMPLE_PATH_BOUND}`, () => {
    let shortest = 0;
    let simple = 0;
    let bounded = 0;
    for (const topic of generated) {
      shortest += checkShortest(topic);
      const count = modelSimplePathCount(topic, SIMPLE_PATH_BOUND);
      if (count > SIMPLE_PATH_BOUND) continue;
      bounded += 1;
      simple += checkSimple(topic, count);
    }
    // The sample must mean something: most topics small enough for simple routes, some not, many routes in all.
    expect(bounded).toBeGreaterThan(generated.length / 2);
    expect(bounded).toBeLessThan(generated.length);
    expect(shortest).toBeGreaterThan(generated.length * 3);
    expect(simple).toBeGreaterThan(shortest);
  }, 120_000);

  it('limit trims the routes and never throws', () => {
    const topic = compileSales(standardTopic);
    for (const limit of [0, 1, 3, 5, 100]) {
      expect(topicPaths(topic, { limit })).toHaveLength(Math.min(limit, 7));
      expect(topicPaths(topic, { kind: 'simple', limit })).toHaveLength(Math.min(limit, modelSimplePathCount(topic, 1000)));
    }
  });
});
