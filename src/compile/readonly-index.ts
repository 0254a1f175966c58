/**
 * A read-only map that cannot be changed even by a cast: compiled topics
 * share these between stages (global outcomes, kind sets), so a change made
 * through one stage would show in all of them.
 *
 * @example
 * const kinds = new ReadonlyIndex([['price', priceKind]]);
 * kinds.get('price'); // priceKind
 */
export class ReadonlyIndex<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;

  constructor(entries: Iterable<readonly [K, V]>) {
    this.#map = new Map(entries);
    Object.freeze(this);
  }

  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  has(key: K): boolean {
    return this.#map.has(key);
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#map) callback.call(thisArg, value, key, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }
  keys(): MapIterator<K> {
    return this.#map.keys();
  }
  values(): MapIterator<V> {
    return this.#map.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map[Symbol.iterator]();
  }
}

/**
 * The outcomes a stage offers: its own, then the topic's global ones, which
 * every stage shares by reference. A global outcome that moves to this very
 * stage is cyclic here, so the stage keeps its own copy of it in `overrides`.
 *
 * @example
 * const outcomes = new StageOutcomes(own, globals, overrides);
 * outcomes.get('lost') === globals.get('lost'); // true: shared, not copied
 */
export class StageOutcomes<V> implements ReadonlyMap<string, V> {
  readonly #own: ReadonlyMap<string, V>;
  readonly #overrides: ReadonlyMap<string, V>;
  /** The global outcomes, the same object in every stage of a topic. */
  readonly global: ReadonlyMap<string, V>;

  constructor(own: ReadonlyMap<string, V>, global: ReadonlyMap<string, V>, overrides: ReadonlyMap<string, V>) {
    this.#own = own;
    this.global = global;
    this.#overrides = overrides;
    Object.freeze(this);
  }

  /** Lint keeps stage and global outcome ids apart, so the two never overlap. */
  get size(): number {
    return this.#own.size + this.global.size;
  }
  get(key: string): V | undefined {
    return this.#own.get(key) ?? this.#overrides.get(key) ?? this.global.get(key);
  }
  has(key: string): boolean {
    return this.#own.has(key) || this.global.has(key);
  }
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }
  *entries(): MapIterator<[string, V]> {
    yield* this.#own.entries();
    for (const [key, value] of this.global) yield [key, this.#overrides.get(key) ?? value];
  }
  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }
  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
