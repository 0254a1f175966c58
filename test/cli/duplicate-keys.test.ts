import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys, MAX_DUPLICATE_KEYS } from '../../src/cli/duplicate-keys.js';

/** The value a path leads to in what JSON.parse made of the text. */
function at(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

describe('findDuplicateKeys', () => {
  it('finds nothing in JSON that JSON.stringify wrote (it cannot repeat a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKeys(JSON.stringify(value, null, 1))).toEqual([]);
      }),
    );
  });

  it('finds a repeated key at its path, with the offsets of both occurrences', () => {
    const text = '{"stages":[{"id":"a"},{"id":"b","name":"B","id":"c"}],"id":"x"}';
    const found = findDuplicateKeys(text);
    expect(found).toEqual([{ path: ['stages', 1, 'id'], offset: text.lastIndexOf('"id":"c"'), previousOffset: text.indexOf('"id":"b"') }]);
    // JSON.parse keeps the last: the path leads to the value that won.
    expect(at(JSON.parse(text), found[0]?.path ?? [])).toBe('c');
  });

  it('compares keys as JSON.parse does, after unescaping, and takes each repeat once', () => {
    const text = '{"a":1,"\\u0061":2,"a":3,"b":{"a":4}}';
    expect(findDuplicateKeys(text).map(({ path, offset, previousOffset }) => [path, offset, previousOffset])).toEqual([
      [['a'], 7, 1],
      [['a'], 18, 7],
    ]);
  });

  it('finds a duplicate injected anywhere in a JSON value, pointing at the repeated key', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.jsonValue(), (object, extra) => {
        const [key] = Object.keys(object);
        if (key === undefined) return;
        const text = `{"outer":[${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}]}`;
        const found = findDuplicateKeys(text);
        expect(found).toHaveLength(1);
        expect(found[0]?.path).toEqual(['outer', 0, key]);
        expect(text.slice(found[0]?.offset)).toMatch(new RegExp(`^${JSON.stringify(key).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:`));
        expect(text.slice(found[0]?.previousOffset).startsWith(JSON.stringify(key))).toBe(true);
      }),
    );
  });

  it(`stops at ${MAX_DUPLICATE_KEYS} and survives nesting deeper than a recursive parser can take`, () => {
    expect(findDuplicateKeys(`{${Array.from({ length: 1000 }, () => '"a":1').join(',')}}`)).toHaveLength(MAX_DUPLICATE_KEYS);
    const deep = `${'{"a":['.repeat(100_000)}{"k":1,"k":2}${']}'.repeat(100_000)}`;
    const [found] = findDuplicateKeys(deep);
    expect(found?.path).toHaveLength(200_001);
    expect(found?.path.at(-1)).toBe('k');
  });
});
