import { decodeUtf8 } from './utf8.js';

/**
 * One line of a JSON Lines file: its number (from 1) and its text, or why it
 * cannot be read as text.
 *
 * @example
 * const line: LogLine = { number: 3, ok: true, text: '{"type":"opened",…}' };
 */
export type LogLine = { readonly number: number; readonly ok: true; readonly text: string } | { readonly number: number; readonly ok: false; readonly reason: string };

/** Bytes of newline. */
const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than one line
 * and one chunk: a log may be far larger than memory, a line may not. A line
 * longer than `maxLineBytes` is reported and skipped (its bytes are not
 * kept), a line that is not UTF-8 is reported with the byte offset, and a
 * trailing `\r` is dropped. Empty lines are skipped. Never throws for the
 * content; only the stream's own errors reach the caller.
 *
 * @example
 * for await (const line of logLines(createReadStream('log.jsonl'), 1 << 24)) {
 *   if (line.ok) console.log(line.number, JSON.parse(line.text));
 * }
 */
export async function* logLines(stream: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxLineBytes: number): AsyncGenerator<LogLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let number = 0;
  const finish = (): LogLine | undefined => {
    number += 1;
    const line = Buffer.concat(parts, size);
    const wasTooLong = tooLong;
    parts = [];
    size = 0;
    tooLong = false;
    if (wasTooLong) return { number, ok: false, reason: `the line is longer than the ${maxLineBytes} bytes a log entry may have` };
    const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    if (end === 0) return undefined;
    const decoded = decodeUtf8(line.subarray(0, end));
    return decoded.ok ? { number, ok: true, text: decoded.text } : { number, ok: false, reason: `byte ${decoded.offset + 1} of the line (0x${decoded.byte.toString(16).padStart(2, '0')}) is not UTF-8` };
  };
  const keep = (piece: Buffer): void => {
    if (tooLong) return;
    if (size + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let at = bytes.indexOf(NEWLINE, start); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
      keep(bytes.subarray(start, at));
      const line = finish();
      if (line !== undefined) yield line;
      start = at + 1;
    }
    if (start < bytes.length) keep(Buffer.from(bytes.subarray(start)));
  }
  if (size > 0 || tooLong) {
    const line = finish();
    if (line !== undefined) yield line;
  }
}
