import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLines, type LogLine } from '../../src/cli/log-lines.js';

async function collect(chunks: readonly (Uint8Array | string)[], max = 1024): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of logLines(chunks, max)) lines.push(line);
  return lines;
}

describe('logLines', () => {
  it('gives the same lines however the bytes are split into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }).filter((text) => !/[\n\r]/.test(text)), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), async (texts, cuts) => {
        const bytes = Buffer.from(texts.map((text) => `${text}\n`).join(''));
        const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...offsets].map((start, index) => bytes.subarray(start, offsets[index] ?? bytes.length));
        const lines = await collect(chunks);
        const expected = texts.map((text, index) => ({ number: index + 1, ok: true, text })).filter((line) => line.text !== '');
        expect(lines).toEqual(expected);
      }),
    );
  });

  it('numbers lines from 1 counting empty ones, drops a trailing \\r and keeps a last line without a newline', async () => {
    expect(await collect(['a\r\n\nb', 'c'])).toEqual([
      { number: 1, ok: true, text: 'a' },
      { number: 3, ok: true, text: 'bc' },
    ]);
  });

  it('reports a line longer than the limit without keeping it, and one that is not UTF-8, then goes on', async () => {
    const lines = await collect(['x'.repeat(6), 'x'.repeat(6), '\n', Buffer.from([0x61, 0xc3, 0x0a]), 'ok\n'], 10);
    expect(lines).toEqual([
      { number: 1, ok: false, reason: 'the line is longer than the 10 bytes a log entry may have' },
      { number: 2, ok: false, reason: 'byte 2 of the line (0xc3) is not UTF-8' },
      { number: 3, ok: true, text: 'ok' },
    ]);
  });
});
