import fc from 'fast-check';
import { expect } from 'vitest';
import { compileTopic, type CompiledSalesTopic } from '../../src/index.js';
import { DEAL_EVENT_TYPES } from '../../src/deal/events.js';
import { openedAtArbitrary, stepsArbitrary } from './events.js';
import { newStats, runSequence, type SequenceStats } from './invariants.js';
import { buildTopic, topicPrintArbitrary, type TopicPrint } from './topics.js';

/*
 * The sequence property, shared by the sequences-*.test.ts files so that
 * vitest can run them in parallel: each file checks its own seed.
 */

/**
 * How many event sequences one property run drives through its generated topic (compiling a topic costs more than a sequence).
 *
 * @example
 * RUNS_PER_FILE * SEQUENCES_PER_RUN; // 2,500 sequences per file
 */
export const SEQUENCES_PER_RUN = 4;
/**
 * Property runs per file; four files give 4 × 625 × 4 = 10,000 sequences per CI run.
 *
 * @example
 * checkSequences(2026_01, RUNS_PER_FILE);
 */
export const RUNS_PER_FILE = 625;

const compiled = new WeakMap<TopicPrint, CompiledSalesTopic>();

/**
 * Compiles a generated topic once per blueprint (fast-check replays the same blueprint while shrinking).
 *
 * @example
 * fc.sample(topicPrintArbitrary, { numRuns: 10, seed: 1 }).map(compilePrint);
 */
export function compilePrint(print: TopicPrint): CompiledSalesTopic {
  let topic = compiled.get(print);
  if (topic === undefined) {
    const result = compileTopic(buildTopic(print));
    if (result.kind !== 'sales') throw new Error('expected a sales topic');
    topic = result;
    compiled.set(print, topic);
  }
  return topic;
}

/** One property run: a generated topic and {@link SEQUENCES_PER_RUN} sequences of up to 50 events, each from its own opening time. */
const runArbitrary = fc.record({
  topic: topicPrintArbitrary,
  sequences: fc.array(fc.record({ openedAt: openedAtArbitrary, steps: stepsArbitrary }), { minLength: SEQUENCES_PER_RUN, maxLength: SEQUENCES_PER_RUN }),
});

/**
 * Checks the sequence property with a fixed seed (fast-check prints the seed
 * and the path of a failure; pass both to `fc.assert` to replay it), then
 * checks that the run exercised what it should: acceptances and rejections
 * of many kinds, every event type accepted, deals finished.
 *
 * @example
 * it('keeps every invariant', () => { checkSequences(2026_01); }, 180_000);
 */
export function checkSequences(seed: number, numRuns = RUNS_PER_FILE): SequenceStats & { sequences: number } {
  const stats = newStats();
  let sequences = 0;
  fc.assert(
    fc.property(runArbitrary, ({ topic: print, sequences: runs }) => {
      const topic = compilePrint(print);
      runs.forEach(({ openedAt, steps }, index) => {
        // parseDeal on every deal of one sequence in four, and on the last deal of every sequence.
        runSequence(topic, openedAt, steps, { stats, parse: index === 0 });
        sequences += 1;
      });
    }),
    { seed, numRuns },
  );
  expect(sequences).toBeGreaterThanOrEqual(numRuns * SEQUENCES_PER_RUN);
  expect(stats.events).toBeGreaterThan(sequences * 15);
  expect(stats.accepted / stats.events).toBeGreaterThan(0.3);
  expect(stats.finished).toBeGreaterThan(sequences / 4);
  expect(stats.codes.size).toBeGreaterThanOrEqual(20);
  // Every event type is accepted somewhere in the sequences: a new type must be drawn by the generator.
  expect([...stats.types.keys()].sort()).toEqual([...DEAL_EVENT_TYPES].sort());
  return { ...stats, sequences };
}
