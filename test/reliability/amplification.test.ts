import { describe, expect, it } from 'vitest';
import { compileTopic, parseTopic, TopicValidationError, type CompiledSalesTopic, type DealEvent, type TopicIssue } from '../../src/index.js';
import { bigTopic } from '../../bench/topics.js';
import { expectAgreement, manager, MONDAY, HOUR, open } from '../support.js';

/** The transitions of `eventType` in the machine, on every state node. */
function transitionCount(topic: CompiledSalesTopic, eventType: string): number {
  const root = topic.machine.root;
  let count = root.transitions.get(eventType)?.length ?? 0;
  for (const node of Object.values(root.states)) count += node.transitions.get(eventType)?.length ?? 0;
  return count;
}

function issuesOf(input: unknown, locale: 'en' | 'ru' = 'en'): TopicIssue[] {
  try {
    parseTopic(input, { locale });
  } catch (error) {
    if (error instanceof TopicValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('amplification: a compiled topic grows with its definition, not with stages × global outcomes × kinds', () => {
  const STAGES = 300;
  const GLOBALS = 300;
  const topic = compileTopic(bigTopic(STAGES, GLOBALS, 100)) as CompiledSalesTopic;

  it('shares the global outcomes between stages: the same compiled object, not a copy per stage (S8)', () => {
    expect(topic.globalOutcomes.size).toBe(GLOBALS);
    const lost = topic.globalOutcomes.get('g0');
    const back = topic.globalOutcomes.get('g1');
    for (const stage of topic.stageList) {
      expect(stage.outcomes.size).toBe(1 + GLOBALS);
      expect(stage.outcomes.get('g0')).toBe(lost);
      // A global move is cyclic only in the stage it moves to (S9), which keeps its own copy.
      if (stage.id === 's1') expect(stage.outcomes.get('g1')).toMatchObject({ id: 'g1', global: true, cyclic: true });
      else expect(stage.outcomes.get('g1')).toBe(back);
    }
    expect(back?.cyclic).toBe(false);
    const distinct = new Set(topic.stageList.flatMap((stage) => [...stage.outcomes.values()].filter((outcome) => outcome.global)));
    // One shared object per global outcome, plus one cyclic copy per global move (half of them).
    expect(distinct.size).toBe(GLOBALS + GLOBALS / 2);
  });

  it('shares kind sets: outcomes of the same polarity that list no kinds hold one set (S27)', () => {
    const sets = new Set(topic.stageList.flatMap((stage) => [...stage.outcomes.values()].map((outcome) => outcome.kinds)));
    // Moves, negative finishes and the positive finish: three sets for 300 × 301 outcome views.
    expect(sets.size).toBe(3);
    const fitNegative = topic.definition.outcomeKinds.filter((kind) => kind.polarity !== 'positive').length;
    expect(topic.globalOutcomes.get('g0')?.kinds.size).toBe(fitNegative);
    expect(topic.stages.get('s0')?.outcomes.get('next')?.kinds.size).toBe(100);
  });

  it('cannot be changed through a shared map', () => {
    const shared = topic.globalOutcomes as unknown as { set?: unknown };
    expect(shared.set).toBeUndefined();
    expect(Object.isFrozen(topic.globalOutcomes)).toBe(true);
    expect(Object.isFrozen(topic.globalOutcomes.get('g0'))).toBe(true);
  });

  it('builds a machine whose outcome transitions grow with stage outcomes + global outcomes', () => {
    // Each stage's own outcome, each global once on the root, and each global move once more where it is cyclic.
    expect(transitionCount(topic, 'recordOutcome')).toBe(STAGES + GLOBALS + GLOBALS / 2);
    const small = compileTopic(bigTopic(30, 30, 10)) as CompiledSalesTopic;
    expect(transitionCount(small, 'recordOutcome')).toBe(30 + 30 + 15);
  });

  it('runs global outcomes through the machine exactly as applyEvent does (S9, S12)', () => {
    const at = (hours: number) => MONDAY + hours * HOUR;
    const record = (outcomeId: string, hours: number): DealEvent => ({ type: 'recordOutcome', outcomeId, at: at(hours), actor: manager });
    // Next to s1, the global move back to s1 there (cyclic), on to s2, back to s1, unknown outcome, then a global finish.
    const events = [record('next', 1), record('g1', 2), record('next', 3), record('g1', 4), record('g999', 5), record('g0', 6), record('g0', 7)];
    const { deal, accepted } = expectAgreement(topic, open(topic), events);
    expect(accepted).toBe(5);
    expect(deal.status).toBe('closed');
  });

  it('compiles a topic at the caps: 1,000 stages, 10,000 stage outcomes, 1,000 global outcomes and 1,000 kinds', () => {
    const input = bigTopic(1000, 1000, 1000) as { stages: { outcomes: unknown[] }[] };
    for (const [s, stage] of input.stages.entries()) {
      for (let o = 1; o < 10; o += 1) stage.outcomes.push({ id: `stay${o}`, name: `Stay ${o}`, to: `s${s}` });
    }
    const largest = compileTopic(input) as CompiledSalesTopic;
    expect(largest.stageList.length).toBe(1000);
    expect(transitionCount(largest, 'recordOutcome')).toBe(10_000 + 1000 + 500);
  });
});

describe('amplification: the schema caps what a compiled topic grows with', () => {
  const chain = (stages: number, outcomesPerStage: number) => ({
    id: 'capped',
    name: 'Capped',
    kind: 'sales',
    stages: Array.from({ length: stages }, (_, s) => ({
      id: `s${s}`,
      name: `Stage ${s}`,
      outcomes: Array.from({ length: outcomesPerStage }, (_, o) =>
        o === 0 && s < stages - 1 ? { id: 'next', name: 'Next', to: `s${s + 1}` } : { id: `o${o}`, name: `Lost ${o}`, finish: 'negative' },
      ),
    })),
  });

  it('refuses more than 1,000 stages', () => {
    expect(issuesOf(chain(1001, 1))).toContainEqual(expect.objectContaining({ code: 'too_big', path: 'stages' }));
  });

  it('refuses more than 100 outcomes in one stage (S8)', () => {
    expect(issuesOf(chain(1, 101))).toContainEqual(expect.objectContaining({ code: 'too_big', path: 'stages[0].outcomes' }));
    expect(issuesOf(chain(1, 100))).toEqual([]);
  });

  it('refuses more than 10,000 outcomes in all stages together, in English and Russian', () => {
    expect(issuesOf(chain(100, 100))).toEqual([]);
    const [issue] = issuesOf(chain(101, 100));
    expect(issue).toMatchObject({ code: 'too_many_outcomes', path: 'stages', value: 10_100 });
    expect(issue?.message).toContain('10000');
    expect(issuesOf(chain(101, 100), 'ru')[0]?.message).toMatch(/Слишком много итогов.*10100/);
  });

  it('refuses more than 1,000 global outcomes and 1,000 outcome kinds', () => {
    const input = bigTopic(1, 1001, 1001);
    const codes = issuesOf(input).map((issue) => `${issue.code} ${issue.path}`);
    expect(codes).toContain('too_big globalOutcomes');
    expect(codes).toContain('too_big outcomeKinds');
  });

  it('refuses more than 100,000 listed outcome kinds in all outcomes together (S27)', () => {
    const input = bigTopic(1, 101, 1000) as { globalOutcomes: { kinds?: string[] }[]; outcomeKinds: { id: string }[] };
    const ids = input.outcomeKinds.map((kind) => kind.id);
    for (const outcome of input.globalOutcomes) outcome.kinds = ids;
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ code: 'too_many_listed_kinds', path: 'stages', value: 101_000 }));
  });
});
