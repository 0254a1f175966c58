import { createScanner } from 'jsonc-parser';
import { formatPath } from '../definition/issue.js';

/** Values nested deeper than this get no place of their own: no topic path goes near it, and it keeps the walk linear. */
export const MAX_LOCATED_DEPTH = 64;

/** At most this many places are kept for one text (a topic with thousands of stages still has every stage placed). */
const MAX_PLACES = 200_000;

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

type Frame = { readonly array: false; key: string; expectKey: boolean } | { readonly array: true; index: number };

/**
 * Maps the JSON paths of a text (as `formatPath` writes them, e.g.
 * `stages[0].outcomes[1].to`) to their offsets: a member to its key, an
 * array element and the whole text to the value's first character. A path
 * that is not in the text (a missing member) falls back to its nearest
 * ancestor that is. It walks jsonc-parser's scanner with a stack of its own,
 * so nesting as deep as `JSON.parse` takes cannot overflow the call stack;
 * values deeper than {@link MAX_LOCATED_DEPTH} fall back the same way.
 *
 * @example
 * const offsetOf = jsonLocations('{"stages":[{"id":"a"}]}');
 * offsetOf('stages[0].id'); // 12
 * offsetOf('stages[0].name'); // 11: the stage, which has no name
 */
export function jsonLocations(text: string): (path: string) => number | undefined {
  const places = new Map<string, number>();
  const scanner = createScanner(text, true);
  const frames: Frame[] = [];
  const place = (offset: number): void => {
    if (frames.length > MAX_LOCATED_DEPTH || places.size >= MAX_PLACES) return;
    const path = formatPath(frames.map((frame) => (frame.array ? frame.index : frame.key)));
    places.set(path, offset);
  };
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    const top = frames.at(-1);
    if (token === STRING && top !== undefined && !top.array && top.expectKey) {
      top.key = scanner.getTokenValue();
      top.expectKey = false;
      place(scanner.getTokenOffset());
    } else if (VALUE_STARTS.has(token)) {
      if (top === undefined ? !places.has('') : top.array) place(scanner.getTokenOffset());
      if (token === OPEN_BRACE) frames.push({ array: false, key: '', expectKey: true });
      else if (token === OPEN_BRACKET) frames.push({ array: true, index: 0 });
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) frames.pop();
    else if (token === COMMA && top !== undefined) {
      if (top.array) top.index++;
      else top.expectKey = true;
    }
  }
  return (path) => {
    for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) {
      const offset = places.get(at);
      if (offset !== undefined) return offset;
    }
    return undefined;
  };
}

/** The path one level up (`a.b[2]` → `a.b` → `a` → ``), or `undefined` above the top. */
function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const last = /(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  return last === null ? '' : path.slice(0, last.index);
}
