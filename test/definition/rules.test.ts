import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  lintTopic,
  parseTopic,
  safeParseTopic,
  standardTopic,
  topicJsonSchema,
  TopicValidationError,
  type Outcome,
  type ParseOptions,
  type SalesTopic,
  type TopicDefinition,
  type TopicIssue,
} from '../../src/index.js';
import { auditInput, codes, CYRILLIC, DELETE, deepFreeze, edit, salesInput, serviceInput } from './helpers.js';

/*
 * One test per rule of the source documents that belongs to the topic
 * definition (seeds README, S1–S38; S2, access, lives elsewhere), then the
 * peer features and the guarantees of the parsing API.
 */

function valid(input: unknown, options?: ParseOptions): { topic: TopicDefinition; warnings: readonly TopicIssue[] } {
  const result = safeParseTopic(input, options);
  if (!result.ok) throw new Error(`expected a valid topic, got ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}

function sales(input: unknown, options?: ParseOptions): SalesTopic {
  const { topic } = valid(input, options);
  if (topic.kind !== 'sales') throw new Error(`expected a sales topic, got ${topic.kind}`);
  return topic;
}

function issuesOf(input: unknown, options?: ParseOptions): readonly TopicIssue[] {
  const result = safeParseTopic(input, options);
  if (result.ok) throw new Error('expected an invalid topic');
  return result.issues;
}

const exampleFile = new URL('../../examples/topics/new-clients.json', import.meta.url);

describe('the fixtures', () => {
  it('are valid topics without warnings, so each test below is about its own change only', () => {
    for (const input of [salesInput(), auditInput(), serviceInput()]) expect(valid(input).warnings).toEqual([]);
  });
});

describe('rules of the source documents', () => {
  it('S1: the New clients example file has the five stages in the documented order', () => {
    const topic = sales(JSON.parse(readFileSync(exampleFile, 'utf8')));
    expect(topic.name).toBe('Новые клиенты');
    expect(topic.stages.map((stage) => stage.id)).toEqual(['acquaintance', 'offer', 'invoice', 'payment', 'shipment']);
    expect(topic.stages.map((stage) => stage.name)).toEqual([
      'Знакомство с клиентом',
      'Коммерческое предложение',
      'Счет',
      'Оплата',
      'Отгрузка',
    ]);
    // S9's example, on the first stage: "interested" moves on, "could not reach" stays.
    expect(topic.stages[0]?.outcomes.map((outcome) => ('to' in outcome ? outcome.to : outcome.finish))).toEqual(['offer', 'acquaintance']);
  });

  it('S3, S24: a topic has a name and a maximum duration of the relationship (deal)', () => {
    const topic = sales(salesInput());
    expect(topic.name).toBe('Оптовые продажи');
    expect(topic.maxDuration).toBe('P30D');
    expect(sales(edit(salesInput(), ['maxDuration', DELETE])).maxDuration).toBeUndefined();
    expect(codes(issuesOf(edit(salesInput(), ['maxDuration', 'thirty days'])))).toEqual(['invalid_duration@maxDuration']);
    expect(codes(issuesOf(edit(salesInput(), ['name', DELETE])))).toEqual(['required@name']);
  });

  it('S4: closing planned contacts of another author is forbidden by default, or allowed', () => {
    expect(sales(salesInput()).parameters.plannedContacts).toBe('author-only');
    expect(sales(edit(salesInput(), ['parameters', { plannedContacts: 'anyone' }])).parameters.plannedContacts).toBe('anyone');
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { plannedContacts: 'everybody' }])))).toEqual([
      'invalid_value@parameters.plannedContacts',
    ]);
  });

  it('S5: a shared client assignment on the final contact is off by default, or on', () => {
    expect(sales(salesInput()).parameters.sharedAssignmentOnFinish).toBe(false);
    expect(sales(edit(salesInput(), ['parameters', { sharedAssignmentOnFinish: true }])).parameters.sharedAssignmentOnFinish).toBe(true);
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { sharedAssignmentOnFinish: 'yes' }])))).toEqual([
      'invalid_type@parameters.sharedAssignmentOnFinish',
    ]);
  });

  it('S6: a stage has a name, a comment and a maximum duration', () => {
    const stage = sales(salesInput()).stages[0];
    expect(stage).toMatchObject({ name: 'Знакомство', comment: 'Позвоните клиенту и выясните потребность.', maxDuration: 'P2D' });
    // The comment and the limit may be left out; the name may not.
    const bare = sales(edit(salesInput(), ['stages.2.comment', DELETE], ['stages.2.maxDuration', DELETE])).stages[2];
    expect(bare?.comment).toBeUndefined();
    expect(bare?.maxDuration).toBeUndefined();
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.name', DELETE])))).toEqual(['required@stages[1].name']);
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.maxDuration', '2 days'])))).toEqual(['invalid_duration@stages[1].maxDuration']);
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.comment', 42])))).toEqual(['invalid_type@stages[1].comment']);
  });

  it('S7: stages keep the order in which they are written', () => {
    const input = edit(
      salesInput(),
      ['stages.0.outcomes', [{ id: 'go', name: 'Дальше', to: 'c' }]],
      ['stages.1', { id: 'c', name: 'В', outcomes: [{ id: 'go', name: 'Дальше', to: 'a' }] }],
      ['stages.2', { id: 'a', name: 'А', outcomes: [{ id: 'win', name: 'Успех', finish: 'positive' }] }],
      ['documents.0.stages', ['a']],
    );
    expect(sales(input).stages.map((stage) => stage.id)).toEqual(['lead', 'c', 'a']);
    // The first stage is where deals start: a stage before it that nothing leads to is unreachable.
    const reordered = edit(input, ['stages', [(input as { stages: unknown[] }).stages[2], ...(input as { stages: unknown[] }).stages.slice(0, 2)]]);
    expect(codes(issuesOf(reordered))).toEqual(['unreachable_stage@stages[1]', 'unreachable_stage@stages[2]']);
  });

  it('S8: an outcome either moves the deal to a stage or finishes it', () => {
    const outcomes = sales(salesInput()).stages.flatMap((stage) => stage.outcomes);
    expect(outcomes.map((outcome) => ('to' in outcome ? `to:${outcome.to}` : `finish:${outcome.finish}`))).toEqual([
      'to:offer',
      'to:lead',
      'to:payment',
      'finish:positive',
    ]);
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.outcomes.0', { id: 'x', name: 'Ни то ни другое' }])))).toEqual([
      'required@stages[1].outcomes[0].to',
    ]);
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.outcomes.0', { id: 'x', name: 'Оба', to: 'payment', finish: 'positive' }])))).toEqual([
      'unknown_key@stages[1].outcomes[0].finish',
    ]);
  });

  it('S9: a continuing outcome has a name and a target stage, which must exist', () => {
    const [interested, noAnswer] = sales(salesInput()).stages[0]?.outcomes ?? [];
    expect(interested).toMatchObject({ name: 'Клиент заинтересовался', to: 'offer' });
    expect(noAnswer).toMatchObject({ name: 'Не удалось связаться', to: 'lead' });
    const issues = issuesOf(edit(salesInput(), ['stages.1.outcomes.0.to', 'invoice']));
    expect(issues[0]).toMatchObject({ code: 'unknown_stage', path: 'stages[1].outcomes[0].to', rule: 'S9', value: 'invoice' });
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.outcomes.0', { id: 'x', to: 'payment' }])))).toEqual(['required@stages[1].outcomes[0].name']);
  });

  it('S10: a cyclic outcome returns to its own stage and keeps the stage clock unless told otherwise', () => {
    const topic = sales(edit(salesInput(), ['stages.1.outcomes.1', { id: 'revise', name: 'Доработать', to: 'offer', restartsStageClock: true }]));
    const isCyclic = (stageId: string, outcome: Outcome) => 'to' in outcome && outcome.to === stageId;
    const [lead, offer] = topic.stages;
    expect(lead?.outcomes.map((outcome) => isCyclic(lead.id, outcome))).toEqual([false, true]);
    expect(lead?.outcomes[1]).toMatchObject({ to: 'lead', restartsStageClock: false });
    expect(offer?.outcomes[1]).toMatchObject({ to: 'offer', restartsStageClock: true });
    expect(codes(issuesOf(edit(salesInput(), ['stages.0.outcomes.1.restartsStageClock', 'no'])))).toEqual([
      'invalid_type@stages[0].outcomes[1].restartsStageClock',
    ]);
  });

  it('S11: a stage without outcomes is "negotiations ongoing": a warning, not an error', () => {
    const input = edit(salesInput(), ['stages.2.outcomes', DELETE], ['globalOutcomes', []]);
    const { topic, warnings } = valid(input);
    expect(topic.kind === 'sales' && topic.stages[2]?.outcomes).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'negotiations_ongoing', path: 'stages[2]', rule: 'S11' })]);
    expect(valid(edit(input, ['stages.2.outcomes', []])).warnings.map((w) => w.code)).toEqual(['negotiations_ongoing']);
  });

  it('S12: a finishing outcome ends the deal positively or negatively', () => {
    const topic = sales(edit(salesInput(), ['stages.2.outcomes.1', { id: 'lost', name: 'Не оплатил', finish: 'negative' }]));
    expect(topic.stages[2]?.outcomes).toEqual([
      { id: 'paid', name: 'Оплачено', finish: 'positive', kindRequired: false, commentRequired: false },
      { id: 'lost', name: 'Не оплатил', finish: 'negative', kindRequired: false, commentRequired: false },
    ]);
    expect(codes(issuesOf(edit(salesInput(), ['stages.2.outcomes.0.finish', 'neutral'])))).toEqual(['invalid_value@stages[2].outcomes[0].finish']);
  });

  it('S13: a topic may be put into a group', () => {
    expect(sales(salesInput()).group).toBeUndefined();
    expect(valid(edit(serviceInput(), ['group', 'Продажи'])).topic.group).toBe('Продажи');
    expect(codes(issuesOf(edit(salesInput(), ['group', '  '])))).toEqual(['too_small@group']);
    expect(codes(issuesOf(edit(salesInput(), ['group', ['Продажи']])))).toEqual(['invalid_type@group']);
  });

  it('S20: a sales topic is a set of stages: it needs at least one', () => {
    expect(sales(salesInput()).stages).toHaveLength(3);
    expect(codes(issuesOf(edit(salesInput(), ['stages', []])))).toEqual(['too_small@stages']);
    expect(codes(issuesOf(edit(salesInput(), ['stages', DELETE])))).toEqual(['required@stages']);
  });

  it('S21: the standard topic has the stages "Новый", "Знакомство", "Коммерческое предложение", "Оплата", "Отгрузка"', () => {
    expect(standardTopic.kind).toBe('sales');
    expect(standardTopic.stages.map((stage) => stage.name)).toEqual(['Новый', 'Знакомство', 'Коммерческое предложение', 'Оплата', 'Отгрузка']);
    expect(valid(standardTopic).warnings).toEqual([]);
  });

  it('S22: several topics each have their own stages and time limits, and share nothing', () => {
    const retail = edit(salesInput(), ['id', 'retail'], ['maxDuration', 'P7D'], ['stages.0.maxDuration', 'PT4H']);
    const [first, second, third] = [sales(salesInput()), sales(retail), sales(standardTopic)];
    expect([first.id, second.id, third.id]).toEqual(['wholesale', 'retail', 'standard']);
    expect([first.maxDuration, second.maxDuration, third.maxDuration]).toEqual(['P30D', 'P7D', 'P30D']);
    expect([first.stages[0]?.maxDuration, second.stages[0]?.maxDuration]).toEqual(['P2D', 'PT4H']);
    expect(third.stages.map((stage) => stage.id)).toEqual(['new', 'acquaintance', 'offer', 'payment', 'shipment']);
    // Defaults are fresh per topic: changing one parsed topic leaves the next one alone.
    const bare = edit(salesInput(), ['globalOutcomes', DELETE]);
    const changed = sales(bare);
    changed.deadlineChange.approvers.push({ role: 'intruder' });
    changed.globalOutcomes.push({ id: 'x', name: 'X', finish: 'negative', kindRequired: false, commentRequired: false });
    changed.parameters.closeOn = { on: 'business-event', events: ['x'] };
    changed.stages[0]?.requiredFields.push('budget');
    const next = sales(bare);
    expect(next.deadlineChange).toEqual({ approval: 'none', approvers: [], selfApproval: false });
    expect(next.globalOutcomes).toEqual([]);
    expect(next.parameters.closeOn).toEqual({ on: 'finish' });
    expect(next.stages[0]?.requiredFields).toEqual([]);
  });

  it('S23: a topic is of kind sales, audit or service; anything else is invalid_kind', () => {
    expect([salesInput(), auditInput(), serviceInput()].map((input) => valid(input).topic.kind)).toEqual(['sales', 'audit', 'service']);
    for (const kind of ['marketing', 'Sales', '', 1, null]) {
      const issues = issuesOf(edit(serviceInput(), ['kind', kind]));
      expect(issues).toEqual([expect.objectContaining({ code: 'invalid_kind', path: 'kind', severity: 'error' })]);
      expect(issues[0]?.message).toContain('"sales", "audit" or "service"');
    }
    expect(codes(issuesOf(edit(serviceInput(), ['kind', DELETE])))).toEqual(['invalid_kind@kind']);
  });

  it('S25: changing the deadline may need approval, by roles or users; approval without approvers is an error', () => {
    const approvers = [{ role: 'director' }, { userId: 'u-42' }];
    expect(sales(salesInput()).deadlineChange).toEqual({ approval: 'none', approvers: [], selfApproval: false });
    expect(sales(edit(salesInput(), ['deadlineChange', { approval: 'required', approvers }])).deadlineChange).toEqual({ approval: 'required', approvers, selfApproval: false });
    const issues = issuesOf(edit(salesInput(), ['deadlineChange', { approval: 'required' }]));
    expect(issues).toEqual([expect.objectContaining({ code: 'approvers_missing', path: 'deadlineChange.approvers', rule: 'S25' })]);
    expect(codes(issuesOf(edit(salesInput(), ['deadlineChange', { approval: 'required', approvers: [{ group: 'x' }] }])))).toEqual([
      'required@deadlineChange.approvers[0].role',
      'unknown_key@deadlineChange.approvers[0].group',
    ]);
    expect(codes(issuesOf(edit(salesInput(), ['deadlineChange', { approval: 'maybe' }])))).toEqual(['invalid_value@deadlineChange.approval']);
  });

  it('S26: a sales topic has stages and transitions between them, forward and back', () => {
    const topic = sales(edit(salesInput(), ['stages.2.outcomes.1', { id: 'renegotiate', name: 'Пересмотр условий', to: 'offer' }]));
    const edges = topic.stages.flatMap((stage) => stage.outcomes.flatMap((outcome) => ('to' in outcome ? [`${stage.id}->${outcome.to}`] : [])));
    expect(edges).toEqual(['lead->offer', 'lead->lead', 'offer->payment', 'payment->offer']);
    expect(lintTopic(topic)).toEqual([]);
  });

  it('S27: outcome kinds have a polarity and may require a comment; outcomes must use known, fitting kinds', () => {
    const topic = sales(salesInput());
    expect(topic.outcomeKinds).toEqual([
      { id: 'price', name: 'Дорого', polarity: 'negative', commentRequired: false },
      { id: 'other', name: 'Другое', polarity: 'neutral', commentRequired: true },
    ]);
    expect(topic.globalOutcomes[0]).toMatchObject({ kindRequired: true });
    expect(codes(issuesOf(edit(salesInput(), ['globalOutcomes.0.kinds', ['price', 'cheap']])))).toEqual(['unknown_kind@globalOutcomes[0].kinds[1]']);
    const positive = edit(salesInput(), ['stages.2.outcomes.0.kinds', ['price']], ['stages.2.outcomes.0.kindRequired', true]);
    expect(codes(issuesOf(positive))).toEqual(['kind_polarity_mismatch@stages[2].outcomes[0].kinds[0]', 'no_kinds_available@stages[2].outcomes[0].kindRequired']);
    expect(codes(issuesOf(edit(salesInput(), ['outcomeKinds', []])))).toEqual(['no_kinds_available@globalOutcomes[0].kindRequired']);
    expect(codes(issuesOf(edit(salesInput(), ['outcomeKinds.0.polarity', 'bad'])))).toEqual(['invalid_value@outcomeKinds[0].polarity']);
  });

  it('S28: document templates may be tied to stages, which must exist', () => {
    const topic = sales(salesInput());
    expect(topic.documents).toEqual([
      { id: 'offer-doc', name: 'Коммерческое предложение', template: 'commercial-offer', stages: ['offer'] },
      { id: 'invoice', name: 'Счёт', template: 'invoice' },
    ]);
    const issues = issuesOf(edit(salesInput(), ['documents.0.stages', ['offer', 'shipment']]));
    expect(issues).toEqual([expect.objectContaining({ code: 'unknown_stage', path: 'documents[0].stages[1]', rule: 'S28', value: 'shipment' })]);
    expect(codes(issuesOf(edit(salesInput(), ['documents.1.template', DELETE])))).toEqual(['required@documents[1].template']);
  });

  it('S29: additional fields are text, number, date, boolean or select', () => {
    const fields = [
      { id: 'carrier', name: 'Транспортная компания', type: 'text', maxLength: 100 },
      { id: 'budget', name: 'Бюджет', type: 'number', min: 0, max: 1e9 },
      { id: 'delivery', name: 'Дата поставки', type: 'date' },
      { id: 'vip', name: 'VIP', type: 'boolean' },
      { id: 'size', name: 'Размер', type: 'select', options: [{ id: 's', name: 'Малый' }] },
    ];
    expect(sales(edit(salesInput(), ['fields', fields])).fields).toEqual(fields);
    expect(codes(issuesOf(edit(salesInput(), ['fields.0.type', 'color'])))).toEqual(['invalid_value@fields[0].type']);
    expect(codes(issuesOf(edit(salesInput(), ['fields.1.options', []])))).toEqual(['too_small@fields[1].options']);
    expect(codes(issuesOf(edit(salesInput(), ['fields.0.options', []])))).toEqual(['unknown_key@fields[0].options']);
  });

  it('S30: a topic may carry an instruction', () => {
    expect(valid(serviceInput()).topic.instruction).toBe('Отвечайте в течение часа.');
    expect(sales(salesInput()).instruction).toBeUndefined();
    expect(codes(issuesOf(edit(salesInput(), ['instruction', { text: 'x' }])))).toEqual(['invalid_type@instruction']);
  });

  it('S31: a topic may reference a sales script', () => {
    expect(sales(edit(salesInput(), ['script', 'scripts/wholesale'])).script).toBe('scripts/wholesale');
    expect(codes(issuesOf(edit(salesInput(), ['script', ''])))).toEqual(['too_small@script']);
  });

  it('S32: several deals with one client are allowed by default, or forbidden', () => {
    expect(sales(salesInput()).parameters.concurrentDeals).toBe('allowed');
    expect(sales(edit(salesInput(), ['parameters', { concurrentDeals: 'forbidden' }])).parameters.concurrentDeals).toBe('forbidden');
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { concurrentDeals: true }])))).toEqual(['invalid_value@parameters.concurrentDeals']);
  });

  it('S33: planning the next event is optional by default, or mandatory', () => {
    expect(sales(salesInput()).parameters.planning).toBe('optional');
    expect(sales(edit(salesInput(), ['parameters', { planning: 'mandatory' }])).parameters.planning).toBe('mandatory');
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { planning: 'always' }])))).toEqual(['invalid_value@parameters.planning']);
  });

  it('S34: a deal closes on its finishing outcome by default, or on business events', () => {
    expect(sales(salesInput()).parameters.closeOn).toEqual({ on: 'finish' });
    const closeOn = { on: 'business-event', events: ['invoice-paid', 'goods-shipped'] };
    expect(sales(edit(salesInput(), ['parameters', { closeOn }])).parameters.closeOn).toEqual(closeOn);
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { closeOn: { on: 'business-event' } }])))).toEqual(['required@parameters.closeOn.events']);
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { closeOn: { on: 'business-event', events: [] } }])))).toEqual([
      'too_small@parameters.closeOn.events',
    ]);
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { closeOn: { on: 'finish', events: ['x'] } }])))).toEqual([
      'unknown_key@parameters.closeOn.events',
    ]);
  });

  it('S35: planned activities and unpaid invoices are kept after close by default, or cancelled', () => {
    expect(sales(salesInput()).parameters.afterClose).toEqual({ plannedActivities: 'keep', unpaidInvoices: 'keep' });
    const partly = sales(edit(salesInput(), ['parameters', { afterClose: { unpaidInvoices: 'cancel' } }]));
    expect(partly.parameters.afterClose).toEqual({ plannedActivities: 'keep', unpaidInvoices: 'cancel' });
    expect(codes(issuesOf(edit(salesInput(), ['parameters', { afterClose: { plannedActivities: 'delete' } }])))).toEqual([
      'invalid_value@parameters.afterClose.plannedActivities',
    ]);
  });

  it('S36: a saved sales topic is a complete definition that parses again to itself', () => {
    const topic = sales(salesInput());
    expect(parseTopic(topic)).toEqual(topic);
    expect(parseTopic(JSON.parse(JSON.stringify(topic)))).toEqual(topic);
    expect(lintTopic(topic)).toEqual([]);
  });

  it('S37: an audit topic has outcome kinds that each require a comment, and no stages', () => {
    const { topic } = valid(auditInput());
    expect(topic.kind === 'audit' && topic.outcomeKinds.every((kind) => kind.commentRequired)).toBe(true);
    const issues = issuesOf(edit(auditInput(), ['outcomeKinds.1.commentRequired', DELETE]));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'audit_kind_without_comment', path: 'outcomeKinds[1].commentRequired', rule: 'S37', value: 'shelf-empty' }),
    ]);
    expect(codes(issuesOf(edit(auditInput(), ['stages', []])))).toEqual(['unknown_key@stages']);
    expect(codes(issuesOf(edit(auditInput(), ['maxDuration', 'P1D'])))).toEqual(['unknown_key@maxDuration']);
  });

  it('S38: a service topic has a name, an instruction and a script, and nothing of sales', () => {
    const { topic } = valid(serviceInput());
    expect(topic).toEqual({
      id: 'support',
      name: 'Сервисное обслуживание',
      kind: 'service',
      version: 1,
      instruction: 'Отвечайте в течение часа.',
      script: 'scripts/support',
    });
    for (const key of ['stages', 'outcomeKinds', 'parameters', 'maxDuration']) {
      expect(codes(issuesOf(edit(serviceInput(), [key, []])))).toEqual([`unknown_key@${key}`]);
    }
  });
});

describe('peer features', () => {
  it('stage probability: 0–100 percent, an error outside, a warning when it falls along the stages', () => {
    expect(sales(salesInput()).stages.map((stage) => stage.probability)).toEqual([10, 40, 80]);
    expect(valid(edit(salesInput(), ['stages.0.probability', 0], ['stages.2.probability', 100])).warnings).toEqual([]);
    for (const [value, path] of [
      [-1, 'stages[1].probability'],
      [100.5, 'stages[1].probability'],
    ] as const) {
      expect(issuesOf(edit(salesInput(), ['stages.1.probability', value]))).toEqual([
        expect.objectContaining({ code: 'probability_out_of_range', path, value }),
      ]);
    }
    const { warnings } = valid(edit(salesInput(), ['stages.2.probability', 30]));
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'probability_decreasing', path: 'stages[2].probability', value: 30 })]);
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.probability', '40'])))).toEqual(['invalid_type@stages[1].probability']);
    // NaN is reported as text, so that the issue survives JSON (where NaN would read as null).
    const [nan] = issuesOf(edit(salesInput(), ['stages.1.probability', Number.NaN]));
    expect(nan).toMatchObject({ code: 'invalid_type', path: 'stages[1].probability', value: 'NaN' });
    expect(JSON.parse(JSON.stringify(nan))).toEqual(nan);
  });

  it('idleLimit: a stage may set how long a deal may go without activity', () => {
    expect(sales(salesInput()).stages[1]?.idleLimit).toBe('P1D');
    expect(sales(edit(salesInput(), ['stages.0.idleLimit', 'PT90M'])).stages[0]?.idleLimit).toBe('PT90M');
    expect(codes(issuesOf(edit(salesInput(), ['stages.1.idleLimit', 'P0D'])))).toEqual(['invalid_duration@stages[1].idleLimit']);
  });

  it('requiredFields: a stage may require fields, which must be defined', () => {
    const topic = sales(salesInput());
    expect(topic.stages.map((stage) => stage.requiredFields)).toEqual([[], ['budget'], []]);
    const issues = issuesOf(edit(salesInput(), ['stages.2.requiredFields', ['size', 'inn']]));
    expect(issues).toEqual([expect.objectContaining({ code: 'unknown_field', path: 'stages[2].requiredFields[1]', rule: 'S29', value: 'inn' })]);
  });

  it('global outcomes are available in every stage: a global finish lets every stage end', () => {
    const topic = sales(salesInput());
    expect(topic.globalOutcomes).toEqual([{ id: 'refused', name: 'Отказ', finish: 'negative', kindRequired: true, commentRequired: false }]);
    // Without the global refusal, a stage whose only way out loops back cannot end.
    const loop = edit(salesInput(), ['stages.2.outcomes.0', { id: 'back', name: 'Назад', to: 'offer' }]);
    expect(valid(loop).warnings).toEqual([]);
    expect(codes(issuesOf(edit(loop, ['globalOutcomes', []])))).toEqual([
      'no_finish_reachable@stages[0]',
      'no_finish_reachable@stages[1]',
      'no_finish_reachable@stages[2]',
    ]);
  });

  it('defaults are filled in', () => {
    const minimal = {
      id: 'mini',
      name: 'Мини',
      kind: 'sales',
      stages: [{ id: 'only', name: 'Единственная', outcomes: [{ id: 'won', name: 'Успех', finish: 'positive' }] }],
    };
    expect(parseTopic(minimal)).toEqual({
      id: 'mini',
      name: 'Мини',
      kind: 'sales',
      version: 1,
      deadlineChange: { approval: 'none', approvers: [], selfApproval: false },
      stages: [
        {
          id: 'only',
          name: 'Единственная',
          requiredFields: [],
          outcomes: [{ id: 'won', name: 'Успех', finish: 'positive', kindRequired: false, commentRequired: false }],
        },
      ],
      globalOutcomes: [],
      outcomeKinds: [],
      fields: [],
      documents: [],
      parameters: {
        concurrentDeals: 'allowed',
        planning: 'optional',
        closeOn: { on: 'finish' },
        afterClose: { plannedActivities: 'keep', unpaidInvoices: 'keep' },
        plannedContacts: 'author-only',
        sharedAssignmentOnFinish: false,
      },
    });
    const calendar = sales(edit(minimal, ['calendar', { timeZone: 'Europe/Moscow' }])).calendar;
    expect(calendar).toEqual({ timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], holidays: [], workingDays: [] });
    expect(valid(edit(auditInput(), ['outcomeKinds', DELETE])).topic).toEqual({
      id: 'store-audit',
      name: 'Аудит торговой точки',
      kind: 'audit',
      version: 1,
      instruction: 'Проверьте выкладку.',
      outcomeKinds: [],
    });
  });
});

describe('the standard topic and the parsing API', () => {
  it('parseTopic(standardTopic) deep-equals standardTopic, as a new object', () => {
    const parsed = parseTopic(standardTopic);
    expect(parsed).toEqual(standardTopic);
    expect(parsed).not.toBe(standardTopic);
    expect(lintTopic(standardTopic)).toEqual([]);
  });

  it('standardTopic is frozen all the way down', () => {
    const frozen: unknown[] = [];
    const visit = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      frozen.push(Object.isFrozen(value));
      for (const child of Object.values(value)) visit(child);
    };
    visit(standardTopic);
    expect(frozen.length).toBeGreaterThan(30);
    expect(frozen.every(Boolean)).toBe(true);
    const stage = standardTopic.stages[0] as { name: string };
    expect(() => {
      stage.name = 'Другое';
    }).toThrow(TypeError);
    expect(() => (standardTopic.stages as unknown[]).push({})).toThrow(TypeError);
    expect(standardTopic.stages[0]?.name).toBe('Новый');
  });

  it('speaks Russian with { locale: "ru" } for schema issues', () => {
    const input = edit(
      salesInput(),
      ['name', DELETE],
      ['color', 'red'],
      ['maxDuration', 'P1M'],
      ['stages.0.id', '__proto__'],
      ['stages.1.probability', Number.NaN],
      ['stages.2.name', 'x'.repeat(201)],
      ['fields.0.type', 'color'],
      ['fields.1.type', DELETE],
      ['parameters', { planning: 'always', closeOn: { on: 'never' } }],
      ['deadlineChange', {}],
      ['calendar', { timeZone: 'Mars/Olympus', holidays: ['2025-02-30'], workHours: { start: '9:00', end: '18:00' } }],
    );
    const english = issuesOf(input);
    const russian = issuesOf(input, { locale: 'ru' });
    expect(codes(russian)).toEqual(codes(english));
    expect(new Set(russian.map((issue) => issue.code))).toEqual(
      new Set(['required', 'unknown_key', 'invalid_duration', 'invalid_id', 'invalid_type', 'too_big', 'invalid_value', 'invalid_time_zone', 'invalid_date', 'invalid_time']),
    );
    russian.forEach((issue, index) => {
      expect(issue.message, `${issue.code} at ${issue.path}`).toMatch(CYRILLIC);
      expect(issue.message).not.toBe(english[index]?.message);
      expect(issue.message).not.toMatch(/\b(?:Expected|Required|Invalid|Unknown|expected|received)\b/);
    });
    const ru = (path: string) => russian.find((issue) => issue.path === path)?.message;
    const en = (path: string) => english.find((issue) => issue.path === path)?.message;
    expect(ru('name')).toBe('Обязательное поле: нужно указать строку.');
    expect(en('name')).toBe('Required: expected string.');
    // A wrong or missing discriminator names the options, in both languages.
    const options = '"text" | "number" | "date" | "boolean" | "select"';
    expect(ru('fields[0].type')).toBe(`Неверный вариант: ожидалось одно из ${options}.`);
    expect(en('fields[0].type')).toBe(`Invalid option: expected one of ${options}.`);
    expect(ru('fields[1].type')).toBe(`Обязательное поле: нужно указать одно из значений ${options}.`);
    expect(ru('deadlineChange.approval')).toBe('Обязательное поле: нужно указать одно из значений "none" | "required".');
    expect(issuesOf(edit(serviceInput(), ['kind', 'x']), { locale: 'ru' })[0]?.message).toBe('Ожидался тип темы: «sales», «audit» или «service» (S23).');
  });

  it('speaks Russian with { locale: "ru" } for lint issues', () => {
    const input = edit(
      salesInput(),
      ['stages.0.outcomes.0.to', 'nowhere'],
      ['stages.1.id', 'lead'],
      ['outcomeKinds.1.id', 'price'],
      ['fields.1.options.1.id', 's'],
      ['stages.2.requiredFields', ['inn']],
      ['stages.2.maxDuration', 'P31D'],
      ['documents.0.stages', ['nowhere']],
      ['deadlineChange', { approval: 'required' }],
      ['fields.0.max', -1],
      ['stages.3', { id: 'orphan', name: 'Сирота', outcomes: [{ id: 'won', name: 'Успех', finish: 'positive' }] }],
      ['globalOutcomes.0.kinds', ['nope']],
      ['calendar', { timeZone: 'UTC', holidays: ['2025-01-01'], workingDays: ['2025-01-01'] }],
    );
    const english = issuesOf(input);
    const russian = issuesOf(input, { locale: 'ru' });
    expect(codes(russian)).toEqual(codes(english));
    expect(new Set(russian.map((issue) => issue.code))).toEqual(
      new Set([
        'duplicate_id',
        'unknown_stage',
        'unknown_field',
        'unknown_kind',
        'no_kinds_available',
        'stage_limit_exceeds_deal_limit',
        'approvers_missing',
        'invalid_range',
        'conflicting_dates',
        'unreachable_stage',
      ]),
    );
    russian.forEach((issue, index) => {
      expect(issue.message, `${issue.code} at ${issue.path}`).toMatch(CYRILLIC);
      expect(issue.message).not.toBe(english[index]?.message);
      // The kind of a duplicate id is named in Russian too, not as "stage" or "outcome kind".
      expect(issue.message).not.toMatch(/\b(?:stage|outcome|kind|field|option|document)\b/);
    });
    expect(russian.find((issue) => issue.path === 'stages[1].id')?.message).toBe('Идентификатор стадии «lead» повторяется: он уже занят в stages[0].');
    const warnings = valid(edit(salesInput(), ['stages.2.outcomes', []], ['stages.2.probability', 5]), { locale: 'ru' }).warnings;
    expect(warnings.map((warning) => warning.code)).toEqual(['negotiations_ongoing', 'probability_decreasing']);
    for (const warning of warnings) expect(warning.message).toMatch(CYRILLIC);
  });

  it('parseTopic throws a TopicValidationError carrying every issue', () => {
    const input = edit(salesInput(), ['stages.0.outcomes.0.to', 'nowhere'], ['stages.1.maxDuration', 'P1Y']);
    let caught: unknown;
    try {
      parseTopic(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TopicValidationError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as TopicValidationError;
    expect(error.name).toBe('TopicValidationError');
    expect(codes(error.issues)).toEqual(['invalid_duration@stages[1].maxDuration']);
    expect(error.message).toContain('stages[1].maxDuration');
    expect(error.message).toContain('[invalid_duration]');
    // Shape errors stop before lint; lint errors are reported in full when the shape is right.
    expect(() => parseTopic(edit(salesInput(), ['stages.0.outcomes.0.to', 'nowhere']))).toThrow(/stages\[0\]\.outcomes\[0\]\.to/);
    expect(() => parseTopic(null)).toThrow(TopicValidationError);
  });

  it('{ lint: false } lets lint errors through, as findings beside the warnings', () => {
    const input = edit(salesInput(), ['stages.1.outcomes.0.to', 'nowhere'], ['stages.2.outcomes', []]);
    expect(safeParseTopic(input).ok).toBe(false);
    const result = safeParseTopic(input, { lint: false });
    expect(result.ok).toBe(true);
    expect(result.ok && codes(result.warnings)).toEqual(['unknown_stage@stages[1].outcomes[0].to', 'negotiations_ongoing@stages[2]', 'unreachable_stage@stages[2]']);
    expect(result.ok && result.topic.kind === 'sales' && result.topic.stages[1]?.outcomes[0]).toMatchObject({ to: 'nowhere' });
    // It does not let shape errors through.
    expect(safeParseTopic(edit(input, ['stages.0.maxDuration', 'P1M']), { lint: false }).ok).toBe(false);
    expect(parseTopic(input, { lint: false }).id).toBe('wholesale');
  });

  it('never changes its input', () => {
    const input = deepFreeze(edit(salesInput(), ['calendar', { timeZone: 'Europe/Moscow' }]));
    const before = structuredClone(input);
    const topic = sales(input);
    expect(input).toEqual(before);
    expect(topic).not.toBe(input);
    expect((input as { stages: { requiredFields?: unknown }[] }).stages[0]?.requiredFields).toBeUndefined();
  });
});

describe('topicJsonSchema', () => {
  type Schema = Readonly<Record<string, unknown>>;
  const KNOWN = new Set([
    '$schema', '$id', 'title', 'description', 'default', 'type', 'properties', 'required', 'additionalProperties', 'items',
    'enum', 'const', 'oneOf', 'anyOf', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum',
    'exclusiveMinimum', 'exclusiveMaximum',
  ]);

  /** The keywords a schema uses, so the checker below can refuse to pass what it does not understand. */
  function keywords(schema: Schema, found = new Set<string>()): Set<string> {
    for (const [key, value] of Object.entries(schema)) {
      found.add(key);
      if (key === 'properties') for (const child of Object.values(value as Record<string, Schema>)) keywords(child, found);
      if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) keywords(value as Schema, found);
      if (key === 'oneOf' || key === 'anyOf') for (const child of value as Schema[]) keywords(child, found);
    }
    return found;
  }

  function isType(value: unknown, type: unknown): boolean {
    switch (type) {
      case 'object':
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      default:
        return typeof value === type;
    }
  }

  /** A checker for the keywords above, enough to run topics through the generated schema. */
  function check(schema: Schema, value: unknown, path = '$'): string[] {
    const errors: string[] = [];
    const fail = (what: string) => errors.push(`${path}: ${what}`);
    if ('const' in schema && value !== schema.const) fail('const');
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail('enum');
    if (schema.type !== undefined && !isType(value, schema.type)) return [...errors, `${path}: type ${String(schema.type)}`];
    if (typeof value === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail('pattern');
      if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) fail('minLength');
      if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) fail('maxLength');
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) fail('minimum');
      if (typeof schema.maximum === 'number' && value > schema.maximum) fail('maximum');
      if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail('exclusiveMinimum');
      if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) fail('exclusiveMaximum');
    }
    if (Array.isArray(value)) {
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('minItems');
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail('maxItems');
      if (schema.items !== undefined) value.forEach((item, index) => errors.push(...check(schema.items as Schema, item, `${path}[${index}]`)));
    }
    if (isType(value, 'object')) {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) if (!Object.hasOwn(object, key)) fail(`required ${key}`);
      for (const [key, child] of Object.entries(object)) {
        if (Object.hasOwn(properties, key)) errors.push(...check(properties[key] as Schema, child, `${path}.${key}`));
        else if (schema.additionalProperties === false) fail(`additional ${key}`);
      }
    }
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some((branch: Schema) => check(branch, value, path).length === 0)) fail('anyOf');
    if (Array.isArray(schema.oneOf) && schema.oneOf.filter((branch: Schema) => check(branch, value, path).length === 0).length !== 1) fail('oneOf');
    return errors;
  }

  const schema = topicJsonSchema();

  it('is a draft 2020-12 schema with one branch per kind and the required properties of an author', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://www.npmjs.com/package/crm-topics/topic.schema.json');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    const branches = schema.oneOf as Schema[];
    expect(branches.map((branch) => (branch.properties as Record<string, Schema>).kind?.const)).toEqual(['sales', 'audit', 'service']);
    // Properties with defaults may be left out: only these are required.
    expect(branches.map((branch) => [...(branch.required as string[])].sort())).toEqual([
      ['id', 'kind', 'name', 'stages'],
      ['id', 'kind', 'name'],
      ['id', 'kind', 'name'],
    ]);
    expect(branches.every((branch) => branch.additionalProperties === false)).toBe(true);
    expect([...keywords(schema)].filter((keyword) => !KNOWN.has(keyword))).toEqual([]);
  });

  it('accepts the topics parseTopic accepts, written out or with defaults left out', () => {
    const example: unknown = JSON.parse(readFileSync(exampleFile, 'utf8'));
    for (const topic of [standardTopic, example, salesInput(), auditInput(), serviceInput(), parseTopic(salesInput())]) {
      expect(check(schema, JSON.parse(JSON.stringify(topic)))).toEqual([]);
    }
  });

  it('rejects what the schema part of parseTopic rejects', () => {
    const rejected: [unknown, string][] = [
      [edit(salesInput(), ['colour', 'red']), '$: oneOf'],
      [edit(salesInput(), ['stages', DELETE]), '$: oneOf'],
      [edit(salesInput(), ['kind', 'marketing']), '$: oneOf'],
      [edit(salesInput(), ['stages.0.id', '__proto__']), '$: oneOf'],
      [edit(salesInput(), ['stages.0.maxDuration', 'P1M']), '$: oneOf'],
      [edit(salesInput(), ['fields.0.type', 'color']), '$: oneOf'],
      [null, '$: oneOf'],
    ];
    for (const [input, error] of rejected) {
      expect(safeParseTopic(input).ok).toBe(false);
      expect(check(schema, input)).toContain(error);
    }
  });
});
