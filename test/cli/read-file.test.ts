import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/usage-error.js';
import { readFileBounded } from '../../src/cli/read-file.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-read-file-'));
  writeFileSync(join(dir, 'small.json'), '{"a":1}');
  writeFileSync(join(dir, 'ten.json'), '0123456789');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'zero-link'));
  symlinkSync('small.json', join(dir, 'small-link'));
  mkdirSync(join(dir, 'folder'));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The one-line UsageError message a read fails with. */
function failure(path: string, name: string, max = 1024): string {
  try {
    readFileBounded(path, name, max);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe('readFileBounded', () => {
  it('reads a regular file, also through a symbolic link', () => {
    expect(readFileBounded(join(dir, 'small.json'), 'small.json', 1024).toString()).toBe('{"a":1}');
    expect(readFileBounded(join(dir, 'small-link'), 'small-link', 1024).toString()).toBe('{"a":1}');
  });

  it.each([
    ['a character device', '/dev/zero', 'character device'],
    ['a random-number device', '/dev/urandom', 'character device'],
    ['a FIFO (without waiting for a writer)', 'fifo', 'named pipe (FIFO)'],
    ['a symbolic link to a character device', 'zero-link', 'character device'],
  ])('refuses %s unread, naming the file and its kind', (_name, file, kind) => {
    const path = file.startsWith('/') ? file : join(dir, file);
    const message = failure(path, file);
    expect(message).toBe(`${file}: is a ${kind}, expected a regular JSON file`);
  });

  it('refuses a socket', async () => {
    const server = createServer();
    const path = join(dir, 'socket');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(failure(path, 'socket')).toBe('socket: is a socket or a device that is not there, expected a regular JSON file');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a directory', () => {
    expect(failure(join(dir, 'folder'), 'folder')).toBe('folder: is a directory, expected a JSON file');
  });

  it('refuses a missing file and a file over the limit by its size', () => {
    expect(failure(join(dir, 'missing.json'), 'missing.json')).toBe('missing.json: no such file');
    const size = statSync(join(dir, 'ten.json')).size;
    expect(failure(join(dir, 'ten.json'), 'ten.json', size - 1)).toBe(`ten.json: ${size} bytes is larger than the ${size - 1} bytes a topic file may have`);
    expect(readFileBounded(join(dir, 'ten.json'), 'ten.json', size)).toHaveLength(size);
  });

  it('holds the limit for a file whose content outgrows the size it reported', () => {
    // Files under /proc report size 0 and have content: like a file that grows after it was checked.
    expect(statSync('/proc/self/status').size).toBe(0);
    expect(failure('/proc/self/status', 'status', 16)).toBe('status: grew past the 16 bytes a topic file may have while it was read');
    expect(readFileBounded('/proc/self/status', 'status', 1024 * 1024).toString()).toContain('Pid:');
  });
});
