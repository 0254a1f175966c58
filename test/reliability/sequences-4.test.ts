import { describe, it } from 'vitest';
import { checkSequences, RUNS_PER_FILE, SEQUENCES_PER_RUN } from './sequences.js';

describe('random topics and event sequences (part 4 of 4)', () => {
  it(`keep every invariant, and applyEvent, a live actor and transition agree, over ${RUNS_PER_FILE * SEQUENCES_PER_RUN} sequences`, () => {
    checkSequences(2026_04);
  }, 180_000);
});
