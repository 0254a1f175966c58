import { walkJson } from './json-walk.js';

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

/**
 * The duplicate keys of a JSON text that `JSON.parse` accepted, in order, at
 * most {@link MAX_DUPLICATE_KEYS} (the first ones: a text with more says no
 * more about them).
 *
 * @example
 * findDuplicateKeys('{"stages":[{"id":"a","id":"b"}]}');
 * // [{ path: ['stages', 0, 'id'], offset: 22, previousOffset: 12 }]
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // The keys seen so far in the open object at each depth, with that object's number.
  const seen: { container: number; keys: Map<string, number> }[] = [];
  walkJson(text, {
    member(key, offset, place) {
      let object = seen[place.depth];
      if (object?.container !== place.container) seen[place.depth] = object = { container: place.container, keys: new Map() };
      const previousOffset = object.keys.get(key);
      object.keys.set(key, offset);
      if (previousOffset !== undefined) found.push({ path: place.path(), offset, previousOffset });
      return found.length < MAX_DUPLICATE_KEYS;
    },
  });
  return found;
}
