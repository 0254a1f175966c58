import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/cli/utf8.js';

describe('decodeUtf8', () => {
  it('decodes any UTF-8 text as it is, dropping a byte-order mark', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeUtf8(Buffer.from(text))).toEqual({ ok: true, text });
        if (!text.startsWith('\ufeff')) expect(decodeUtf8(Buffer.from(`\ufeff${text}`))).toEqual({ ok: true, text });
      }),
    );
  });

  it.each([
    ['a Latin-1 byte', [0x7b, 0x22, 0xff, 0x22, 0x7d], 2, 0xff],
    ['a sequence cut short at the end', [0x61, 0xd0], 1, 0xd0],
    ['a stray continuation byte', [0x61, 0x62, 0x80], 2, 0x80],
    ['an overlong encoding of "/"', [0x61, 0xc0, 0xaf], 1, 0xc0],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 0, 0xed],
    ['a real U+FFFD and Cyrillic before the bad byte', [...Buffer.from('\ufffdя'), 0xfe], 5, 0xfe],
    ['a byte-order mark before the bad byte', [0xef, 0xbb, 0xbf, 0x7b, 0xff], 4, 0xff],
  ])('refuses %s, giving the offset and value of the first bad byte', (_name, bytes, offset, byte) => {
    expect(decodeUtf8(Uint8Array.from(bytes))).toEqual({ ok: false, offset, byte });
  });

  it('finds the first bad byte wherever it is put in valid text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (before, after) => {
        const prefix = Buffer.from(before);
        const result = decodeUtf8(Buffer.concat([prefix, Buffer.from([0xff]), Buffer.from(after)]));
        expect(result).toEqual({ ok: false, offset: prefix.length, byte: 0xff });
      }),
    );
  });
});
