import { formatPath } from '../definition/issue.js';
import { walkJson, type JsonPlace } from './json-walk.js';

/** Values nested deeper than this get no place of their own: no topic path goes near it, and it keeps the walk linear. */
export const MAX_LOCATED_DEPTH = 64;

/** At most this many places are kept for one text (a topic with thousands of stages still has every stage placed). */
const MAX_PLACES = 200_000;

/**
 * Maps the JSON paths of a text (as `formatPath` writes them, e.g.
 * `stages[0].outcomes[1].to`) to their offsets: a member to its key, an
 * array element and the whole text to the value's first character. A path
 * that is not in the text (a missing member) falls back to its nearest
 * ancestor that is. Values deeper than {@link MAX_LOCATED_DEPTH} fall back the
 * same way.
 *
 * @example
 * const offsetOf = jsonLocations('{"stages":[{"id":"a"}]}');
 * offsetOf('stages[0].id'); // 12
 * offsetOf('stages[0].name'); // 11: the stage, which has no name
 */
export function jsonLocations(text: string): (path: string) => number | undefined {
  const places = new Map<string, number>();
  const place = (offset: number, at: JsonPlace): boolean => {
    if (places.size >= MAX_PLACES) return false;
    if (at.depth <= MAX_LOCATED_DEPTH) places.set(formatPath(at.path()), offset);
    return true;
  };
  walkJson(text, { member: (_key, offset, at) => place(offset, at), element: place });
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
  const last = /(?:\.[\p{ID_Start}_$][\p{ID_Continue}$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/u.exec(path);
  return last === null ? '' : path.slice(0, last.index);
}
