import type { TopicInput } from '../src/index.js';

/*
 * The large topics of the benchmarks and of the amplification suite
 * (test/reliability/amplification.test.ts), built in one place: a chain of
 * stages, global outcomes that alternately lose and move back, and kinds of
 * every polarity.
 */

const POLARITIES = ['positive', 'negative', 'neutral'] as const;
type SalesInput = Extract<TopicInput, { kind: 'sales' }>;

/**
 * `count` global outcomes over a topic of `stages` stages: even ones lose
 * (`g0`, `g2`, …), odd ones move back to stage `s(g mod stages)`.
 *
 * @example
 * globalOutcomes(2, 10); // [{ id: 'g0', …, finish: 'negative' }, { id: 'g1', …, to: 's1' }]
 */
export function globalOutcomes(count: number, stages: number): NonNullable<SalesInput['globalOutcomes']> {
  return Array.from({ length: count }, (_, g) =>
    g % 2 === 0 ? { id: `g${g}`, name: `Lost ${g}`, finish: 'negative' as const } : { id: `g${g}`, name: `Back ${g}`, to: `s${g % stages}` },
  );
}

/**
 * `count` outcome kinds `k0`, `k1`, … whose polarity cycles positive, negative, neutral.
 *
 * @example
 * outcomeKinds(3).map((kind) => kind.polarity); // ['positive', 'negative', 'neutral']
 */
export function outcomeKinds(count: number): NonNullable<SalesInput['outcomeKinds']> {
  return Array.from({ length: count }, (_, k) => ({ id: `k${k}`, name: `Kind ${k}`, polarity: POLARITIES[k % 3] ?? 'neutral' }));
}

/**
 * A topic of `stages` stages in a chain (each moves on; the last one wins), with
 * `globals` global outcomes ({@link globalOutcomes}) and `kinds` outcome kinds
 * of every polarity ({@link outcomeKinds}).
 *
 * @example
 * compileTopic(bigTopic(300, 300, 100)); // 300 stages × 301 outcome views, sharing the global ones
 */
export function bigTopic(stages: number, globals: number, kinds: number): TopicInput {
  return {
    id: 'big',
    name: 'Big',
    kind: 'sales',
    stages: Array.from({ length: stages }, (_, s) => ({
      id: `s${s}`,
      name: `Stage ${s}`,
      outcomes: [s === stages - 1 ? { id: 'won', name: 'Won', finish: 'positive' as const } : { id: 'next', name: 'Next', to: `s${s + 1}` }],
    })),
    globalOutcomes: globalOutcomes(globals, stages),
    outcomeKinds: outcomeKinds(kinds),
  };
}

/**
 * A sales topic of `size` stages in a chain: each stage moves on or stays
 * (cyclic), the last one wins, and a global refusal loses from anywhere.
 *
 * @example
 * compileTopic(chainTopic(100)).stageList.length; // 100
 */
export function chainTopic(size: number): TopicInput {
  return {
    id: `chain-${size}`,
    name: `Chain of ${size} stages`,
    kind: 'sales',
    maxDuration: 'P3650D',
    stages: Array.from({ length: size }, (_, index) => ({
      id: `s${index}`,
      name: `Stage ${index}`,
      maxDuration: 'P2D',
      idleLimit: 'P1D',
      outcomes: [
        index === size - 1 ? { id: 'won', name: 'Won', finish: 'positive' as const } : { id: 'next', name: 'Next', to: `s${index + 1}` },
        { id: 'stay', name: 'Stay', to: `s${index}` },
      ],
    })),
    globalOutcomes: [{ id: 'lost', name: 'Lost', finish: 'negative', kindRequired: true }],
    outcomeKinds: [{ id: 'price', name: 'Price', polarity: 'negative' }],
  };
}

/**
 * The largest sales topic the schema allows along every dimension a compiled
 * topic grows with: 1,000 stages with 10 outcomes each (10,000, the topic-wide
 * cap), 1,000 global outcomes (half of them moves), 1,000 outcome kinds, the
 * stage outcomes listing 100,000 kinds in all (the cap), 1,000 fields and
 * 1,000 documents offered everywhere.
 *
 * @example
 * compileTopic(largestTopic()).stageList.length; // 1000
 */
export function largestTopic(): TopicInput {
  const STAGES = 1000;
  return {
    id: 'largest',
    name: 'Largest allowed topic',
    kind: 'sales',
    stages: Array.from({ length: STAGES }, (_, s) => ({
      id: `s${s}`,
      name: `Stage ${s}`,
      outcomes: Array.from({ length: 10 }, (_, o) => ({
        id: `o${o}`,
        name: `Outcome ${o}`,
        // The winning outcome lists positive kinds only (k0, k3, …); the moves take any.
        kinds: Array.from({ length: 10 }, (_, k) => (o === 0 && s === STAGES - 1 ? `k${k * 3}` : `k${(s * 10 + o + k * 97) % 1000}`)),
        ...(o === 0 ? (s === STAGES - 1 ? { finish: 'positive' as const } : { to: `s${s + 1}` }) : { to: `s${(s + o) % STAGES}` }),
      })),
    })),
    globalOutcomes: globalOutcomes(1000, STAGES),
    outcomeKinds: outcomeKinds(1000),
    fields: Array.from({ length: 1000 }, (_, f) => ({ id: `f${f}`, name: `Field ${f}`, type: 'text' as const })),
    documents: Array.from({ length: 1000 }, (_, d) => ({ id: `d${d}`, name: `Document ${d}`, template: `templates/${d}.docx` })),
  };
}
