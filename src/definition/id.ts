/**
 * The shape of every id: stage, outcome, kind, field, document, topic. A
 * Unicode letter or decimal digit first, then up to 63 letters, combining
 * marks (which some scripts need inside a word), decimal digits, `_` or `-`;
 * counted in code points. XState's reserved characters never match: `.`
 * (its state path delimiter), `#` (its id reference prefix) and whitespace.
 * The pattern cannot say that an id must also be normalised to NFC:
 * {@link isId} and the topic schema check that too.
 */
export const ID_PATTERN = /^[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}_-]{0,63}$/u;

/** The most code points an id may have. */
export const MAX_ID_LENGTH = 64;

/**
 * Whether a value is an id: of the shape {@link ID_PATTERN} describes and
 * normalised to NFC (so that two ids that look the same are the same
 * string). An ASCII id is checked by a loop over its characters, because it
 * runs on every event; only an id with other characters pays for the
 * Unicode pattern and the normalisation check.
 *
 * @example
 * isId('call-2'); // true
 * isId('оплата-счёта'); // true
 * isId('__proto__'); // false: starts with "_"
 * isId('stage.one'); // false: "." is XState's state delimiter
 * isId('e\u0301tape'); // false: not NFC (write "étape" with the composed é)
 */
export function isId(value: unknown): value is string {
  // 64 code points take at most 128 UTF-16 code units.
  if (typeof value !== 'string' || value.length === 0 || value.length > 2 * MAX_ID_LENGTH) return false;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 128) return isUnicodeId(value);
    const alphanumeric = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alphanumeric && (index === 0 || (code !== 95 && code !== 45))) return false;
  }
  return value.length <= MAX_ID_LENGTH;
}

/** The slow path of {@link isId}, for a string with a character beyond ASCII. */
function isUnicodeId(value: string): boolean {
  return ID_PATTERN.test(value) && value.normalize('NFC') === value;
}

/**
 * Whether an id that fails {@link isId} fails only because it is not
 * normalised to NFC, so that a message can say so instead of "not an id".
 *
 * @example
 * isNonNfcId('e\u0301tape'); // true: "étape" with a separate accent
 * isNonNfcId('a.b'); // false: not an id in any form
 */
export function isNonNfcId(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 4 * MAX_ID_LENGTH) return false;
  const text: string = value;
  return isId(text) ? false : isId(String.prototype.normalize.call(text, 'NFC'));
}

/** The longest id {@link idFromName} derives before a numeric suffix, in code points. */
const NAME_ID_LENGTH = 48;
/** What {@link idFromName} answers for a name without a letter or digit. */
const FALLBACK_ID = 'id';
const NOT_ID_CHARACTERS = /[^\p{L}\p{M}\p{Nd}]+/gu;
const LEADING_MARKS_OR_DASHES = /^[\p{M}-]+/u;

/**
 * A stable, readable id derived from a name people see: normalised to NFC,
 * lowercased (`toLowerCase`, the same in every locale), every run of spaces,
 * punctuation and symbols turned into one `-`, dashes trimmed from both
 * ends, and at most 48 code points. When `taken` already holds that id, the
 * first free `-2`, `-3`… is appended. The same name and the same `taken`
 * always give the same id, and the answer always passes {@link isId}. A
 * name without a letter or digit (or not a string) gives `"id"` (or
 * `"id-2"`…). Never throws.
 *
 * The id is derived once, when a stage, outcome or field is created: ids
 * never change afterwards, even when the name does, because deals and their
 * histories refer to them.
 *
 * @example
 * idFromName('Коммерческое предложение'); // 'коммерческое-предложение'
 * idFromName('Счёт / оплата'); // 'счёт-оплата'
 * idFromName('Call #2: follow-up'); // 'call-2-follow-up'
 * idFromName('Оплата', ['оплата']); // 'оплата-2'
 * idFromName('Оплата', new Set(['оплата', 'оплата-2'])); // 'оплата-3'
 * idFromName('!!!'); // 'id'
 */
export function idFromName(name: string, taken?: Iterable<string> | ReadonlySet<string>): string {
  let base = FALLBACK_ID;
  try {
    base = baseId(typeof name === 'string' ? name : '');
  } catch {
    // Not reachable for strings; kept so that the promise "never throws" does not rest on it.
  }
  let has: (id: string) => boolean;
  try {
    has = takenTest(taken);
  } catch {
    has = () => false;
  }
  try {
    if (!has(base)) return base;
    for (let suffix = 2; suffix < Number.MAX_SAFE_INTEGER; suffix += 1) {
      const tail = `-${suffix}`;
      const id = `${cutCodePoints(base, MAX_ID_LENGTH - tail.length).replace(/-+$/u, '')}${tail}`;
      if (!has(id)) return id;
    }
  } catch {
    // A `taken` whose `has` throws: the base id is the best answer left.
  }
  return base;
}

/** The id of a name before collisions: always passes {@link isId}. */
function baseId(name: string): string {
  const words = wellFormed(name).normalize('NFC').toLowerCase().normalize('NFC').replace(NOT_ID_CHARACTERS, '-');
  const trimmed = cutCodePoints(words.replace(LEADING_MARKS_OR_DASHES, ''), NAME_ID_LENGTH).replace(/-+$/u, '');
  const id = trimmed.normalize('NFC');
  return isId(id) ? id : FALLBACK_ID;
}

/** The text with unpaired surrogates dropped (they are no letter). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, '');
}

/** The first `count` code points of a text. */
function cutCodePoints(text: string, count: number): string {
  let end = 0;
  let seen = 0;
  while (end < text.length && seen < count) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
    seen += 1;
  }
  return text.slice(0, end);
}

/** A membership test over what `taken` holds (a set is used as it is, another iterable is read once). */
function takenTest(taken: Iterable<string> | ReadonlySet<string> | undefined): (id: string) => boolean {
  if (taken === undefined || taken === null) return () => false;
  if (taken instanceof Set) return (id) => taken.has(id);
  if (typeof (taken as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') return () => false;
  const ids = new Set<unknown>();
  for (const id of taken) ids.add(id);
  return (id) => ids.has(id);
}
