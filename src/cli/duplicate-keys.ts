import { createScanner } from 'jsonc-parser';

/**
 * A key that an object of a JSON text has more than once: `JSON.parse` keeps only the last.
 *
 * @example
 * // In '{"a":1,"a":2}':
 * const duplicate: DuplicateKey = { path: ['a'], offset: 7, previousOffset: 1 };
 */
export interface DuplicateKey {
  /** The keys and indexes down to the key, e.g. `['stages', 0, 'name']`. */
  readonly path: readonly (string | number)[];
  /** Offset of this occurrence in the text (UTF-16 code units). */
  readonly offset: number;
  /** Offset of the occurrence before it, whose value is lost. */
  readonly previousOffset: number;
}

/**
 * At most this many duplicates are reported for one text.
 *
 * @example
 * findDuplicateKeys(hugeText).length <= MAX_DUPLICATE_KEYS; // true
 */
export const MAX_DUPLICATE_KEYS = 100;

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const STRING = 10;
const EOF = 17;

type Frame = { readonly array: false; readonly keys: Map<string, number>; key: string; expectKey: boolean } | { readonly array: true; index: number };

/**
 * The duplicate keys of a JSON text that `JSON.parse` accepted, in order, at
 * most {@link MAX_DUPLICATE_KEYS}. It walks jsonc-parser's scanner with a
 * stack of its own rather than a recursive parser, so nesting as deep as
 * `JSON.parse` takes cannot overflow the call stack.
 *
 * @example
 * findDuplicateKeys('{"stages":[{"id":"a","id":"b"}]}');
 * // [{ path: ['stages', 0, 'id'], offset: 22, previousOffset: 12 }]
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const scanner = createScanner(text, true);
  const frames: Frame[] = [];
  const found: DuplicateKey[] = [];
  for (let token = scanner.scan(); token !== EOF && found.length < MAX_DUPLICATE_KEYS; token = scanner.scan()) {
    const top = frames.at(-1);
    if (token === OPEN_BRACE) frames.push({ array: false, keys: new Map(), key: '', expectKey: true });
    else if (token === OPEN_BRACKET) frames.push({ array: true, index: 0 });
    else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) frames.pop();
    else if (token === COMMA && top !== undefined) {
      if (top.array) top.index++;
      else top.expectKey = true;
    } else if (token === STRING && top !== undefined && !top.array && top.expectKey) {
      const key = scanner.getTokenValue();
      const offset = scanner.getTokenOffset();
      const previousOffset = top.keys.get(key);
      top.key = key;
      top.expectKey = false;
      top.keys.set(key, offset);
      if (previousOffset !== undefined) found.push({ path: frames.map((frame) => (frame.array ? frame.index : frame.key)), offset, previousOffset });
    }
  }
  return found;
}
