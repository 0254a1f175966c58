/**
 * A place in a text: line and column, both counted from 1 (columns in UTF-16 code units, as editors count them).
 *
 * @example
 * const start: Position = { line: 1, column: 1 };
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Indexes the line starts of a text once and returns a function from an
 * offset (in UTF-16 code units) to its line and column, in logarithmic time.
 * Lines end at "\n", "\r\n" or a lone "\r", as in JSON.
 *
 * @example
 * const positionOf = lineIndex('{\n  "a": 1\n}');
 * positionOf(4); // { line: 2, column: 3 }
 * formatPosition(positionOf(4)); // '2:3'
 */
export function lineIndex(text: string): (offset: number) => Position {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(index + 1) !== 0x0a)) starts.push(index + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}

/**
 * A position as `line:column`.
 *
 * @example
 * formatPosition({ line: 3, column: 7 }); // '3:7'
 */
export function formatPosition(position: Position): string {
  return `${position.line}:${position.column}`;
}
