/** The shape of every id: stage, outcome, kind, field, document, topic. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Whether a value is an id of the shape {@link ID_PATTERN} describes: an ASCII
 * letter or digit, then up to 63 letters, digits, `_` or `-`. The same test as
 * the pattern, written out because it runs on every event.
 *
 * @example
 * isId('call-2'); // true
 * isId('__proto__'); // false
 */
export function isId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    const alphanumeric = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alphanumeric && (index === 0 || (code !== 95 && code !== 45))) return false;
  }
  return true;
}
