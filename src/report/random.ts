/**
 * A small seeded pseudo-random generator for simulations: xoshiro128**
 * (Blackman and Vigna, 2018; 128 bits of state, period 2^128 − 1), its state
 * filled from the seed by a SplitMix32-style mixer. Not for cryptography.
 * The same seed gives the same sequence on every platform: it uses only
 * 32-bit integer arithmetic (`Math.imul`, shifts).
 *
 * @module
 */

/**
 * A seeded source of random numbers; see {@link createRandom}.
 *
 * @example
 * const random: Random = createRandom(7);
 * const coin = random.next() < 0.5 ? 'heads' : 'tails';
 */
export interface Random {
  /** A number in [0, 1) with 32 random bits. */
  readonly next: () => number;
  /** An integer in [0, n) for a positive integer `n` (below 2^32). */
  readonly int: (n: number) => number;
  /** A draw from the exponential distribution with the given mean (0 for a mean of 0). */
  readonly exponential: (mean: number) => number;
}

const TWO_POW_32 = 4_294_967_296;

/**
 * A 32-bit hash of a seed, so that any number or string seeds the generator.
 * A number and its decimal text are the same seed (`42` and `'42'`).
 *
 * @example
 * seedHash('spring-campaign') === seedHash('spring-campaign'); // true
 * seedHash(42) === seedHash('42');                             // true
 */
export function seedHash(seed: number | string): number {
  const text = String(seed);
  // FNV-1a over UTF-16 code units, then a final avalanche (the MurmurHash3 finaliser).
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * A seeded generator (xoshiro128**). Equal seeds give equal sequences.
 *
 * @example
 * const random = createRandom('demo');
 * random.next();         // e.g. 0.7251…, the same on every run
 * random.int(6) + 1;     // a die roll
 * random.exponential(3_600_000); // a waiting time with a mean of an hour
 */
export function createRandom(seed: number | string = 1): Random {
  // SplitMix32-style expansion of the 32-bit seed into four state words.
  let weyl = seedHash(seed);
  const mix = (): number => {
    weyl = (weyl + 0x9e3779b9) | 0;
    let z = weyl;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let s0 = mix();
  let s1 = mix();
  let s2 = mix();
  let s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the one state xoshiro cannot leave

  const nextUint32 = (): number => {
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const next = (): number => nextUint32() / TWO_POW_32;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    // 1 − u lies in (0, 1], so the logarithm is finite.
    exponential: (mean) => -mean * Math.log(1 - next()),
  };
}
