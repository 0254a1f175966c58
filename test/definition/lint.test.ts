import { describe, expect, it } from 'vitest';
import { lintTopic, parseTopic, safeParseTopic, standardTopic, type TopicDefinition, type TopicIssue } from '../../src/index.js';
import { auditInput, codes, CYRILLIC, deepFreeze, DELETE, edit, salesInput, serviceInput } from './helpers.js';

/** Parses the shape only, then lints: the findings of a topic as `lintTopic` sees them. */
function lint(input: unknown, locale: 'en' | 'ru' = 'en'): TopicIssue[] {
  return lintTopic(parseTopic(input, { lint: false }), { locale });
}

const sales = (...changes: (readonly [string, unknown])[]): unknown => edit(salesInput(), ...changes);
const finishing = [{ id: 'won', name: 'Успех', finish: 'positive' }];

describe('lintTopic: reachability', () => {
  it('counts global move outcomes: a stage reached only through one is reachable', () => {
    const nurture = { id: 'nurture', name: 'Прогрев', outcomes: [{ id: 'warm', name: 'Созрел', to: 'offer' }] };
    const input = sales(['stages.3', nurture], ['globalOutcomes.1', { id: 'postpone', name: 'Отложить', to: 'nurture' }]);
    expect(lint(input)).toEqual([]);
    expect(codes(lint(edit(input, ['globalOutcomes', [{ id: 'refused', name: 'Отказ', finish: 'negative' }]])))).toEqual([
      'unreachable_stage@stages[3]',
    ]);
  });

  it('counts global move outcomes towards finishing: every stage can move to a stage that finishes', () => {
    // No stage finishes but "closing", and nothing leads there except a global outcome.
    const input = sales(
      ['stages.2.outcomes', [{ id: 'back', name: 'Назад', to: 'offer' }]],
      ['stages.3', { id: 'closing', name: 'Закрытие', outcomes: finishing }],
      ['globalOutcomes', [{ id: 'close', name: 'Закрыть', to: 'closing' }]],
    );
    expect(lint(input)).toEqual([]);
    expect(codes(lint(edit(input, ['globalOutcomes', []])))).toEqual([
      'no_finish_reachable@stages[0]',
      'no_finish_reachable@stages[1]',
      'no_finish_reachable@stages[2]',
      'unreachable_stage@stages[3]',
    ]);
  });

  it('allows S11 dead ends: a stage without outcomes ends a path, with a warning and no no_finish_reachable', () => {
    const input = sales(['stages.2.outcomes', []], ['globalOutcomes', []]);
    const findings = lint(input);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'negotiations_ongoing', path: 'stages[2]', rule: 'S11' })]);
    expect(safeParseTopic(input).ok).toBe(true);
  });

  it('still reports a stage that can only loop on itself, even beside an S11 stage', () => {
    // lead → offer or payment; offer only loops; payment has no outcomes (S11).
    const input = sales(
      ['stages.0.outcomes.1', { id: 'skip', name: 'Сразу к оплате', to: 'payment' }],
      ['stages.1.outcomes', [{ id: 'again', name: 'Ещё раз', to: 'offer' }]],
      ['stages.2.outcomes', []],
      ['globalOutcomes', []],
    );
    expect(codes(lint(input))).toEqual(['negotiations_ongoing@stages[2]', 'no_finish_reachable@stages[1]']);
  });

  it('reports an unreachable stage once, as unreachable, not also as unable to finish', () => {
    const input = sales(['stages.3', { id: 'island', name: 'Остров', outcomes: [{ id: 'stay', name: 'Остаться', to: 'island' }] }], ['globalOutcomes', []]);
    expect(codes(lint(input))).toEqual(['unreachable_stage@stages[3]']);
  });
});

describe('lintTopic: limits, approvers, probabilities', () => {
  it('warns when the idle limit is longer than the stage limit (idle_limit_exceeds_stage_limit)', () => {
    const findings = lint(sales(['stages.1.idleLimit', 'PT73H']));
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'idle_limit_exceeds_stage_limit',
        path: 'stages[1].idleLimit',
        rule: 'Pipedrive rotting',
        message: 'The idle limit PT73H is longer than the stage limit P3D, so it can never trigger first.',
        value: 'PT73H',
      },
    ]);
    expect(lint(sales(['stages.1.idleLimit', 'P3D']))).toEqual([]);
    expect(lint(sales(['stages.1.idleLimit', 'P1W'], ['stages.1.maxDuration', DELETE]))).toEqual([]);
    expect(safeParseTopic(sales(['stages.1.idleLimit', 'P4D'])).ok).toBe(true);
  });

  it('rejects a stage limit longer than the deal limit, and only strictly longer', () => {
    expect(codes(lint(sales(['stages.2.maxDuration', 'P5W'])))).toEqual(['stage_limit_exceeds_deal_limit@stages[2].maxDuration']);
    expect(lint(sales(['stages.2.maxDuration', 'PT720H']))).toEqual([]);
    expect(lint(sales(['stages.2.maxDuration', 'P31D'], ['maxDuration', DELETE]))).toEqual([]);
  });

  it('warns when approvers are listed but no approval is needed (approvers_unused)', () => {
    const findings = lint(sales(['deadlineChange', { approval: 'none', approvers: [{ role: 'director' }] }]));
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'approvers_unused', path: 'deadlineChange.approvers', rule: 'S25' })]);
    expect(lint(sales(['deadlineChange', { approval: 'required', approvers: [{ userId: 'u1' }] }]))).toEqual([]);
    expect(codes(lint(sales(['deadlineChange', { approval: 'required' }])))).toEqual(['approvers_missing@deadlineChange.approvers']);
  });

  it('compares each probability with the last one inside 0–100 and skips stages without one', () => {
    const input = sales(
      ['stages.0.probability', 50],
      ['stages.1.probability', 150],
      ['stages.2.probability', 40],
      ['stages.3', { id: 'extra', name: 'Доп', outcomes: finishing }],
      ['stages.2.outcomes.1', { id: 'extra', name: 'Доп', to: 'extra' }],
    );
    expect(codes(lint(input))).toEqual(['probability_out_of_range@stages[1].probability', 'probability_decreasing@stages[2].probability']);
    expect(lint(input).find((finding) => finding.code === 'probability_decreasing')?.message).toBe(
      'Probability 40% is lower than 50% of the stage before it on the main path.',
    );
    expect(lint(sales(['stages.1.probability', DELETE], ['stages.2.probability', 10]))).toEqual([]);
  });
});

describe('lintTopic: order and uniqueness of findings', () => {
  it('reports each duplicate once, at the later item, naming the first', () => {
    const input = sales(['stages.1.id', 'lead'], ['stages.2.id', 'lead'], ['documents.0.stages', ['lead']]);
    const duplicates = lint(input).filter((finding) => finding.code === 'duplicate_id');
    expect(codes(duplicates)).toEqual(['duplicate_id@stages[1].id', 'duplicate_id@stages[2].id']);
    for (const finding of duplicates) expect(finding.message).toBe('Duplicate stage id "lead": it is already used at stages[0].');
  });

  it('reports a global outcome to nowhere once, not once per stage', () => {
    const findings = lint(sales(['globalOutcomes.1', { id: 'back', name: 'Назад', to: 'nowhere' }]));
    expect(codes(findings)).toEqual(['unknown_stage@globalOutcomes[1].to']);
  });

  it('lists findings in a fixed order, in document order within each check, with no repeats', () => {
    const input = sales(
      ['stages.0.outcomes', [{ id: 'stay', name: 'Остаться', to: 'lead' }]],
      ['stages.0.requiredFields', ['inn', 'kpp']],
      ['stages.1.outcomes.1', { id: 'lost', name: 'Потерян', to: 'nowhere' }],
      ['stages.2.probability', 5],
      ['outcomeKinds.1.id', 'price'],
      ['fields.1.id', 'budget'],
      ['calendar', { timeZone: 'UTC', workHours: { start: '18:00', end: '09:00' }, holidays: ['2025-01-01'], workingDays: ['2025-01-01'] }],
    );
    const findings = lint(input);
    expect(codes(findings)).toEqual([
      'duplicate_id@outcomeKinds[1].id',
      'duplicate_id@fields[1].id',
      'unknown_field@stages[0].requiredFields[0]',
      'unknown_field@stages[0].requiredFields[1]',
      'unknown_stage@stages[1].outcomes[1].to',
      'unreachable_stage@stages[1]',
      'unreachable_stage@stages[2]',
      'probability_decreasing@stages[2].probability',
      'invalid_range@calendar.workHours',
      'conflicting_dates@calendar.workingDays[0]',
    ]);
    expect(lint(input)).toEqual(findings);
    expect(new Set(codes(findings)).size).toBe(findings.length);
  });
});

describe('lintTopic: the global-win trap (S11)', () => {
  const won = { id: 'won', name: 'Успех', finish: 'positive' };

  it('warns when a stage without outcomes of its own can only be finished by a global win, naming the fix', () => {
    const input = sales(['stages.2.outcomes', []], ['globalOutcomes', [{ id: 'refused', name: 'Отказ', finish: 'negative' }, won]]);
    const [finding, ...rest] = lint(input);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'warning', code: 'global_win_only', path: 'stages[2]', rule: 'S11' });
    expect(finding?.message).toMatch(/Stage "payment" .*left out of reports.*global outcome "won".*own finishing outcome/);
    expect(lint(input, 'ru')[0]?.message).toMatch(/не попадают в отчёты.*собственный завершающий итог/);
    // No English leaks through: outside the quoted ids, the message is Russian.
    expect(lint(input, 'ru')[0]?.message.replace(/«[^»]*»/g, '')).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('keeps the plain S11 warning when no global outcome finishes positively, and says nothing once the stage has its own finish', () => {
    expect(codes(lint(sales(['stages.2.outcomes', []], ['globalOutcomes', [{ id: 'refused', name: 'Отказ', finish: 'negative' }]])))).toEqual(['negotiations_ongoing@stages[2]']);
    expect(lint(sales(['stages.2.outcomes', [{ id: 'paid', name: 'Оплачено', finish: 'positive' }]], ['globalOutcomes', [won]]))).toEqual([]);
  });
});

describe('lintTopic: every finding is complete data', () => {
  // Between them these topics produce every code lintTopic knows.
  const salesProblems = sales(
    ['stages.0.outcomes.0.to', 'nowhere'],
    ['stages.0.outcomes.1.kinds', ['cheap']],
    ['stages.0.idleLimit', 'P3D'],
    ['stages.1.id', 'lead'],
    ['stages.1.requiredFields', ['inn']],
    ['stages.1.probability', 5],
    ['stages.2.outcomes', [{ id: 'paid', name: 'Оплачено', finish: 'positive', kinds: ['price'] }]],
    ['stages.2.maxDuration', 'P60D'],
    ['stages.2.probability', 101],
    ['stages.3', { id: 'loop', name: 'Петля', outcomes: [{ id: 'again', name: 'Снова', to: 'loop' }] }],
    ['stages.4', { id: 'quiet', name: 'Тишина' }],
    ['globalOutcomes', [{ id: 'refused', name: 'Отказ', finish: 'negative', kindRequired: true, kinds: ['other'] }]],
    ['outcomeKinds', [{ id: 'price', name: 'Дорого', polarity: 'negative' }, { id: 'other', name: 'Другое', polarity: 'positive' }]],
    ['fields.0.max', -1],
    ['deadlineChange', { approval: 'required' }],
    ['calendar', { timeZone: 'UTC', holidays: ['2025-01-01'], workingDays: ['2025-01-01'] }],
  );
  const unusedApprovers = sales(['deadlineChange', { approval: 'none', approvers: [{ role: 'director' }] }]);
  const auditProblems = edit(auditInput(), ['outcomeKinds.1.id', 'shelf-ok'], ['outcomeKinds.1.commentRequired', false]);
  const loopOnly = sales(['stages.2.outcomes', [{ id: 'back', name: 'Назад', to: 'offer' }]], ['globalOutcomes', []]);
  const globalWinOnly = sales(['stages.2.outcomes', []], ['globalOutcomes', [{ id: 'won', name: 'Успех', finish: 'positive' }]]);
  const all = (locale: 'en' | 'ru') => [salesProblems, unusedApprovers, auditProblems, loopOnly, globalWinOnly].flatMap((input) => lint(input, locale));

  const LINT_CODES = [
    'approvers_missing',
    'approvers_unused',
    'audit_kind_without_comment',
    'conflicting_dates',
    'duplicate_id',
    'global_win_only',
    'idle_limit_exceeds_stage_limit',
    'invalid_range',
    'kind_polarity_mismatch',
    'negotiations_ongoing',
    'no_finish_reachable',
    'no_kinds_available',
    'probability_decreasing',
    'probability_out_of_range',
    'stage_limit_exceeds_deal_limit',
    'unknown_field',
    'unknown_kind',
    'unknown_stage',
    'unreachable_stage',
  ];

  it('covers every lint code (so the checks below are about all of them)', () => {
    expect([...new Set(all('en').map((finding) => finding.code))].sort()).toEqual(LINT_CODES);
  });

  it('has severity, code, path, message and rule on every finding', () => {
    for (const finding of all('en')) {
      const where = `${finding.code}@${finding.path}`;
      expect(['error', 'warning'], where).toContain(finding.severity);
      expect(finding.code, where).toMatch(/^[a-z]+(?:_[a-z]+)+$/);
      expect(finding.path, where).toMatch(/^[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*$/);
      expect(typeof finding.rule === 'string' && finding.rule.length > 0, where).toBe(true);
      expect(finding.message.length, where).toBeGreaterThan(20);
      expect(finding.message, where).not.toBe(finding.code);
      expect(finding.message, where).not.toMatch(/undefined|NaN|\$\{|\[object/);
      if (finding.value !== undefined) expect(['string', 'number'], where).toContain(typeof finding.value);
    }
  });

  it('rates the S11 mark, the idle limit, falling probabilities and unused approvers as warnings, and the rest as errors', () => {
    const warnings = new Set(all('en').filter((finding) => finding.severity === 'warning').map((finding) => finding.code));
    expect([...warnings].sort()).toEqual(['approvers_unused', 'global_win_only', 'idle_limit_exceeds_stage_limit', 'negotiations_ongoing', 'probability_decreasing']);
  });

  it('cites a source rule (S-number) wherever the documents state one', () => {
    const rules = new Map(all('en').map((finding) => [finding.code, finding.rule]));
    expect(Object.fromEntries(rules)).toMatchObject({
      negotiations_ongoing: 'S11',
      global_win_only: 'S11',
      unknown_stage: expect.stringMatching(/^S(?:9|28)$/),
      approvers_missing: 'S25',
      approvers_unused: 'S25',
      audit_kind_without_comment: 'S37',
      unknown_kind: 'S27',
      no_finish_reachable: 'S12',
    });
  });

  it('writes every message in Russian with { locale: "ru" }, at the same codes and paths', () => {
    const english = all('en');
    const russian = all('ru');
    expect(codes(russian)).toEqual(codes(english));
    russian.forEach((finding, index) => {
      expect(finding.message, `${finding.code}@${finding.path}`).toMatch(CYRILLIC);
      expect(finding.message).not.toBe(english[index]?.message);
      expect(finding).toEqual({ ...english[index], message: finding.message });
    });
  });
});

describe('lintTopic: sound topics', () => {
  it('finds nothing in the standard topic, the fixtures, and audit or service topics', () => {
    const topics: TopicDefinition[] = [standardTopic, ...[salesInput(), auditInput(), serviceInput()].map((input) => parseTopic(input))];
    for (const topic of topics) expect(lintTopic(topic)).toEqual([]);
  });

  it('does not change the topic it reads', () => {
    const topic = deepFreeze(parseTopic(sales(['stages.2.outcomes', []]), { lint: false }));
    const before = structuredClone(topic);
    expect(codes(lintTopic(topic))).toEqual(['negotiations_ongoing@stages[2]']);
    expect(topic).toEqual(before);
  });
});
