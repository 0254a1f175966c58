import type { TopicInput } from '../src/index.js';

/**
 * A sales topic of `size` stages in a chain: each stage moves on or stays
 * (cyclic), the last one wins, and a global refusal loses from anywhere.
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
 */
export function largestTopic(): TopicInput {
  const STAGES = 1000;
  const polarities = ['positive', 'negative', 'neutral'] as const;
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
    globalOutcomes: Array.from({ length: 1000 }, (_, g) =>
      g % 2 === 0 ? { id: `g${g}`, name: `Lost ${g}`, finish: 'negative' as const } : { id: `g${g}`, name: `Back ${g}`, to: `s${g % STAGES}` },
    ),
    outcomeKinds: Array.from({ length: 1000 }, (_, k) => ({ id: `k${k}`, name: `Kind ${k}`, polarity: polarities[k % 3] ?? 'neutral' })),
    fields: Array.from({ length: 1000 }, (_, f) => ({ id: `f${f}`, name: `Field ${f}`, type: 'text' as const })),
    documents: Array.from({ length: 1000 }, (_, d) => ({ id: `d${d}`, name: `Document ${d}`, template: `templates/${d}.docx` })),
  };
}
