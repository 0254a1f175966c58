/** Whether a value is a plain object (`{}` literal, JSON object or null-prototype object), not an array, class instance or proxy of one. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Whether a value is an object with an own `__proto__` key (as `JSON.parse`
 * makes from `{"__proto__": 1}`), which zod leaves out of a record without
 * a word: checked before parsing so that the key is refused, not lost.
 *
 * @example
 * hasOwnProto(JSON.parse('{"__proto__": 1}')); // true
 * hasOwnProto({ a: 1 }); // false
 */
export const hasOwnProto = (value: unknown): boolean => typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__');
