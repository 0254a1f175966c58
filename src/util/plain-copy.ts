import { isPlainObject } from './plain-object.js';

/** Deeper than any input the library accepts: what lies below is left for the schema to refuse. */
const MAX_DEPTH = 8;

/** The answer of {@link plainCopy}: the copy, or where a value that is not plain data sits. */
export type PlainCopy =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly path: readonly PropertyKey[]; readonly found: string };

/** Thrown down the copy when a value is not plain data; each level adds its key on the way up. */
class NotPlain {
  readonly path: PropertyKey[] = [];
  constructor(readonly found: string) {}
}

/**
 * A copy of plain data read exactly once: plain objects and arrays are
 * copied through their own enumerable properties (each getter runs once),
 * other values are kept as they are for the schema to judge, and an object
 * that is not plain (a class instance, a `Date`, an object with a prototype
 * of its own, whose inherited properties would be read) is refused with its
 * path. Checking the copy and storing only the copy means a getter that
 * answers differently on a second read can never put unchecked data into
 * what the library keeps.
 *
 * An array longer than `maxItems` is cut to `maxItems + 1` items: too long
 * either way, and a sparse array of four billion holes costs nothing.
 * Throws whatever a getter or proxy trap throws; callers catch it once.
 *
 * @example
 * const copy = plainCopy(request.body, 100);
 * if (copy.ok && isWellFormedEvent(copy.value)) store(copy.value); // never the caller's object
 */
export function plainCopy(value: unknown, maxItems: number): PlainCopy {
  try {
    return { ok: true, value: copyOf(value, maxItems, 0) };
  } catch (error) {
    if (error instanceof NotPlain) return { ok: false, path: error.path.reverse(), found: error.found };
    throw error;
  }
}

// The path is built only on the way out of a refusal: a copy that succeeds allocates nothing but the copy.
function copyOf(value: unknown, maxItems: number, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const length = Math.min(value.length, maxItems + 1);
    const copy: unknown[] = new Array<unknown>(length);
    for (let index = 0; index < length; index += 1) copy[index] = copyAt(value[index], maxItems, depth, index);
    return copy;
  }
  if (!isPlainObject(value)) throw new NotPlain(kindOf(value));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = copyAt(value[key], maxItems, depth, key);
    // An own `__proto__` key (JSON.parse makes them) stays a key, for the schema to refuse.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true });
    else copy[key] = field;
  }
  return copy;
}

function copyAt(value: unknown, maxItems: number, depth: number, key: PropertyKey): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    return copyOf(value, maxItems, depth + 1);
  } catch (error) {
    if (error instanceof NotPlain) error.path.push(key);
    throw error;
  }
}

/** What a non-plain object is, for the message: its constructor's name when it has a readable one. */
function kindOf(value: object): string {
  const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object with a prototype of its own';
}
