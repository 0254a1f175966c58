import { describe, expect, it } from 'vitest';
import { plainText, svgText } from '../../src/picture/svg-text.js';
import { estimateTextWidth, wrapText } from '../../src/picture/text-width.js';

describe('svgText', () => {
  it('escapes the five markup characters', () => {
    expect(svgText(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('drops bidi overrides, isolates, controls and zero-width characters; line breaks become spaces', () => {
    expect(plainText('a\u202Eb\u2066c\u2069\u200Bd\u0007e\r\nf')).toBe('abcde f');
  });
});

describe('wrapText', () => {
  it('keeps every line within the width and loses no word when the lines suffice', () => {
    const text = 'Не удалось связаться с клиентом по телефону и почте';
    const lines = wrapText(text, 100, 12, 10);
    for (const line of lines) expect(estimateTextWidth(line, 12)).toBeLessThanOrEqual(100);
    expect(lines.join(' ')).toBe(text);
  });

  it('breaks a word longer than a line and cuts with "…" past maxLines', () => {
    const lines = wrapText('x'.repeat(100), 60, 10, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    for (const line of lines) expect(estimateTextWidth(line, 10)).toBeLessThanOrEqual(60);
  });
});
