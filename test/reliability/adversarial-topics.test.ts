import { describe, expect, it } from 'vitest';
import { compileTopic, lintTopic, parseTopic, safeParseTopic, standardTopic, TopicValidationError, type CompileOptions } from '../../src/index.js';
import { checkRow, deepArray, deepObject, fromJson, MEGABYTE, withKey, type Answer, type Expected, type Row } from './corpus.js';

/*
 * Hostile topic definitions, beyond the table of invalid topics in
 * test/definition: sizes (10,000 stages, megabyte strings, 10,000 nested
 * levels), prototype names as keys and as ids, absurd numbers and
 * durations. safeParseTopic must report the documented code at the
 * documented path and never throw; compileTopic must throw nothing but a
 * TopicValidationError.
 */

const base = (): Record<string, unknown> => structuredClone(standardTopic) as unknown as Record<string, unknown>;
/** The standard topic with a change made by `edit` on a copy. */
const topicWith = (edit: (topic: Record<string, unknown> & { stages: Record<string, unknown>[] }) => void) => () => {
  const topic = base() as Record<string, unknown> & { stages: Record<string, unknown>[] };
  edit(topic);
  return topic;
};
const stage0 = (changes: Record<string, unknown>) => topicWith((topic) => Object.assign(topic.stages[0] as object, changes));
const json = (edit: (text: string) => string) => () => fromJson(edit(JSON.stringify(standardTopic)));

const answer = (input: unknown, locale: 'en' | 'ru' = 'en'): Answer => {
  const result = safeParseTopic(input, { locale });
  return result.ok ? { ok: true } : { ok: false, issues: result.issues };
};
const row = (name: string, input: () => unknown, code: string, path: string): Row => ({ name, inputs: () => [input()], call: (t) => answer(t), expected: { code, path } });

const manyStages = () => Array.from({ length: 10_000 }, (_, index) => ({ id: `s${index}`, name: `Stage ${index}`, outcomes: [{ id: 'won', name: 'Won', finish: 'positive' }] }));

const rows: readonly Row[] = [
  // Size.
  row('10,000 stages', topicWith((topic) => (topic.stages = manyStages())), 'too_big', 'stages'),
  row('10,000 outcomes in a stage', stage0({ outcomes: Array.from({ length: 10_000 }, (_, index) => ({ id: `o${index}`, name: 'O', to: 'new' })) }), 'too_big', 'stages[0].outcomes'),
  row('10,001 holidays', topicWith((topic) => (topic.calendar = { timeZone: 'Europe/Moscow', holidays: Array.from({ length: 10_001 }, () => '2026-01-01') })), 'too_big', 'calendar.holidays'),
  row('a name of a megabyte', topicWith((topic) => (topic.name = MEGABYTE)), 'too_big', 'name'),
  row('an instruction of a megabyte', topicWith((topic) => (topic.instruction = MEGABYTE)), 'too_big', 'instruction'),
  row('a stage comment of a megabyte', stage0({ comment: MEGABYTE }), 'too_big', 'stages[0].comment'),
  row('an id of a megabyte', topicWith((topic) => (topic.id = MEGABYTE)), 'invalid_id', 'id'),
  row('a duration of a megabyte', topicWith((topic) => (topic.maxDuration = `P${'1'.repeat(1024 * 1024)}D`)), 'too_big', 'maxDuration'),
  row('a template reference of a megabyte', topicWith((topic) => Object.assign((topic.documents as object[])[0] as object, { template: MEGABYTE })), 'too_big', 'documents[0].template'),

  // Depth.
  row('10,000 nested arrays as the topic', () => deepArray(10_000), 'invalid_type', ''),
  row('10,000 nested objects as the topic', () => deepObject(10_000), 'invalid_kind', 'kind'),
  row('10,000 nested arrays as the stages', topicWith((topic) => (topic.stages = deepArray(10_000) as never)), 'invalid_type', 'stages[0]'),
  row('10,000 nested objects under an unknown key', topicWith((topic) => (topic.junk = deepObject(10_000))), 'unknown_key', 'junk'),
  row('10,000 nested objects as a stage name', stage0({ name: deepObject(10_000) }), 'invalid_type', 'stages[0].name'),
  row('10,000 nested arrays as the parameters', topicWith((topic) => (topic.parameters = deepArray(10_000))), 'invalid_type', 'parameters'),

  // Prototype names as JSON keys.
  row('an own "__proto__" key in an outcome (JSON)', json((text) => text.replace('{"id":"qualified",', '{"id":"qualified","__proto__":{"finish":"positive"},')), 'unknown_key', 'stages[0].outcomes[0].__proto__'),
  row('an own "__proto__" key in a field (JSON)', json((text) => text.replace('{"id":"carrier",', '{"id":"carrier","__proto__":{"type":"number"},')), 'unknown_key', 'fields[1].__proto__'),
  row('an own "__proto__" key in closeOn (JSON)', json((text) => text.replace('"closeOn":{"on":"finish"}', '"closeOn":{"on":"finish","__proto__":{"events":["x"]}}')), 'unknown_key', 'parameters.closeOn.__proto__'),
  row('an own "__proto__" key in the deadline change (JSON)', json((text) => text.replace('"deadlineChange":{', '"deadlineChange":{"__proto__":{"approval":"none"},')), 'unknown_key', 'deadlineChange.__proto__'),
  row('a "prototype" key on the topic', () => withKey(base(), 'prototype', { polluted: true }), 'unknown_key', 'prototype'),
  row('a "constructor" key in an outcome kind', topicWith((topic) => Object.defineProperty((topic.outcomeKinds as object[])[0] as object, 'constructor', { value: {}, enumerable: true })), 'unknown_key', 'outcomeKinds[0].constructor'),

  // Prototype names as ids.
  row('kind "__proto__"', topicWith((topic) => (topic.kind = '__proto__')), 'invalid_kind', 'kind'),
  row('kind "constructor"', topicWith((topic) => (topic.kind = 'constructor')), 'invalid_kind', 'kind'),
  row('an outcome to "__proto__"', stage0({ outcomes: [{ id: 'x', name: 'X', to: '__proto__' }] }), 'invalid_id', 'stages[0].outcomes[0].to'),
  row('an outcome to "prototype", which is no stage', stage0({ outcomes: [{ id: 'x', name: 'X', to: 'prototype' }] }), 'unknown_stage', 'stages[0].outcomes[0].to'),
  row('a stage "constructor" with an outcome to "toString"', stage0({ id: 'constructor', outcomes: [{ id: 'x', name: 'X', to: 'toString' }] }), 'unknown_stage', 'stages[0].outcomes[0].to'),
  row('an outcome kind "valueOf" that is not defined', topicWith((topic) => Object.assign((topic.globalOutcomes as object[])[0] as object, { kinds: ['valueOf'] })), 'unknown_kind', 'globalOutcomes[0].kinds[0]'),
  row('a required field "__proto__"', stage0({ requiredFields: ['__proto__'] }), 'invalid_id', 'stages[0].requiredFields[0]'),
  row('a required field "constructor" that is not defined', stage0({ requiredFields: ['constructor'] }), 'unknown_field', 'stages[0].requiredFields[0]'),
  row('a time zone "__proto__"', topicWith((topic) => (topic.calendar = { timeZone: '__proto__' })), 'invalid_time_zone', 'calendar.timeZone'),
  row('a time zone "constructor"', topicWith((topic) => (topic.calendar = { timeZone: 'constructor' })), 'invalid_time_zone', 'calendar.timeZone'),
  row('a select option "__proto__"', topicWith((topic) => ((topic.fields as object[]).push({ id: 'size', name: 'Size', type: 'select', options: [{ id: '__proto__', name: 'P' }] }))), 'invalid_id', 'fields[2].options[0].id'),

  // Numbers and durations.
  row('a version of Infinity', topicWith((topic) => (topic.version = Number.POSITIVE_INFINITY)), 'invalid_type', 'version'),
  row('a version beyond safe integers', topicWith((topic) => (topic.version = 2 ** 60)), 'too_big', 'version'),
  row('a negative version', topicWith((topic) => (topic.version = -1)), 'too_small', 'version'),
  row('a duration of 9,999,999 days', topicWith((topic) => (topic.maxDuration = 'P9999999D')), 'invalid_duration', 'maxDuration'),
  row('a duration of 999,999,999 seconds', stage0({ maxDuration: 'PT999999999S' }), 'invalid_duration', 'stages[0].maxDuration'),
  row('a duration of zero weeks', stage0({ maxDuration: 'P0W' }), 'invalid_duration', 'stages[0].maxDuration'),
  row('a negative duration', stage0({ idleLimit: '-PT1H' }), 'invalid_duration', 'stages[0].idleLimit'),
  row('a duration NaN', stage0({ maxDuration: Number.NaN }), 'invalid_type', 'stages[0].maxDuration'),
  row('a probability of -Infinity', stage0({ probability: Number.NEGATIVE_INFINITY }), 'invalid_type', 'stages[0].probability'),
  row('a probability of 1e308', stage0({ probability: 1e308 }), 'probability_out_of_range', 'stages[0].probability'),
  row('a text maxLength NaN', topicWith((topic) => Object.assign((topic.fields as object[])[1] as object, { maxLength: Number.NaN })), 'invalid_type', 'fields[1].maxLength'),
  row('a text maxLength of zero', topicWith((topic) => Object.assign((topic.fields as object[])[1] as object, { maxLength: 0 })), 'too_small', 'fields[1].maxLength'),
  row('a number field minimum of Infinity', topicWith((topic) => (topic.fields as object[]).push({ id: 'n', name: 'N', type: 'number', min: Number.POSITIVE_INFINITY })), 'invalid_type', 'fields[2].min'),
  row('a select field without options', topicWith((topic) => (topic.fields as object[]).push({ id: 's', name: 'S', type: 'select', options: [] })), 'too_small', 'fields[2].options'),
  row('weekday 0', topicWith((topic) => (topic.calendar = { timeZone: 'Europe/Berlin', workDays: [0] })), 'too_small', 'calendar.workDays[0]'),
  row('working hours until 25:00', topicWith((topic) => (topic.calendar = { timeZone: 'Europe/Berlin', workHours: { start: '09:00', end: '25:00' } })), 'invalid_time', 'calendar.workHours.end'),
  row('working hours that end before they start', topicWith((topic) => (topic.calendar = { timeZone: 'Europe/Berlin', workHours: { start: '18:00', end: '09:00' } })), 'invalid_range', 'calendar.workHours'),
];

describe('adversarial topics', () => {
  it('the corpus is large and every row is distinct', () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(new Set(rows.map((candidate) => candidate.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name', (candidate) => {
    checkRow(candidate);
  });

  it.each(rows.filter((_, index) => index % 5 === 0))('in Russian too: $name', (candidate) => {
    checkRow({ ...candidate, call: (input) => answer(input, 'ru') });
  });

  it('compileTopic throws only TopicValidationError, for hostile topics and hostile calendars alike', () => {
    const hostile: [unknown, CompileOptions | undefined][] = [
      ...rows.slice(0, 12).map((candidate) => [candidate.inputs()[0], undefined] as [unknown, undefined]),
      [standardTopic, { calendar: { timeZone: '__proto__' } as never }],
      [standardTopic, { calendar: deepObject(10_000) as never }],
      [standardTopic, { calendar: { timeZone: 'Europe/Moscow', workDays: [Number.NaN] } as never }],
      [{ ...standardTopic, id: 'a b' }, { locale: 'de' as never }],
    ];
    for (const [input, options] of hostile) {
      let thrown: unknown;
      try {
        compileTopic(input, options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TopicValidationError);
      expect((thrown as TopicValidationError).issues.length).toBeGreaterThan(0);
    }
  });

  it('a locale from an untyped caller reads English and never throws', () => {
    const english = safeParseTopic({ ...standardTopic, id: 'a b', stages: [] });
    const linted = parseTopic({ ...standardTopic, globalOutcomes: [{ id: 'x', name: 'X', to: 'nowhere' }] }, { lint: false });
    expect(lintTopic(linted)).toHaveLength(1);
    for (const locale of ['de', '__proto__', 'constructor', 'toString', '']) {
      const result = safeParseTopic({ ...standardTopic, id: 'a b', stages: [] }, { locale: locale as never });
      expect(result).toEqual(english);
      expect(lintTopic(linted, { locale: locale as never })).toEqual(lintTopic(linted));
    }
  });

  it('the 10,000-stage topic is refused quickly (the size check comes first)', () => {
    const started = performance.now();
    const expected: Expected = { code: 'too_big', path: 'stages' };
    checkRow({ ...(rows[0] as Row), expected });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
