import * as z from 'zod';

/**
 * The rules every string of topics, events and deals follows, written once:
 * one function per rule, and the zod schema builders that every schema uses.
 *
 * - **Storable** (all strings): no U+0000 and no lone (unpaired) UTF-16
 *   surrogate. The documented storage layout is PostgreSQL `jsonb`, which
 *   refuses both on insert (`\u0000` cannot be converted to text, an unpaired
 *   surrogate escape is not valid Unicode), so a value accepted here could
 *   never be saved. Code `unstorable_text`.
 * - **Not blank** (names and labels): a name with nothing visible once
 *   whitespace, control characters, format characters (`\p{Cf}`, e.g. zero
 *   width space U+200B, U+200C/D, word joiner U+2060, BOM U+FEFF, soft hyphen
 *   U+00AD) and other Default_Ignorable code points are removed reads as no
 *   name in every list and dropdown. Code `blank_name`.
 * - **No control characters** (names and labels): C0 controls U+0001–U+001F
 *   (tab, carriage return, escape…), DEL U+007F and C1 controls
 *   U+0080–U+009F. A name is one line people read; an escape sequence in a
 *   stage name or a user id would repaint a terminal, a carriage return
 *   overwrite a log line. Free texts keep them (a comment has line breaks).
 *   Code `control_character`.
 * - **No bidirectional controls** (names and labels): the embeddings,
 *   overrides and isolates U+202A–U+202E and U+2066–U+2069 reorder what
 *   follows them, so a stage name or a user id can display as another one
 *   ("Trojan Source"). Code `bidi_control`. The marks U+200E, U+200F and
 *   U+061C stay allowed (they reorder nothing after them). Free texts
 *   (comments, reasons, instructions, descriptions, text field values) may
 *   contain them: right-to-left writers need isolates there, and a free text
 *   is never what a person picks a stage or a user by.
 * - **Length as people see it** (names, text field values with `maxLength`):
 *   grapheme clusters after NFC normalisation, so 'é' written as e + U+0301
 *   and a family emoji 👨‍👩‍👧 are one character each. A text within the limit
 *   in UTF-16 code units always fits (cheap check first); one over four code
 *   units per allowed character plus 16 never does, so a flood of combining
 *   marks cannot pass (the 16 let one long emoji sequence, such as a family
 *   with skin tones of 19 code units, fit even a limit of 1). Free texts (comments, instructions) and labels (host ids, roles)
 *   keep their limit in UTF-16 code units: there it is a storage bound.
 *
 * Pure; imports nothing but zod.
 *
 * @module
 */

/** U+0000 or a lone surrogate: in `u` mode a surrogate pair is one code point, so only unpaired halves match. */
const UNSTORABLE = /[\0\uD800-\uDFFF]/u;
/** A character that shows: anything but whitespace, controls, format characters and Default_Ignorable code points. */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** C0 controls but U+0000 (unstorable, reported as such), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0001-\u001F\u007F-\u009F]/;
/** How many UTF-16 code units per allowed character a text may use at most, plus {@link UNITS_SLACK}. */
const UNITS_PER_CHARACTER = 4;
/** Room for one long emoji sequence whatever the limit: the longest emoji ZWJ sequences take 15 to 19 code units. */
const UNITS_SLACK = 16;

let graphemes: Intl.Segmenter | undefined;

/** `String.prototype.isWellFormed` (Node 20+, about three times faster than the regular expression), typed here since the library targets ES2023. */
const nativeWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const isWellFormed: (text: string) => boolean =
  typeof nativeWellFormed === 'function' ? (text) => nativeWellFormed.call(text) : (text) => !LONE_SURROGATE.test(text);

/**
 * The position (UTF-16 index) of the first code unit PostgreSQL `jsonb`
 * cannot store, U+0000 or a lone surrogate, or `-1` when there is none.
 *
 * @example
 * unstorableAt('ok'); // -1
 * unstorableAt('a\u0000b'); // 1
 * unstorableAt('\uD83D'); // 0 (half of an emoji)
 */
export function unstorableAt(text: string): number {
  const found = UNSTORABLE.exec(text);
  return found === null ? -1 : found.index;
}

/**
 * Whether PostgreSQL `jsonb` can store the text: no U+0000, no lone surrogate.
 *
 * @example
 * isStorableText('Оплата 👍'); // true
 * isStorableText('x\u0000'); // false
 * isStorableText('\uDC00'); // false
 */
export function isStorableText(text: string): boolean {
  return text.indexOf('\0') === -1 && isWellFormed(text);
}

/**
 * Whether a name shows nothing: empty once whitespace, control, format and
 * Default_Ignorable characters (U+200B, U+200C, U+200D, U+2060, U+FEFF,
 * U+00AD, …) are removed.
 *
 * @example
 * isBlankName('\u200B\u00A0'); // true
 * isBlankName('Оплата'); // false
 */
export function isBlankName(text: string): boolean {
  return !VISIBLE.test(text);
}

/**
 * Whether the text holds a bidirectional embedding, override or isolate
 * (U+202A–U+202E, U+2066–U+2069), which names and labels refuse.
 *
 * @example
 * hasBidiControl('Payment'); // false
 * hasBidiControl('\u202Etnemyap'); // true: shows as "payment"
 */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/**
 * The number of characters people see: grapheme clusters of the text after
 * NFC normalisation.
 *
 * @example
 * graphemeLength('e\u0301'); // 1
 * graphemeLength('👨‍👩‍👧'); // 1
 * graphemeLength('Оплата'); // 6
 */
export function graphemeLength(text: string): number {
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let count = 0;
  for (const segment of graphemes.segment(text.normalize('NFC'))) if (segment.index >= 0) count += 1;
  return count;
}

/**
 * Whether a text fits a limit of `max` characters as people see them: at
 * most `max` UTF-16 code units always fits (no segmenter needed), more than
 * `4 × max + 16` never does, and in between at most `max` grapheme clusters
 * after NFC normalisation fit.
 *
 * @example
 * fitsLength('👨‍👩‍👧', 1); // true: one character, 8 code units
 * fitsLength('ab', 1); // false
 * fitsLength('e' + '\u0301'.repeat(30), 1); // false: 31 code units, over 4 × 1 + 16
 */
export function fitsLength(text: string, max: number): boolean {
  if (text.length <= max) return true;
  if (text.length > max * UNITS_PER_CHARACTER + UNITS_SLACK) return false;
  return graphemeLength(text) <= max;
}

/** The codes these rules report. */
export type TextProblem = 'unstorable_text' | 'control_character' | 'blank_name' | 'bidi_control';

/**
 * The first rule a name or a label breaks (storable, not blank, no
 * bidirectional controls), or `undefined`. The empty string breaks none:
 * a minimum length is its own check.
 *
 * @example
 * nameProblem('Оплата'); // undefined
 * nameProblem('\u200B'); // 'blank_name'
 * nameProblem('a\u202Eb'); // 'bidi_control'
 * nameProblem('Offer\u001B[31m'); // 'control_character'
 */
export function nameProblem(text: string): TextProblem | undefined {
  if (!isStorableText(text)) return 'unstorable_text';
  if (CONTROL_CHARACTER.test(text)) return 'control_character';
  if (text !== '' && isBlankName(text)) return 'blank_name';
  return hasBidiControl(text) ? 'bidi_control' : undefined;
}

/**
 * Whether a label (a host's user id, role or reference: ids people may
 * read, counted in UTF-16 code units) of 1 to `max` code units breaks none
 * of the name rules. Cheap enough for the event fast path.
 *
 * @example
 * isLabel('u-1', 200); // true
 * isLabel('\u200B', 200); // false
 * isLabel('', 200); // false
 */
export function isLabel(text: string, max: number): boolean {
  return text.length >= 1 && text.length <= max && (isPlainAsciiLabel(text) || nameProblem(text) === undefined);
}

/** Printable ASCII with a character that is not a space: a label by every rule, told without the regular expressions (most ids are). */
function isPlainAsciiLabel(text: string): boolean {
  let visible = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
    if (code !== 0x20) visible = true;
  }
  return visible;
}

/** Codes written as `U+XXXX` for messages. */
function codePoint(text: string, index: number): string {
  return `U+${(text.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with what `jsonb` cannot store written as `\uXXXX`, so an issue can show it (and be stored itself). */
function escaped(text: string): string {
  return text.replace(/[\0\uD800-\uDFFF]/gu, (unit) => `\\u${(unit.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

type Context = z.core.$RefinementCtx<string>;

/** Adds the issue of a broken text rule, with our code and what it found. */
function report(ctx: Context, text: string, problem: TextProblem): void {
  if (problem === 'unstorable_text') {
    const index = unstorableAt(text);
    ctx.addIssue({ code: 'custom', input: escaped(text), params: { code: problem, char: codePoint(text, index), index } });
  } else if (problem === 'bidi_control' || problem === 'control_character') {
    const index = text.search(problem === 'bidi_control' ? BIDI_CONTROL : CONTROL_CHARACTER);
    ctx.addIssue({ code: 'custom', input: text, params: { code: problem, char: codePoint(text, index), index } });
  } else {
    ctx.addIssue({ code: 'custom', input: text, params: { code: problem } });
  }
}

/**
 * The zod schema of a free text (a comment, reason, instruction,
 * description, field value) of at most `max` UTF-16 code units that
 * PostgreSQL `jsonb` can store (`unstorable_text`). Bidirectional controls
 * are allowed here.
 *
 * @example
 * const comment = textSchema(10_000);
 * comment.safeParse('call back\u0000').success; // false: unstorable_text
 */
export function textSchema(max: number) {
  return z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      if (!isStorableText(text)) report(ctx, text, 'unstorable_text');
    });
}

/**
 * The zod schema of a name people see and pick by (a topic, stage, outcome,
 * kind, field, option or document name, a group): trimmed, at least one
 * character, storable (`unstorable_text`), not blank once invisible
 * characters are removed (`blank_name`), no bidirectional controls
 * (`bidi_control`), and at most `max` characters as people see them
 * (`too_big`; see {@link fitsLength}). The JSON Schema states `maxLength: max`.
 *
 * @example
 * const name = nameSchema(200);
 * name.parse('  Оплата '); // 'Оплата'
 * name.safeParse('\u200B').success; // false: blank_name
 * name.safeParse('e\u0301'.repeat(200)).success; // true: 200 characters (400 code units)
 */
export function nameSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .superRefine((text, ctx) => {
      const problem = nameProblem(text);
      if (problem !== undefined) report(ctx, text, problem);
      else if (!fitsLength(text, max)) ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: text });
    })
    .meta({ maxLength: max });
}

/**
 * The zod schema of a label: a host's user id, role, deal or client id, or
 * a reference people may read. 1 to `max` UTF-16 code units (a storage
 * bound, as for database keys), storable (`unstorable_text`), not blank
 * (`blank_name`), no bidirectional controls (`bidi_control`). Not trimmed:
 * a host's id is kept exactly as given.
 *
 * @example
 * const userId = labelSchema(200);
 * userId.safeParse('u-1').success; // true
 * userId.safeParse('\u2066admin\u2069').success; // false: bidi_control
 */
export function labelSchema(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const problem = nameProblem(text);
      if (problem !== undefined) report(ctx, text, problem);
    });
}
