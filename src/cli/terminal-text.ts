/**
 * The characters a terminal may act on rather than show: C0 controls (ESC,
 * CR, BEL…), DEL, C1 controls, the line and paragraph separators and the
 * bidirectional marks, embeddings, overrides and isolates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, but keeping line breaks
const UNSAFE_KEEPING_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from input (ids, names, paths, messages, file names) made safe to
 * print on a terminal: every control, separator and bidi character becomes
 * a visible escape (`\x1b`, `\u202e`), so a topic file cannot move the
 * cursor, recolour, retitle or reorder what the command line shows. With
 * `keepLines`, "\n" is kept, for multi-line text such as a diagram.
 *
 * @example
 * terminalSafe('Won\u001b[2J'); // 'Won\\x1b[2J'
 * terminalSafe('a\nb'); // 'a\\x0ab'
 * terminalSafe('a\nb', { keepLines: true }); // 'a\nb'
 */
export function terminalSafe(text: string, options: { readonly keepLines?: boolean } = {}): string {
  return text.replace(options.keepLines === true ? UNSAFE_KEEPING_LINES : UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
