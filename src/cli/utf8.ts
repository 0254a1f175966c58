/**
 * The outcome of {@link decodeUtf8}: the text, or the byte offset of the first byte that is not UTF-8.
 *
 * @example
 * const result: Utf8Result = { ok: false, offset: 2, byte: 0xff };
 */
export type Utf8Result = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly offset: number; readonly byte: number };

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes bytes as UTF-8, refusing anything that is not (where a lenient
 * decoder would put U+FFFD). A leading byte-order mark is dropped.
 *
 * @example
 * decodeUtf8(Buffer.from('{"a":1}')); // { ok: true, text: '{"a":1}' }
 * decodeUtf8(Buffer.from([0x7b, 0xff])); // { ok: false, offset: 1, byte: 0xff }
 */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidOffset(bytes);
    return { ok: false, offset, byte: bytes[offset] ?? 0 };
  }
}

/**
 * The offset of the first byte a lenient decoder replaced: the text before
 * it is decoded as it is, so counting its UTF-8 bytes finds it; a U+FFFD
 * that stands for the three bytes EF BF BD is real and skipped.
 */
function firstInvalidOffset(bytes: Uint8Array): number {
  const text = lenient.decode(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let offset = bom;
  let from = 0;
  for (let index = text.indexOf('\ufffd'); index !== -1; index = text.indexOf('\ufffd', index + 1)) {
    offset += Buffer.byteLength(text.slice(from, index));
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset;
    offset += 3;
    from = index + 1;
  }
  return offset;
}
