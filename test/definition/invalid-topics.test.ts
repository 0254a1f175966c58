import { describe, expect, it } from 'vitest';
import { safeParseTopic, type ParseResult } from '../../src/index.js';
import { auditInput, deepFreeze, DELETE, edit, salesInput, serviceInput } from './helpers.js';

/*
 * A table of invalid topics, each with the issue it must produce (code and
 * path, exact strings). Every row also checks the guarantees that hold for
 * any input: safeParseTopic does not throw, does not touch its (frozen)
 * input, and leaves Object.prototype alone.
 */

interface Row {
  readonly name: string;
  readonly input: unknown;
  readonly code: string;
  readonly path: string;
}

const sales = (...changes: (readonly [string, unknown])[]): unknown => edit(salesInput(), ...changes);
const audit = (...changes: (readonly [string, unknown])[]): unknown => edit(auditInput(), ...changes);
const service = (...changes: (readonly [string, unknown])[]): unknown => edit(serviceInput(), ...changes);
const calendar = (value: Record<string, unknown>): unknown => sales(['calendar', { timeZone: 'Europe/Moscow', ...value }]);
const finishing = [{ id: 'won', name: 'Успех', finish: 'positive' }];

/** A topic JSON text with an own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype instead). */
const ownProtoTopLevel: unknown = JSON.parse(JSON.stringify(salesInput()).replace(/^\{/, '{"__proto__":{"polluted":true},'));
const ownProtoInStage: unknown = JSON.parse(JSON.stringify(salesInput()).replace('"id":"lead",', '"id":"lead","__proto__":{"polluted":true},'));
const ownProtoInParameters: unknown = JSON.parse(JSON.stringify(salesInput()).replace(/\}$/, ',"parameters":{"__proto__":{"planning":"mandatory","polluted":true}}}'));

const manyStages = Array.from({ length: 10_000 }, (_, index) => ({ id: `s${index}`, name: `Стадия ${index}`, outcomes: finishing }));

const rows: readonly Row[] = [
  // Not an object at all.
  { name: 'null', input: null, code: 'invalid_type', path: '' },
  { name: 'an array', input: [], code: 'invalid_type', path: '' },
  { name: 'an array holding a topic', input: [salesInput()], code: 'invalid_type', path: '' },
  { name: 'a string', input: 'sales', code: 'invalid_type', path: '' },
  { name: 'a number', input: 42, code: 'invalid_type', path: '' },
  { name: 'a boolean', input: true, code: 'invalid_type', path: '' },

  // The kind (S23).
  { name: 'an empty object', input: {}, code: 'invalid_kind', path: 'kind' },
  { name: 'an unknown kind', input: sales(['kind', 'marketing']), code: 'invalid_kind', path: 'kind' },
  { name: 'a kind in capitals', input: sales(['kind', 'SALES']), code: 'invalid_kind', path: 'kind' },
  { name: 'no kind', input: sales(['kind', DELETE]), code: 'invalid_kind', path: 'kind' },

  // Missing properties.
  { name: 'no topic id', input: sales(['id', DELETE]), code: 'required', path: 'id' },
  { name: 'no stages in a sales topic', input: sales(['stages', DELETE]), code: 'required', path: 'stages' },
  { name: 'a stage without a name', input: sales(['stages.1.name', DELETE]), code: 'required', path: 'stages[1].name' },
  { name: 'a stage without an id', input: sales(['stages.0.id', DELETE]), code: 'required', path: 'stages[0].id' },
  { name: 'an outcome with neither target nor finish', input: sales(['stages.0.outcomes.0', { id: 'x', name: 'X' }]), code: 'required', path: 'stages[0].outcomes[0].to' },
  { name: 'a field without a type', input: sales(['fields.0.type', DELETE]), code: 'required', path: 'fields[0].type' },
  { name: 'a select field without options', input: sales(['fields.1.options', DELETE]), code: 'required', path: 'fields[1].options' },
  { name: 'a deadline change without approval', input: sales(['deadlineChange', {}]), code: 'required', path: 'deadlineChange.approval' },
  { name: 'business-event closing without events', input: sales(['parameters', { closeOn: { on: 'business-event' } }]), code: 'required', path: 'parameters.closeOn.events' },
  { name: 'closing without "on"', input: sales(['parameters', { closeOn: {} }]), code: 'required', path: 'parameters.closeOn.on' },
  { name: 'a calendar without a time zone', input: sales(['calendar', {}]), code: 'required', path: 'calendar.timeZone' },
  { name: 'an outcome kind without a name', input: sales(['outcomeKinds.0.name', DELETE]), code: 'required', path: 'outcomeKinds[0].name' },
  { name: 'a document without a template', input: sales(['documents.0.template', DELETE]), code: 'required', path: 'documents[0].template' },
  { name: 'an audit kind without an id', input: audit(['outcomeKinds.0.id', DELETE]), code: 'required', path: 'outcomeKinds[0].id' },
  { name: 'a service topic without a name', input: service(['name', DELETE]), code: 'required', path: 'name' },

  // Wrong types.
  { name: 'a number as the name', input: sales(['name', 5]), code: 'invalid_type', path: 'name' },
  { name: 'an object as the stages', input: sales(['stages', {}]), code: 'invalid_type', path: 'stages' },
  { name: 'a string as a stage', input: sales(['stages.0', 'lead']), code: 'invalid_type', path: 'stages[0]' },
  { name: 'a number as a target', input: sales(['stages.0.outcomes.0.to', 5]), code: 'invalid_type', path: 'stages[0].outcomes[0].to' },
  { name: 'a string as kindRequired', input: sales(['globalOutcomes.0.kindRequired', 'yes']), code: 'invalid_type', path: 'globalOutcomes[0].kindRequired' },
  { name: 'a string as the version', input: sales(['version', '1']), code: 'invalid_type', path: 'version' },
  { name: 'a fractional version', input: sales(['version', 1.5]), code: 'invalid_type', path: 'version' },
  { name: 'a string as requiredFields', input: sales(['stages.1.requiredFields', 'budget']), code: 'invalid_type', path: 'stages[1].requiredFields' },
  { name: 'a number as a duration', input: sales(['maxDuration', 2]), code: 'invalid_type', path: 'maxDuration' },
  { name: 'a string as workDays', input: calendar({ workDays: '1-5' }), code: 'invalid_type', path: 'calendar.workDays' },
  { name: 'a fractional weekday', input: calendar({ workDays: [1.5] }), code: 'invalid_type', path: 'calendar.workDays[0]' },
  { name: 'one approver instead of a list', input: sales(['deadlineChange', { approval: 'required', approvers: { role: 'director' } }]), code: 'invalid_type', path: 'deadlineChange.approvers' },

  // NaN and Infinity.
  { name: 'NaN probability', input: sales(['stages.0.probability', Number.NaN]), code: 'invalid_type', path: 'stages[0].probability' },
  { name: 'Infinity probability', input: sales(['stages.0.probability', Number.POSITIVE_INFINITY]), code: 'invalid_type', path: 'stages[0].probability' },
  { name: '-Infinity as a number field minimum', input: sales(['fields.0.min', Number.NEGATIVE_INFINITY]), code: 'invalid_type', path: 'fields[0].min' },
  { name: 'NaN as a number field maximum', input: sales(['fields.0.max', Number.NaN]), code: 'invalid_type', path: 'fields[0].max' },
  { name: 'NaN version', input: sales(['version', Number.NaN]), code: 'invalid_type', path: 'version' },

  // Unknown keys, prototype keys included.
  { name: 'an unknown top-level key', input: sales(['colour', 'red']), code: 'unknown_key', path: 'colour' },
  { name: 'an own __proto__ key (JSON.parse)', input: ownProtoTopLevel, code: 'unknown_key', path: '__proto__' },
  { name: 'an own __proto__ key in a stage', input: ownProtoInStage, code: 'unknown_key', path: 'stages[0].__proto__' },
  { name: 'an own __proto__ key in parameters', input: ownProtoInParameters, code: 'unknown_key', path: 'parameters.__proto__' },
  { name: 'a constructor key', input: sales(['constructor', { prototype: { polluted: true } }]), code: 'unknown_key', path: 'constructor' },
  { name: 'a prototype key in an outcome', input: sales(['stages.0.outcomes.0.prototype', { polluted: true }]), code: 'unknown_key', path: 'stages[0].outcomes[0].prototype' },
  { name: 'a constructor key in a calendar', input: calendar({ constructor: { polluted: true } }), code: 'unknown_key', path: 'calendar.constructor' },
  { name: 'a key with a space', input: sales(['stages.0.max duration', 'P2D']), code: 'unknown_key', path: 'stages[0]["max duration"]' },
  { name: 'stages in an audit topic', input: audit(['stages', []]), code: 'unknown_key', path: 'stages' },
  { name: 'outcome kinds in a service topic', input: service(['outcomeKinds', []]), code: 'unknown_key', path: 'outcomeKinds' },
  { name: 'a maximum duration in a service topic', input: service(['maxDuration', 'P1D']), code: 'unknown_key', path: 'maxDuration' },
  { name: 'an outcome with both target and finish', input: sales(['stages.0.outcomes.0.finish', 'positive']), code: 'unknown_key', path: 'stages[0].outcomes[0].finish' },
  { name: 'options on a text field', input: sales(['fields.0', { id: 'note', name: 'Заметка', type: 'text', options: [] }]), code: 'unknown_key', path: 'fields[0].options' },

  // Invalid ids.
  { name: '__proto__ as a stage id', input: sales(['stages.0.id', '__proto__']), code: 'invalid_id', path: 'stages[0].id' },
  { name: 'an empty stage id', input: sales(['stages.0.id', '']), code: 'invalid_id', path: 'stages[0].id' },
  { name: 'a topic id with a space', input: sales(['id', 'my topic']), code: 'invalid_id', path: 'id' },
  { name: 'an outcome id starting with a dash', input: sales(['stages.0.outcomes.0.id', '-x']), code: 'invalid_id', path: 'stages[0].outcomes[0].id' },
  { name: 'a Cyrillic kind id with a dot (XState reserves it)', input: sales(['outcomeKinds.0.id', 'дорого.очень']), code: 'invalid_id', path: 'outcomeKinds[0].id' },
  { name: 'a field id of 65 characters', input: sales(['fields.0.id', 'f'.repeat(65)]), code: 'invalid_id', path: 'fields[0].id' },
  { name: '__proto__ as a required field', input: sales(['stages.1.requiredFields', ['__proto__']]), code: 'invalid_id', path: 'stages[1].requiredFields[0]' },
  { name: 'a document stage with punctuation', input: sales(['documents.0.stages', ['offer!']]), code: 'invalid_id', path: 'documents[0].stages[0]' },
  { name: 'a closing event with a space', input: sales(['parameters', { closeOn: { on: 'business-event', events: ['invoice paid'] } }]), code: 'invalid_id', path: 'parameters.closeOn.events[0]' },

  // References to nothing.
  { name: 'a target stage that does not exist', input: sales(['stages.2.outcomes.0', { id: 'ship', name: 'Отгрузить', to: 'shipment' }]), code: 'unknown_stage', path: 'stages[2].outcomes[0].to' },
  { name: 'constructor as a target stage', input: sales(['stages.1.outcomes.0.to', 'constructor']), code: 'unknown_stage', path: 'stages[1].outcomes[0].to' },
  { name: 'a global outcome to nowhere', input: sales(['globalOutcomes.1', { id: 'back', name: 'Назад', to: 'nowhere' }]), code: 'unknown_stage', path: 'globalOutcomes[1].to' },
  { name: 'a document in a stage that does not exist', input: sales(['documents.0.stages', ['shipment']]), code: 'unknown_stage', path: 'documents[0].stages[0]' },
  { name: 'an outcome kind that does not exist', input: sales(['globalOutcomes.0.kinds', ['cheap']]), code: 'unknown_kind', path: 'globalOutcomes[0].kinds[0]' },
  { name: 'a required field that does not exist', input: sales(['stages.0.requiredFields', ['inn']]), code: 'unknown_field', path: 'stages[0].requiredFields[0]' },
  { name: 'hasOwnProperty as a required field', input: sales(['stages.0.requiredFields', ['hasOwnProperty']]), code: 'unknown_field', path: 'stages[0].requiredFields[0]' },

  // Duplicate ids of every kind.
  { name: 'a duplicate stage id', input: sales(['stages.2.id', 'offer']), code: 'duplicate_id', path: 'stages[2].id' },
  { name: 'a duplicate outcome id within a stage', input: sales(['stages.0.outcomes.1.id', 'interested']), code: 'duplicate_id', path: 'stages[0].outcomes[1].id' },
  { name: 'a stage outcome with a global outcome id', input: sales(['stages.1.outcomes.0.id', 'refused']), code: 'duplicate_id', path: 'stages[1].outcomes[0].id' },
  { name: 'a duplicate global outcome id', input: sales(['globalOutcomes.1', { id: 'refused', name: 'Отказ 2', finish: 'negative' }]), code: 'duplicate_id', path: 'globalOutcomes[1].id' },
  { name: 'a duplicate outcome kind id', input: sales(['outcomeKinds.1.id', 'price']), code: 'duplicate_id', path: 'outcomeKinds[1].id' },
  { name: 'a duplicate audit kind id', input: audit(['outcomeKinds.1.id', 'shelf-ok']), code: 'duplicate_id', path: 'outcomeKinds[1].id' },
  { name: 'a duplicate field id', input: sales(['fields.1.id', 'budget']), code: 'duplicate_id', path: 'fields[1].id' },
  { name: 'a duplicate document id', input: sales(['documents.1.id', 'offer-doc']), code: 'duplicate_id', path: 'documents[1].id' },
  { name: 'a duplicate select option id', input: sales(['fields.1.options.1.id', 's']), code: 'duplicate_id', path: 'fields[1].options[1].id' },

  // Durations.
  { name: 'a negative duration', input: sales(['stages.0.maxDuration', '-P1D']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a zero duration in days', input: sales(['maxDuration', 'P0D']), code: 'invalid_duration', path: 'maxDuration' },
  { name: 'a zero duration in seconds', input: sales(['stages.1.idleLimit', 'PT0S']), code: 'invalid_duration', path: 'stages[1].idleLimit' },
  { name: 'a duration in words', input: sales(['stages.0.maxDuration', '2 days']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a duration in years', input: sales(['maxDuration', 'P1Y']), code: 'invalid_duration', path: 'maxDuration' },
  { name: 'a duration in months', input: sales(['stages.2.maxDuration', 'P1M']), code: 'invalid_duration', path: 'stages[2].maxDuration' },
  { name: 'a duration over 10 years in days', input: sales(['maxDuration', 'P3651D']), code: 'invalid_duration', path: 'maxDuration' },
  { name: 'a duration over 10 years in weeks', input: sales(['maxDuration', 'P522W']), code: 'invalid_duration', path: 'maxDuration' },
  { name: 'a duration over 10 years in hours', input: sales(['maxDuration', 'PT87601H']), code: 'invalid_duration', path: 'maxDuration' },
  { name: 'a fractional duration', input: sales(['stages.0.maxDuration', 'P1.5D']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a bare P', input: sales(['stages.0.maxDuration', 'P']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a bare PT', input: sales(['stages.0.maxDuration', 'PT']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a dangling T', input: sales(['stages.0.maxDuration', 'P1DT']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'a lower-case duration', input: sales(['stages.0.maxDuration', 'p2d']), code: 'invalid_duration', path: 'stages[0].maxDuration' },
  { name: 'an empty duration', input: sales(['stages.0.idleLimit', '']), code: 'invalid_duration', path: 'stages[0].idleLimit' },

  // The working calendar.
  { name: 'the 30th of February', input: calendar({ holidays: ['2025-02-30'] }), code: 'invalid_date', path: 'calendar.holidays[0]' },
  { name: 'the 29th of February of a common year', input: calendar({ holidays: ['2025-01-01', '2023-02-29'] }), code: 'invalid_date', path: 'calendar.holidays[1]' },
  { name: 'a thirteenth month', input: calendar({ workingDays: ['2025-13-01'] }), code: 'invalid_date', path: 'calendar.workingDays[0]' },
  { name: 'a date in Russian order', input: calendar({ holidays: ['01.05.2025'] }), code: 'invalid_date', path: 'calendar.holidays[0]' },
  { name: 'an unknown time zone', input: calendar({ timeZone: 'Mars/Olympus' }), code: 'invalid_time_zone', path: 'calendar.timeZone' },
  { name: 'an empty time zone', input: calendar({ timeZone: '' }), code: 'invalid_time_zone', path: 'calendar.timeZone' },
  { name: 'the 25th hour', input: calendar({ workHours: { start: '09:00', end: '25:00' } }), code: 'invalid_time', path: 'calendar.workHours.end' },
  { name: 'a time without a leading zero', input: calendar({ workHours: { start: '9:00', end: '18:00' } }), code: 'invalid_time', path: 'calendar.workHours.start' },
  { name: 'a minute past midnight at 24', input: calendar({ workHours: { start: '09:00', end: '24:01' } }), code: 'invalid_time', path: 'calendar.workHours.end' },
  { name: 'working hours that end before they start', input: calendar({ workHours: { start: '18:00', end: '09:00' } }), code: 'invalid_range', path: 'calendar.workHours' },
  { name: 'working hours that end when they start', input: calendar({ workHours: { start: '09:00', end: '09:00' } }), code: 'invalid_range', path: 'calendar.workHours' },
  { name: 'a date both holiday and working day', input: calendar({ holidays: ['2025-05-01'], workingDays: ['2025-05-03', '2025-05-01'] }), code: 'conflicting_dates', path: 'calendar.workingDays[1]' },
  { name: 'weekday 0', input: calendar({ workDays: [0] }), code: 'too_small', path: 'calendar.workDays[0]' },
  { name: 'weekday 8', input: calendar({ workDays: [1, 8] }), code: 'too_big', path: 'calendar.workDays[1]' },

  // Sizes.
  { name: '10,000 stages', input: sales(['stages', manyStages]), code: 'too_big', path: 'stages' },
  { name: 'a topic name of 201 characters', input: sales(['name', 'я'.repeat(201)]), code: 'too_big', path: 'name' },
  { name: 'a stage name of 100,000 characters', input: sales(['stages.0.name', 'x'.repeat(100_000)]), code: 'too_big', path: 'stages[0].name' },
  { name: 'an instruction over 100,000 characters', input: sales(['instruction', 'x'.repeat(100_001)]), code: 'too_big', path: 'instruction' },
  { name: 'an empty topic name', input: sales(['name', '']), code: 'too_small', path: 'name' },
  { name: 'a blank stage name', input: sales(['stages.1.name', '   ']), code: 'too_small', path: 'stages[1].name' },
  { name: 'no stages', input: sales(['stages', []]), code: 'too_small', path: 'stages' },
  { name: 'a select field with no options', input: sales(['fields.1.options', []]), code: 'too_small', path: 'fields[1].options' },
  { name: 'version 0', input: sales(['version', 0]), code: 'too_small', path: 'version' },
  { name: 'a text field of at most 0 characters', input: sales(['fields.0', { id: 'note', name: 'Заметка', type: 'text', maxLength: 0 }]), code: 'too_small', path: 'fields[0].maxLength' },

  // Values outside an enumeration or discriminator.
  { name: 'an unknown field type', input: sales(['fields.0.type', 'color']), code: 'invalid_value', path: 'fields[0].type' },
  { name: 'an unknown closing mode', input: sales(['parameters', { closeOn: { on: 'never' } }]), code: 'invalid_value', path: 'parameters.closeOn.on' },
  { name: 'an unknown planning mode', input: sales(['parameters', { planning: 'always' }]), code: 'invalid_value', path: 'parameters.planning' },
  { name: 'a neither positive nor negative finish', input: sales(['stages.2.outcomes.0.finish', 'maybe']), code: 'invalid_value', path: 'stages[2].outcomes[0].finish' },
  { name: 'an unknown polarity', input: sales(['outcomeKinds.0.polarity', 'mixed']), code: 'invalid_value', path: 'outcomeKinds[0].polarity' },

  // What only lint sees.
  { name: 'an unreachable stage', input: sales(['stages.3', { id: 'orphan', name: 'Сирота', outcomes: finishing }]), code: 'unreachable_stage', path: 'stages[3]' },
  { name: 'stages that can never finish', input: sales(['stages.2.outcomes', [{ id: 'back', name: 'Назад', to: 'offer' }]], ['globalOutcomes', []]), code: 'no_finish_reachable', path: 'stages[0]' },
  { name: 'a stage limit longer than the deal limit', input: sales(['stages.0.maxDuration', 'P31D']), code: 'stage_limit_exceeds_deal_limit', path: 'stages[0].maxDuration' },
  { name: 'a stage limit an hour longer than the deal limit', input: sales(['stages.2.maxDuration', 'PT721H']), code: 'stage_limit_exceeds_deal_limit', path: 'stages[2].maxDuration' },
  { name: 'a number field with min above max', input: sales(['fields.0.max', -5]), code: 'invalid_range', path: 'fields[0].min' },
  { name: 'a probability over 100', input: sales(['stages.0.probability', 101]), code: 'probability_out_of_range', path: 'stages[0].probability' },
  { name: 'approval without approvers', input: sales(['deadlineChange', { approval: 'required', approvers: [] }]), code: 'approvers_missing', path: 'deadlineChange.approvers' },
  { name: 'an audit kind without a mandatory comment', input: audit(['outcomeKinds.0.commentRequired', false]), code: 'audit_kind_without_comment', path: 'outcomeKinds[0].commentRequired' },
  { name: 'a positive kind on a negative finish', input: sales(['outcomeKinds.0.polarity', 'positive'], ['globalOutcomes.0.kinds', ['price']]), code: 'kind_polarity_mismatch', path: 'globalOutcomes[0].kinds[0]' },
  { name: 'a required kind with no kind to choose', input: sales(['outcomeKinds', []]), code: 'no_kinds_available', path: 'globalOutcomes[0].kindRequired' },
];

const prototypeKeys = (): string[] => [Object.prototype, Array.prototype, Function.prototype].flatMap((proto) => Reflect.ownKeys(proto).map(String));

describe('invalid topics', () => {
  it('the table is large and every row is distinct', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  const keysBefore = prototypeKeys();

  it.each(rows)('$name: $code at "$path"', ({ input, code, path }) => {
    const before: unknown = structuredClone(input);
    deepFreeze(input);
    let result: ParseResult | undefined;
    expect(() => {
      result = safeParseTopic(input);
    }).not.toThrow();
    if (result === undefined || result.ok) throw new Error('expected ok: false');
    const found = result.issues.find((issue) => issue.code === code && issue.path === path);
    expect(found, JSON.stringify(result.issues.map((issue) => `${issue.code}@${issue.path}`))).toBeDefined();
    expect(found?.severity).toBe('error');
    for (const issue of result.issues) {
      expect(typeof issue.message === 'string' && issue.message.length > 0).toBe(true);
      expect(['error', 'warning']).toContain(issue.severity);
    }
    expect(input).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).planning).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(prototypeKeys()).toEqual(keysBefore);
  });

  it('an own __proto__ key reaches the parser as an own key, not as a prototype', () => {
    // Guards the three __proto__ rows above: they would prove nothing if JSON.parse had set a prototype.
    for (const input of [ownProtoTopLevel, ownProtoInParameters]) {
      const parameters = (input as { parameters?: object }).parameters;
      expect(Object.hasOwn(input as object, '__proto__') || (parameters !== undefined && Object.hasOwn(parameters, '__proto__'))).toBe(true);
    }
    expect(Object.hasOwn((ownProtoInStage as { stages: object[] }).stages[0] as object, '__proto__')).toBe(true);
  });

  it('parses 10,000 stages quickly (the size check comes before any per-stage work)', () => {
    const started = performance.now();
    const result = safeParseTopic(sales(['stages', manyStages]));
    expect(result.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
