import { createScanner } from 'jsonc-parser';

/** One step down a JSON value: a member's key or an element's index. */
export type JsonStep = string | number;

/** Where the walk stands when it reports a member or an element. */
export interface JsonPlace {
  /** How many objects and arrays enclose the place. */
  readonly depth: number;
  /** A number that tells the enclosing object or array apart from every other one of the text. */
  readonly container: number;
  /** The keys and indexes down to the place (built on demand: it costs a copy of the stack). */
  path(): JsonStep[];
}

/** What a walk reports; each callback answers whether the walk goes on. */
export interface JsonVisitor {
  /** A member's key, at the key's offset. */
  member?(key: string, offset: number, place: JsonPlace): boolean;
  /** The top value or an element of an array, at the value's first character. */
  element?(offset: number, place: JsonPlace): boolean;
}

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const NULL = 7;
const TRUE = 8;
const FALSE = 9;
const STRING = 10;
const NUMBER = 11;
const EOF = 17;
const VALUE_STARTS = new Set([OPEN_BRACE, OPEN_BRACKET, NULL, TRUE, FALSE, STRING, NUMBER]);

type Frame = { readonly array: false; readonly id: number; key: string; expectKey: boolean } | { readonly array: true; readonly id: number; index: number };

/**
 * Walks the members and elements of a JSON (or JSONC) text in order, over
 * jsonc-parser's scanner with a stack of its own rather than a recursive
 * parser, so nesting as deep as `JSON.parse` takes cannot overflow the call
 * stack. The one walk under the CLI's source locations and duplicate keys.
 *
 * @example
 * const keys: string[] = [];
 * walkJson('{"a":[1,{"b":2}]}', { member: (_key, _offset, place) => keys.push(place.path().join('.')) > 0 });
 * keys; // ['a', 'a.1.b']
 */
export function walkJson(text: string, visitor: JsonVisitor): void {
  const scanner = createScanner(text, true);
  const frames: Frame[] = [];
  let containers = 0;
  let sawTop = false;
  const place: JsonPlace = {
    get depth() {
      return frames.length;
    },
    get container() {
      return frames.at(-1)?.id ?? 0;
    },
    path: () => frames.map((frame) => (frame.array ? frame.index : frame.key)),
  };
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    const top = frames.at(-1);
    if (token === STRING && top !== undefined && !top.array && top.expectKey) {
      top.key = scanner.getTokenValue();
      top.expectKey = false;
      if (visitor.member?.(top.key, scanner.getTokenOffset(), place) === false) return;
    } else if (VALUE_STARTS.has(token)) {
      const isElement = top === undefined ? !sawTop : top.array;
      sawTop = true;
      if (isElement && visitor.element?.(scanner.getTokenOffset(), place) === false) return;
      if (token === OPEN_BRACE) frames.push({ array: false, id: ++containers, key: '', expectKey: true });
      else if (token === OPEN_BRACKET) frames.push({ array: true, id: ++containers, index: 0 });
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) frames.pop();
    else if (token === COMMA && top !== undefined) {
      if (top.array) top.index++;
      else top.expectKey = true;
    }
  }
}
