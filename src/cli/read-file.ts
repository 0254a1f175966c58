import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './io.js';

/** How much {@link readFileBounded} asks for at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a regular file (after following symbolic links) of at most
 * `maxBytes` bytes. The file is opened first and checked on the open
 * descriptor, so nothing can be swapped in between; it is opened without
 * blocking, so a FIFO is refused rather than waited on. At most
 * `maxBytes + 1` bytes are read, so the limit holds even for a file that
 * grows while it is read. Every failure is a one-line {@link UsageError}
 * that starts with `name`.
 *
 * @example
 * readFileBounded('/work/topic.json', 'topic.json', 10 * 1024 * 1024); // <Buffer 7b 22 ...>
 * readFileBounded('/dev/zero', '/dev/zero', 1024); // throws UsageError: "/dev/zero: is a character device, expected a regular JSON file"
 */
export function readFileBounded(path: string, name: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new UsageError(`${name}: ${fileErrorMessage(error)}`);
  }
  try {
    const kind = fileKind(fd, name);
    if (kind !== 'regular file') throw new UsageError(kind === 'directory' ? `${name}: is a directory, expected a JSON file` : `${name}: is a ${kind}, expected a regular JSON file`);
    const { size } = fstatSync(fd);
    if (size > maxBytes) throw new UsageError(`${name}: ${size} bytes is larger than the ${maxBytes} bytes a topic file may have`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = readChunk(fd, chunk, name);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw new UsageError(`${name}: grew past the ${maxBytes} bytes a topic file may have while it was read`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function fileKind(fd: number, name: string): string {
  try {
    const stats = fstatSync(fd);
    if (stats.isFile()) return 'regular file';
    if (stats.isDirectory()) return 'directory';
    if (stats.isFIFO()) return 'named pipe (FIFO)';
    if (stats.isCharacterDevice()) return 'character device';
    if (stats.isBlockDevice()) return 'block device';
    if (stats.isSocket()) return 'socket';
    return 'special file';
  } catch (error) {
    throw new UsageError(`${name}: ${fileErrorMessage(error)}`);
  }
}

function readChunk(fd: number, chunk: Buffer, name: string): number {
  try {
    return readSync(fd, chunk, 0, chunk.length, null);
  } catch (error) {
    throw new UsageError(`${name}: ${fileErrorMessage(error)}`);
  }
}

/**
 * A short, stack-free description of why a file could not be read.
 *
 * @example
 * fileErrorMessage(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })); // 'no such file'
 */
export function fileErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, expected a JSON file';
  if (code === 'ELOOP') return 'cannot be read (a symbolic link loop)';
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
