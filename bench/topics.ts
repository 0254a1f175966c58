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
