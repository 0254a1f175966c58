/** Bidirectional controls and other invisible format characters a name could use to reorder or hide text. */
const INVISIBLE = /[\p{Cc}\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

/**
 * Makes user text safe inside SVG or HTML text and attribute values: escapes
 * `& < > " '`, turns line breaks into spaces and drops control, bidi-override
 * and other invisible characters, so a topic name can neither add markup nor
 * reorder the text around it. Never throws.
 *
 * @example
 * svgText('A & <B> "C"'); // 'A &amp; &lt;B&gt; &quot;C&quot;'
 */
export function svgText(value: string): string {
  return plainText(value).replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

/**
 * The text as it will be shown, before escaping: line breaks as spaces and
 * invisible characters (controls, bidi overrides) removed.
 *
 * @example
 * plainText('a\u202eb\nc'); // 'ab c'
 */
export function plainText(value: string): string {
  return value.replace(/\r\n?|[\n\t\v\f]/g, ' ').replace(INVISIBLE, '');
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
