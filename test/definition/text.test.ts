import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeParseTopic, type TopicIssue } from '../../src/index.js';
import {
  fitsLength,
  graphemeLength,
  hasBidiControl,
  isBlankName,
  isLabel,
  isStorableText,
  labelSchema,
  nameProblem,
  nameSchema,
  textSchema,
  unstorableAt,
} from '../../src/definition/text.js';
import { codes, CYRILLIC, edit, salesInput } from './helpers.js';

/*
 * The text rules of src/definition/text.ts (issue 12, item 6): what
 * PostgreSQL jsonb cannot store is refused in every string, names with
 * nothing visible or with bidirectional controls are refused, and name
 * limits count the characters people see.
 */

const FAMILY = '👨‍👩‍👧'; // 5 code points, 8 UTF-16 code units, one grapheme
const E_ACUTE = 'e\u0301'; // e + combining acute: NFC makes it é
const issuesOf = (input: unknown, locale?: 'en' | 'ru'): readonly TopicIssue[] => {
  const result = safeParseTopic(input, locale === undefined ? {} : { locale });
  return result.ok ? [] : result.issues;
};
const sales = (...changes: (readonly [string, unknown])[]): unknown => edit(salesInput(), ...changes);

describe('the rule functions', () => {
  it('find what jsonb cannot store: U+0000 and unpaired surrogates, not surrogate pairs', () => {
    expect(['', 'ok', 'Оплата', '😀', FAMILY, '\uFFFE\uFFFF', '\u0001'].map(isStorableText)).toEqual([true, true, true, true, true, true, true]);
    expect(['\u0000', 'a\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'x\uD83D', '\uDE00\uD83D', '😀\uDE00'].map(isStorableText)).toEqual(Array(9).fill(false));
    expect([unstorableAt('ok'), unstorableAt('ab\u0000'), unstorableAt('😀\uDE00'), unstorableAt('\uD83D')]).toEqual([-1, 2, 2, 0]);
  });

  it('agree with each other on storability, for strings of arbitrary code units', () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 0xd83d, 0xde00, 0xdbff, 0xdc00)).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 8 }), (text) => {
        const at = unstorableAt(text);
        expect(isStorableText(text)).toBe(at === -1);
        const code = text.charCodeAt(at);
        if (at >= 0) expect(code === 0 || (code >= 0xd800 && code <= 0xdfff)).toBe(true);
      }),
      { numRuns: 5000, seed: 5 },
    );
  });

  it('call a name blank when only whitespace and invisible characters are left', () => {
    const invisible = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\u180E', '\u3164', '\uFE0F', '\u0009', '\u3000', '\u00A0', '\u0001', '\u200B \u00AD\u2060'];
    for (const text of invisible) expect(isBlankName(text), JSON.stringify(text)).toBe(true);
    for (const text of ['a', ' a ', '\u200Ba', 'Я', '😀', '1', '.', E_ACUTE]) expect(isBlankName(text), JSON.stringify(text)).toBe(false);
  });

  it('find bidirectional embeddings, overrides and isolates, and allow the marks', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) expect(hasBidiControl(`a${String.fromCharCode(code)}b`)).toBe(true);
    for (const text of ['payment', 'שלום', 'a\u200Eb', 'a\u200Fb', 'a\u061Cb']) expect(hasBidiControl(text)).toBe(false);
  });

  it('count grapheme clusters after NFC', () => {
    expect(graphemeLength(FAMILY)).toBe(1);
    expect(graphemeLength(E_ACUTE)).toBe(1);
    expect(graphemeLength('Оплата')).toBe(6);
    expect(graphemeLength('🇷🇺🇬🇧')).toBe(2);
    expect(graphemeLength('')).toBe(0);
  });

  it('fit a limit in characters people see, within 4 code units per character plus 16', () => {
    expect(fitsLength(FAMILY, 1)).toBe(true);
    // A family of four with skin tones: one grapheme of 19 code units.
    expect(fitsLength('👨🏻‍👩🏻‍👧🏻‍👦🏻', 1)).toBe(true);
    expect(fitsLength(E_ACUTE.repeat(3), 3)).toBe(true);
    expect(fitsLength('abcd', 3)).toBe(false);
    // One grapheme, but 21 code units: over 4 × 1 + 16.
    expect(fitsLength(`e${'\u0301'.repeat(20)}`, 1)).toBe(false);
    expect(fitsLength(`e${'\u0301'.repeat(19)}`, 1)).toBe(true);
    expect(fitsLength(`${'x'.repeat(99)}e${'\u0301'.repeat(316)}`, 100)).toBe(true);
    expect(fitsLength(`${'x'.repeat(99)}e${'\u0301'.repeat(317)}`, 100)).toBe(false);
    // Within the limit in code units always fits, whatever the segmenter says.
    expect(fitsLength('ab', 2)).toBe(true);
  });

  it('name the first broken rule of a name or label', () => {
    expect([nameProblem('Оплата'), nameProblem(''), nameProblem('\u0000'), nameProblem('\u200B'), nameProblem('a\u2066b'), nameProblem('\u202E\uD800')]).toEqual([
      undefined,
      undefined,
      'unstorable_text',
      'blank_name',
      'bidi_control',
      'unstorable_text',
    ]);
    expect([isLabel('u-1', 200), isLabel('', 200), isLabel('x'.repeat(201), 200), isLabel('\u00AD', 200), isLabel('\u202Eu', 200), isLabel('u\u0000', 200)]).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('names and labels refuse C0 and C1 controls and DEL; free texts keep them', () => {
    for (const control of ['\t', '\n', '\r', '\u001B', '\u0007', '\u007F', '\u0085', '\u009B']) {
      expect(nameProblem(`Offer${control}`), JSON.stringify(control)).toBe('control_character');
      expect(isLabel(`u-1${control}`, 200), JSON.stringify(control)).toBe(false);
      expect(textSchema(100).safeParse(`line one${control}line two`).success, JSON.stringify(control)).toBe(true);
    }
    const issue = labelSchema(200).safeParse('u\u001B[2J').error?.issues[0];
    expect(issue).toMatchObject({ params: { code: 'control_character', char: 'U+001B', index: 1 } });
    // Spaces, no-break spaces and the direction marks are not controls.
    expect(['Оплата счёта', 'a\u00A0b', 'a\u200Fb'].map(nameProblem)).toEqual([undefined, undefined, undefined]);
  });

  it('isLabel answers as the name rules do, its plain-ASCII shortcut included', () => {
    // Mostly ASCII (spaces, controls, DEL and the printable range), with some of what the rules refuse mixed in.
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
      fc.constantFrom('\u00A0', '\u00AD', '\u200B', '\u202E', '\u2067', '\uD800', 'Я', '😀'),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }).map((units) => units.join('')), (text) => {
        expect(isLabel(text, 8)).toBe(text.length >= 1 && text.length <= 8 && nameProblem(text) === undefined);
        // The schema counts the length otherwise (code points); the fast path may only be stricter.
        if (isLabel(text, 8)) expect(labelSchema(8).safeParse(text).success).toBe(true);
      }),
      { numRuns: 2000, seed: 24 },
    );
  });
});

describe('the schema builders', () => {
  const codeOf = (result: { success: boolean; error?: { issues: readonly { code: string; params?: unknown }[] } }): string | undefined => {
    const issue = result.error?.issues[0];
    if (issue === undefined) return undefined;
    const params = issue.params as { code?: string } | undefined;
    return params?.code ?? issue.code;
  };

  it('textSchema refuses only what cannot be stored, and keeps its limit in code units', () => {
    const text = textSchema(5);
    expect(['', 'a\u202Eb', '\u200B', '😀'].map((value) => codeOf(text.safeParse(value)))).toEqual([undefined, undefined, undefined, undefined]);
    expect(['\u0000', '\uDC00'].map((value) => codeOf(text.safeParse(value)))).toEqual(['unstorable_text', 'unstorable_text']);
    expect(codeOf(text.safeParse('x'.repeat(6)))).toBe('too_big');
  });

  it('nameSchema trims, refuses blank, bidi and unstorable names, and counts graphemes', () => {
    const name = nameSchema(3);
    expect(name.parse('  ab ')).toBe('ab');
    expect(name.parse(FAMILY.repeat(3))).toBe(FAMILY.repeat(3));
    expect(['', '   ', '\u200B', 'a\u202Eb', 'a\u0000', 'abcd', FAMILY.repeat(4)].map((value) => codeOf(name.safeParse(value)))).toEqual([
      'too_small',
      'too_small',
      'blank_name',
      'bidi_control',
      'unstorable_text',
      'too_big',
      'too_big',
    ]);
  });

  it('labelSchema keeps ids as given and refuses blank, bidi and unstorable ones', () => {
    const label = labelSchema(5);
    expect(label.parse(' u-1 ')).toBe(' u-1 ');
    expect(['', '\uFEFF', '\u2066x\u2069', 'x\uD800', 'x'.repeat(6)].map((value) => codeOf(label.safeParse(value)))).toEqual([
      'too_small',
      'blank_name',
      'bidi_control',
      'unstorable_text',
      'too_big',
    ]);
  });
});

describe('topics', () => {
  const rows: readonly (readonly [string, unknown, string])[] = [
    ['U+0000 in a stage comment', sales(['stages.0.comment', 'Позвоните\u0000']), 'unstorable_text@stages[0].comment'],
    ['a lone high surrogate in the instruction', sales(['instruction', 'half an emoji: \uD83D']), 'unstorable_text@instruction'],
    ['a lone low surrogate in a field description', sales(['fields.0.description', '\uDE00']), 'unstorable_text@fields[0].description'],
    ['U+0000 in the topic name', sales(['name', 'Опт\u0000']), 'unstorable_text@name'],
    ['U+0000 in the $schema', sales(['$schema', './x\u0000.json']), 'unstorable_text@$schema'],
    ['a lone surrogate in a document template', sales(['documents.0.template', '\uDBFF']), 'unstorable_text@documents[0].template'],
    ['U+0000 in an approver role', sales(['deadlineChange', { approval: 'required', approvers: [{ role: 'dir\u0000' }] }]), 'unstorable_text@deadlineChange.approvers[0].role'],
    ['a stage name of a zero-width space', sales(['stages.1.name', '\u200B']), 'blank_name@stages[1].name'],
    ['an outcome name of soft hyphens and a BOM', sales(['stages.0.outcomes.0.name', '\u00AD\u00AD\uFEFF']), 'blank_name@stages[0].outcomes[0].name'],
    ['an outcome kind name of a word joiner', sales(['outcomeKinds.0.name', ' \u2060 ']), 'blank_name@outcomeKinds[0].name'],
    ['a select option name of ZWNJ and ZWJ', sales(['fields.1.options.0.name', '\u200C\u200D']), 'blank_name@fields[1].options[0].name'],
    ['a group of a Hangul filler', sales(['group', '\u3164']), 'blank_name@group'],
    ['a blank approver user id', sales(['deadlineChange', { approval: 'required', approvers: [{ userId: '\u200B' }] }]), 'blank_name@deadlineChange.approvers[0].userId'],
    ['a right-to-left override in a stage name', sales(['stages.0.name', 'Оплата\u202E']), 'bidi_control@stages[0].name'],
    ['an isolate in a document name', sales(['documents.1.name', '\u2067Счёт\u2069']), 'bidi_control@documents[1].name'],
    ['an override in the script reference', sales(['script', 'scripts/\u202Efdp.exe']), 'bidi_control@script'],
    ['a name of 201 decomposed é', sales(['name', E_ACUTE.repeat(201)]), 'too_big@name'],
    ['a name of 201 family emoji', sales(['stages.0.name', FAMILY.repeat(201)]), 'too_big@stages[0].name'],
    ['one e with 1,000 combining marks', sales(['stages.0.name', `e${'\u0301'.repeat(1000)}`]), 'too_big@stages[0].name'],
  ];
  for (const [name, input, expected] of rows) {
    it(`refuses ${name}`, () => {
      expect(codes(issuesOf(input))).toEqual([expected]);
    });
  }

  it('accepts names of 200 characters as people see them, however many code units', () => {
    for (const text of [E_ACUTE.repeat(200), FAMILY.repeat(100), '🇷🇺'.repeat(200), 'я'.repeat(200)]) {
      const result = safeParseTopic(sales(['stages.0.name', text], ['name', text]));
      expect(result.ok, text.slice(0, 8)).toBe(true);
    }
  });

  it('allows bidirectional controls and invisible characters in free texts', () => {
    const input = sales(['stages.0.comment', 'Call \u2067שלום\u2069 back\u200B'], ['instruction', '\u202Ereversed\u202C'], ['fields.0.description', '\u00AD']);
    expect(safeParseTopic(input).ok).toBe(true);
  });

  it('names the character and where it is, in English and in Russian', () => {
    const input = sales(['stages.0.comment', 'ab\u0000']);
    const [english] = issuesOf(input);
    const [russian] = issuesOf(input, 'ru');
    expect(english?.message).toContain('U+0000 at position 2');
    expect(english?.message).toContain('PostgreSQL jsonb');
    expect(russian?.message).toMatch(CYRILLIC);
    expect(russian?.message).toContain('U+0000');
    // The value shown in the issue is itself storable: the offending unit is written out.
    expect(english?.value).toBe('ab\\u0000');
    const [bidi] = issuesOf(sales(['stages.0.name', 'a\u202Eb']), 'ru');
    expect(bidi?.code).toBe('bidi_control');
    expect(bidi?.message).toContain('U+202E');
    expect(bidi?.message).toMatch(CYRILLIC);
    const [blank] = issuesOf(sales(['stages.0.name', '\u200B']), 'ru');
    expect(blank?.message).toMatch(CYRILLIC);
  });

  it('still checks the time zone of the calendar', () => {
    expect(safeParseTopic(sales(['calendar', { timeZone: 'Europe/Moscow' }])).ok).toBe(true);
    expect(codes(issuesOf(sales(['calendar', { timeZone: 'Mars/Olympus_Mons' }])))).toEqual(['invalid_time_zone@calendar.timeZone']);
  });
});

describe('issues quote unstorable values storably', () => {
  it('replaces a lone surrogate or U+0000 in the quoted value, including one cut in half at 200 code units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('\uD800', '\uDFFF', '\u0000'), (text, bad) => {
        const result = safeParseTopic({ ...salesInput(), name: `${text}${bad}` });
        expect(result.ok).toBe(false);
        for (const issue of result.ok ? [] : result.issues) {
          if (typeof issue.value === 'string') expect(isStorableText(issue.value)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    const split = `${'a'.repeat(199)}😀${'b'.repeat(60)}`;
    const result = safeParseTopic({ ...salesInput(), name: split });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.find((issue) => issue.path === 'name')?.value).toBe(`${'a'.repeat(199)}\uFFFD…`);
  });
});
