import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal-text.js';

// eslint-disable-next-line no-control-regex -- what a terminal acts on
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it.each([
    ['an escape sequence', 'Won\u001b[2J', 'Won\\x1b[2J'],
    ['a carriage return and a bell', 'a\rb\u0007', 'a\\x0db\\x07'],
    ['an OSC title', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['a C1 control (CSI) and DEL', 'x\u009b31m\u007f', 'x\\x9b31m\\x7f'],
    ['bidi overrides and isolates', '\u202eabc\u202c \u2066d\u2069', '\\u202eabc\\u202c \\u2066d\\u2069'],
    ['a line break and a tab', 'a\nb\tc', 'a\\x0ab\\x09c'],
  ])('makes %s visible', (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it('keeps line breaks when asked, and leaves printable text (Cyrillic, emoji, quotes) alone', () => {
    expect(terminalSafe('a\n\u001bb', { keepLines: true })).toBe('a\n\\x1bb');
    expect(terminalSafe('Стадия «Новый» 🚀 "x" \\')).toBe('Стадия «Новый» 🚀 "x" \\');
  });

  it('never lets a character a terminal acts on through, and loses nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const safe = terminalSafe(text);
        expect(safe).not.toMatch(unsafe);
        expect(safe.replace(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/g, '')).toBe(text.replace(new RegExp(unsafe.source, 'g'), '').replace(/\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/g, ''));
        expect(terminalSafe(text, { keepLines: true }).split('\n')).toHaveLength(text.split('\n').length);
      }),
    );
  });
});
