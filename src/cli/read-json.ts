import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './io.js';

/** Topic files larger than this are refused unread: no real topic comes near it. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Reads and parses a JSON file, turning every way it can fail (missing, a
 * directory, unreadable, empty, too large, binary, not JSON) into a one-line
 * {@link UsageError}.
 */
export function readJsonFile(cwd: string, file: string): unknown {
  const path = resolve(cwd, file);
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new UsageError(`${file}: is a directory, expected a JSON file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: ${fileErrorMessage(error)}`);
  }
  if (size > MAX_FILE_BYTES) throw new UsageError(`${file}: ${size} bytes is larger than the ${MAX_FILE_BYTES} bytes a topic file may have`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${fileErrorMessage(error)}`);
  }
  if (text.trim() === '') throw new UsageError(`${file}: the file is empty, expected JSON`);
  if (text.includes('\u0000')) throw new UsageError(`${file}: the file is binary, expected JSON text`);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A short, stack-free description of why a file could not be read. */
export function fileErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, expected a JSON file';
  if (code === 'ELOOP') return 'cannot be read (a symbolic link loop)';
  return error instanceof Error ? error.message : String(error);
}
