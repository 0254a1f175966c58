import { describe, expect, expectTypeOf, it } from 'vitest';
import { compileTopic, openDeal, parseTopic, standardTopic, TopicValidationError, type CompiledEventTopic, type CompiledSalesTopic, type CompiledTopic } from '../../src/index.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import { compileSales, DAY, newClientsInput } from '../support.js';

describe('compileTopic', () => {
  const topic = compileSales(standardTopic);

  it('indexes stages in procedure order (S7), with their outcomes and the global ones (S8)', () => {
    expect(topic.stageList.map((stage) => [stage.id, stage.index])).toEqual([
      ['new', 0],
      ['acquaintance', 1],
      ['offer', 2],
      ['payment', 3],
      ['shipment', 4],
    ]);
    expect(topic.firstStage.id).toBe('new');
    const acquaintance = topic.stages.get('acquaintance');
    expect([...(acquaintance?.outcomes.keys() ?? [])]).toEqual(['interested', 'no-answer', 'refused']);
    expect(acquaintance?.outcomes.get('interested')).toMatchObject({ to: 'offer', finish: null, cyclic: false, global: false });
    expect(acquaintance?.outcomes.get('no-answer')).toMatchObject({ to: 'acquaintance', cyclic: true, restartsStageClock: false });
    expect(acquaintance?.outcomes.get('refused')).toMatchObject({ to: null, finish: 'negative', global: true, kindRequired: true });
    expect([...(acquaintance?.outcomes.get('refused')?.kinds.keys() ?? [])]).toEqual(['too-expensive', 'competitor', 'no-need', 'unreachable', 'other']);
  });

  it('parses limits once: stage limits (S6), idle limits and the deal limit (S24)', () => {
    expect(topic.stages.get('acquaintance')).toMatchObject({ limit: { days: 2 }, idleLimit: { days: 1 } });
    expect(topic.stages.get('payment')?.idleLimit).toBeNull();
    expect(topic.maxDuration).toMatchObject({ weeks: 0, days: 30, hours: 0 });
    expect(topic.calendar).toBeNull();
  });

  it('indexes kinds, fields, documents per stage (S28) and the events that close deals (S34)', () => {
    expect([...topic.fields.keys()]).toEqual(['delivery-date', 'carrier']);
    expect(topic.kinds.get('competitor')).toMatchObject({ polarity: 'negative', commentRequired: true });
    expect(topic.stages.get('offer')?.documents.map((document) => document.id)).toEqual(['offer-template']);
    expect(topic.stages.get('new')?.documents).toEqual([]);
    expect(topic.closeEvents.size).toBe(0);
    const onPayment = compileSales({ ...structuredClone(standardTopic), parameters: { ...standardTopic.parameters, closeOn: { on: 'business-event', events: ['invoice-paid'] } } });
    expect([...onPayment.closeEvents]).toEqual(['invoice-paid']);
  });

  it('is frozen, and compiling never mutates the definition', () => {
    const input = deepFreeze(newClientsInput());
    const before = structuredClone(input);
    const compiled = compileSales(input);
    expect(input).toEqual(before);
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(Object.isFrozen(compiled.definition.stages[0])).toBe(true);
    expect(Object.isFrozen(compiled.stageList[0])).toBe(true);
    expect(compiled.definition).toEqual(parseTopic(before));
  });

  it('gives equal results for the same definition', () => {
    const first = compileSales(newClientsInput());
    const second = compileSales(newClientsInput());
    const { machine: firstMachine, ...firstRest } = first;
    const { machine: secondMachine, ...secondRest } = second;
    expect(firstRest).toEqual(secondRest);
    // The machines' structure (states, transitions, guards with their parameters, targets), functions aside.
    const structure = (machine: typeof firstMachine) => JSON.parse(JSON.stringify(machine.toJSON())) as unknown;
    expect(structure(firstMachine)).toEqual(structure(secondMachine));
    expect(JSON.stringify(structure(firstMachine))).toContain('"offer-accepted"');
  });

  it('refuses an invalid topic with every issue, schema or lint', () => {
    expect(() => compileTopic({ kind: 'sales' })).toThrow(TopicValidationError);
    const broken = { ...structuredClone(standardTopic), globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] };
    try {
      compileTopic(broken);
      expect.fail('expected a TopicValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(TopicValidationError);
      expect((error as TopicValidationError).issues).toContainEqual(expect.objectContaining({ code: 'unknown_stage', path: 'globalOutcomes[0].to' }));
    }
  });

  it('takes a working calendar at compile time when the topic has none, and validates it', () => {
    const calendar = { timeZone: 'Europe/Moscow', workDays: [1, 2, 3, 4, 5], holidays: [], workingDays: [] };
    const compiled = compileSales(standardTopic);
    const withCalendar = compileTopic(standardTopic, { calendar });
    expect(compiled.calendar).toBeNull();
    expect(withCalendar.kind === 'sales' && withCalendar.calendar?.timeZone).toBe('Europe/Moscow');
    expect(withCalendar.kind === 'sales' && withCalendar.definition.calendar).toMatchObject(calendar);
    expect(() => compileTopic(standardTopic, { calendar: { ...calendar, timeZone: 'Mars/Olympus' } })).toThrow(TopicValidationError);
    // A Friday 17:00 Moscow deal with "new" limited to P1D is due on Monday at 17:00, not on Saturday.
    const friday = Date.parse('2026-01-16T17:00:00+03:00');
    const opened = openDeal(withCalendar, { id: 'd', clientId: 'c', ownerId: 'u', at: friday });
    expect(opened.ok && new Date(opened.deal.stageDueAt ?? 0).toISOString()).toBe('2026-01-19T14:00:00.000Z');
    const plain = openDeal(compiled, { id: 'd', clientId: 'c', ownerId: 'u', at: friday });
    expect(plain.ok && plain.deal.stageDueAt).toBe(friday + DAY);
  });

  it('compiles audit and service topics (S37, S38) with their kinds and machines', () => {
    const audit = compileTopic({
      id: 'shop-audit',
      name: 'Аудит магазина',
      kind: 'audit',
      outcomeKinds: [{ id: 'no-stock', name: 'Нет товара', polarity: 'negative', commentRequired: true }],
    });
    expect(audit).toMatchObject({ kind: 'audit', id: 'shop-audit', version: 1 });
    expect(audit.kind === 'audit' && [...audit.kinds.keys()]).toEqual(['no-stock']);
    const service = compileTopic({ id: 'service', name: 'Сервис', kind: 'service' });
    expect(service.kind === 'service' && service.kinds.size).toBe(0);
    expect(service.machine.id).toBe('service');
  });
});

describe('compileTopic types follow the kind TypeScript knows', () => {
  it('a sales topic compiles to CompiledSalesTopic, an audit or service literal to CompiledEventTopic, unknown input to the union', () => {
    const sales = compileTopic(standardTopic);
    expectTypeOf(sales).toEqualTypeOf<CompiledSalesTopic>();
    expect(sales.stages.get('offer')?.outcomes.get('accepted')?.to).toBe('payment');
    const service = compileTopic({ id: 'visits', name: 'Visits', kind: 'service' });
    expectTypeOf(service).toEqualTypeOf<CompiledEventTopic>();
    expect(service.kind).toBe('service');
    const parsed: unknown = JSON.parse(JSON.stringify(standardTopic));
    expectTypeOf(compileTopic(parsed)).toEqualTypeOf<CompiledTopic>();
  });
});
