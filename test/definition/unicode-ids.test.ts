import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ID_PATTERN, idFromName, isId, isNonNfcId } from '../../src/definition/id.js';
import { safeParseTopic, standardTopic } from '../../src/index.js';

const letter = fc.constantFrom(...'aZ9оплатаЁёйßéΩ٣中ह'.split(''));
const tail = fc.constantFrom(...'aя5_-é\u0301'.split(''));
const unicodeId = fc.tuple(letter, fc.array(tail, { maxLength: 20 })).map(([first, rest]) => `${first}${rest.join('')}`.normalize('NFC'));

describe('Unicode ids (issue 16 item 6)', () => {
  it('accepts letters and digits of any script, refuses XState reserved characters', () => {
    for (const id of ['оплата', 'счёт-1', 'коммерческое_предложение', 'étape', '中文', 'call-2']) expect(isId(id)).toBe(true);
    for (const id of ['стадия.один', '#оплата', 'оплата счёта', '-оплата', '_x', '', 'я'.repeat(65)]) expect(isId(id)).toBe(false);
    expect(isId('я'.repeat(64))).toBe(true);
  });

  it('refuses a non-NFC id with its own code and does not rewrite it', () => {
    const decomposed = 'сче\u0308т';
    expect(isId(decomposed)).toBe(false);
    expect(isNonNfcId(decomposed)).toBe(true);
    const topic = { ...standardTopic, stages: standardTopic.stages.map((stage, index) => (index === 0 ? { ...stage, id: decomposed } : stage)) };
    const result = safeParseTopic(topic);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => `${issue.code}@${issue.path}`)).toContain('id_not_nfc@stages[0].id');
  });

  it('isId is the pattern plus NFC on any generated id', () => {
    fc.assert(
      fc.property(fc.oneof(unicodeId, fc.string({ unit: 'grapheme', maxLength: 70 })), (text) => {
        expect(isId(text)).toBe(ID_PATTERN.test(text) && text.normalize('NFC') === text);
      }),
    );
  });

  it('a generated Unicode id round-trips through the schema', () => {
    fc.assert(
      fc.property(unicodeId, (id) => {
        const result = safeParseTopic({ ...standardTopic, id });
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.topic.id).toBe(id);
      }),
      { numRuns: 50 },
    );
  });
});

describe('idFromName', () => {
  it('derives readable ids', () => {
    expect(idFromName('Коммерческое предложение')).toBe('коммерческое-предложение');
    expect(idFromName('  Счёт / оплата!  ')).toBe('счёт-оплата');
    expect(idFromName('Call #2: follow-up')).toBe('call-2-follow-up');
    expect(idFromName('Оплата', ['оплата'])).toBe('оплата-2');
    expect(idFromName('Оплата', new Set(['оплата', 'оплата-2']))).toBe('оплата-3');
    expect(idFromName('')).toBe('id');
    expect(idFromName('!!!', ['id'])).toBe('id-2');
    expect(idFromName(null as never)).toBe('id');
    expect([...idFromName('я'.repeat(100))].length).toBe(48);
  });

  it('always gives an id, never one that is taken', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), (name, taken) => {
        const first = idFromName(name);
        const id = idFromName(name, [...taken, first]);
        expect(isId(id)).toBe(true);
        expect(id).not.toBe(first);
        expect(idFromName(name)).toBe(first);
      }),
    );
  });
});
