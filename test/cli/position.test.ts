import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPosition, lineIndex } from '../../src/cli/position.js';

/** Line and column the slow way: count the line breaks before the offset. */
function naive(text: string, offset: number) {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
}

describe('lineIndex', () => {
  it('gives line and column from 1, for "\\n", "\\r\\n" and a lone "\\r"', () => {
    const positionOf = lineIndex('{\n  "a": 1,\r\n  "b": 2\r}');
    expect(positionOf(0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(4)).toEqual({ line: 2, column: 3 });
    expect(positionOf(15)).toEqual({ line: 3, column: 3 });
    expect(positionOf(22)).toEqual({ line: 4, column: 1 });
    expect(formatPosition(positionOf(4))).toBe('2:3');
  });

  it('agrees with counting line breaks, at every offset of any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'я', '\n', '\r', ' ', '"') }), (text) => {
        const positionOf = lineIndex(text);
        for (let offset = 0; offset <= text.length; offset++) {
          // An offset between "\r" and "\n" is not the start of a line: the naive split would count it as one.
          if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
          expect(positionOf(offset)).toEqual(naive(text, offset));
        }
      }),
    );
  });
});
