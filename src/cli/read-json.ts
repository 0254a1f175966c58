import { resolve } from 'node:path';
import { findDuplicateKeys, type DuplicateKey } from './duplicate-keys.js';
import { UsageError } from './usage-error.js';
import { jsonSyntaxOffset, jsonSyntaxReason } from './json-syntax-error.js';
import { formatPosition, lineIndex } from './position.js';
import { readFileBounded } from './read-file.js';
import { decodeUtf8 } from './utf8.js';

export { fileErrorMessage } from './read-file.js';

/** Topic files larger than this are refused unread: no real topic comes near it. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * A JSON file as read: its value (as `JSON.parse` gives it), its text, and the keys it repeats.
 *
 * @example
 * const json: JsonFile = { value: { a: 2 }, text: '{"a":1,"a":2}', duplicateKeys: [{ path: ['a'], offset: 7, previousOffset: 1 }] };
 */
export interface JsonFile {
  readonly value: unknown;
  /** The text without its byte-order mark: the offsets of `duplicateKeys` point into it. */
  readonly text: string;
  readonly duplicateKeys: readonly DuplicateKey[];
}

/**
 * Reads and parses a JSON file, turning every way it can fail (missing, a
 * directory or another non-regular file, unreadable, empty, too large, not
 * UTF-8, binary, not JSON) into a one-line {@link UsageError}. Keys an
 * object repeats are listed, not refused: they are for the caller to report.
 *
 * @example
 * const { value, duplicateKeys } = readJsonFile(process.cwd(), 'topics/new-clients.json');
 */
export function readJsonFile(cwd: string, file: string): JsonFile {
  return parseJsonBytes(readFileBounded(resolve(cwd, file), file, MAX_FILE_BYTES), file);
}

/**
 * Decodes and parses the bytes of a JSON file (read from disk or standard
 * input) named `file` in messages, with the same one-line
 * {@link UsageError}s as {@link readJsonFile}. A syntax error names its
 * line:column and carries it as the error's `position`.
 *
 * @example
 * parseJsonBytes(Buffer.from('{"id": }'), 'topic.json');
 * // throws UsageError: "topic.json: not valid JSON at 1:8 (Unexpected token '}', …)"
 */
export function parseJsonBytes(bytes: Uint8Array, file: string): JsonFile {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw new UsageError(`${file}: not UTF-8 text (byte 0x${decoded.byte.toString(16).padStart(2, '0')} at offset ${decoded.offset}); save it as UTF-8`);
  const { text } = decoded;
  if (text.trim() === '') throw new UsageError(`${file}: the file is empty, expected JSON`);
  if (text.includes('\u0000')) throw new UsageError(`${file}: the file is binary, expected JSON text`);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const offset = jsonSyntaxOffset(text, reason);
    if (offset === undefined) throw new UsageError(`${file}: not valid JSON (${reason})`);
    const position = lineIndex(text)(offset);
    throw new UsageError(`${file}: not valid JSON at ${formatPosition(position)} (${jsonSyntaxReason(reason)})`, position);
  }
  return { value, text, duplicateKeys: findDuplicateKeys(text) };
}
