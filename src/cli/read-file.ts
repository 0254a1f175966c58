import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './usage-error.js';

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
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stats = fstatSync(fd);
    const kind = KINDS.find(([is]) => stats[is]())?.[1] ?? (stats.isFile() ? undefined : 'special file');
    if (kind === 'directory') throw new UsageError(`${name}: is a directory, expected a JSON file`);
    if (kind !== undefined) throw new UsageError(`${name}: is a ${kind}, expected a regular JSON file`);
    if (stats.size > maxBytes) throw new UsageError(`${name}: ${stats.size} bytes is larger than the ${maxBytes} bytes a topic file may have`);
    return readAll(fd, name, maxBytes, 'grew past');
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(`${name}: ${fileErrorMessage(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads an open descriptor to its end, refusing more than `maxBytes` (at most `maxBytes + 1` are read). */
function readAll(fd: number, name: string, maxBytes: number, verb: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) throw new UsageError(`${name}: ${verb} the ${maxBytes} bytes a topic file may have${verb === 'grew past' ? ' while it was read' : ''}`);
  }
}

/**
 * The name standard input goes by in messages and reports.
 *
 * @example
 * `${STDIN_NAME}: the file is empty, expected JSON`; // '<stdin>: the file is empty, expected JSON'
 */
export const STDIN_NAME = '<stdin>';

/**
 * Reads all of standard input (a pipe, a redirected file or a terminal until
 * end of input), refusing more than `maxBytes`. Failures are one-line
 * {@link UsageError}s naming `<stdin>`.
 *
 * @example
 * // cat topic.json | crm-topics validate -
 * const bytes = readStdinBounded(10 * 1024 * 1024);
 */
export function readStdinBounded(maxBytes: number, fd = 0): Buffer {
  try {
    return readAll(fd, STDIN_NAME, maxBytes, 'has more than');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${STDIN_NAME}: ${fileErrorMessage(error)}`);
  }
}

/** The kinds of file that are not regular files, as the refusal names them. */
const KINDS = [
  ['isDirectory', 'directory'],
  ['isFIFO', 'named pipe (FIFO)'],
  ['isCharacterDevice', 'character device'],
  ['isBlockDevice', 'block device'],
] as const;

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
  // open(2) answers ENXIO for a Unix socket (and a device node with no device behind it).
  if (code === 'ENXIO') return 'is a socket or a device that is not there, expected a regular JSON file';
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
