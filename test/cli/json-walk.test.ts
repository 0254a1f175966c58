import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from '../../src/cli/duplicate-keys.js';
import { walkJson } from '../../src/cli/json-walk.js';

describe('walkJson: the one walk under source locations and duplicate keys', () => {
  it('reports members at their keys and elements at their values, with their paths', () => {
    const seen: string[] = [];
    walkJson('{"a":[1,{"b":2}],"c":null}', {
      member: (key, offset, place) => seen.push(`member ${key}@${offset} ${place.path().join('.')}`) > 0,
      element: (offset, place) => seen.push(`element @${offset} ${place.path().join('.')}`) > 0,
    });
    expect(seen).toEqual(['element @0 ', 'member a@1 a', 'element @6 a.0', 'element @8 a.1', 'member b@9 a.1.b', 'member c@17 c']);
  });

  it('tells sibling objects at one depth apart, so a key repeated across them is no duplicate', () => {
    const containers: number[] = [];
    walkJson('[{"a":1},{"a":2}]', { member: (_key, _offset, place) => containers.push(place.container) > 0 });
    expect(new Set(containers).size).toBe(2);
    expect(findDuplicateKeys('[{"a":1},{"a":2}]')).toEqual([]);
    expect(findDuplicateKeys('[{"a":1,"a":2}]')).toHaveLength(1);
  });

  it('stops when a callback answers false', () => {
    let calls = 0;
    walkJson('{"a":1,"b":2,"c":3}', { member: () => ++calls < 2 });
    expect(calls).toBe(2);
  });
});
