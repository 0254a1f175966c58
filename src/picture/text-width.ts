/**
 * The average advance of one character of a sans-serif font, as a share of the
 * font size, taken on the generous side (Cyrillic and capitals are wider than
 * Latin lower case) so an estimated line is never narrower than the drawn one.
 */
export const CHAR_WIDTH_EM = 0.62;

/**
 * The estimated width in pixels of one line of text at a font size, counted in
 * code points (an emoji or CJK character counts double). No font is measured:
 * the picture is drawn without a browser.
 *
 * @example
 * estimateTextWidth('Оплата', 12); // 44.64
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const char of text) units += (char.codePointAt(0) as number) > 0x2e7f ? 2 : 1;
  return units * CHAR_WIDTH_EM * fontSize;
}

/**
 * Wraps text into lines no wider than `maxWidth` (estimated), breaking at
 * spaces and, for a word too long for one line, inside the word; at most
 * `maxLines` lines, the last ending in "…" when text was cut.
 *
 * @example
 * wrapText('Коммерческое предложение', 100, 12, 3); // ['Коммерческое', 'предложение']
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const fits = (line: string) => estimateTextWidth(line, fontSize) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((part) => part !== '')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (fits(word)) {
      if (line !== '') lines.push(line);
      line = word;
      continue;
    }
    if (line !== '') line += ' ';
    for (const char of word) {
      if (!fits(line + char) && line.trim() !== '') {
        lines.push(line.trimEnd());
        line = '';
      }
      line += char;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] as string;
  while (last !== '' && !fits(`${last}…`)) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = `${last}…`;
  return kept;
}
