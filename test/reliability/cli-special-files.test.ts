import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardTopic } from '../../src/index.js';

/*
 * The built command line on files that are not regular files or not
 * UTF-8 (issue 12): each is refused at once with exit 2 and one line naming
 * the file and why. Before, a character device was read until the process
 * ran out of memory and a FIFO blocked forever: the timeout catches both.
 */

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let dir = '';

function crmTopics(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-special-'));
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  symlinkSync('/dev/zero', join(dir, 'zero.json'));
  mkdirSync(join(dir, 'folder.json'));
  writeFileSync(join(dir, 'standard.json'), JSON.stringify(standardTopic));
  writeFileSync(join(dir, 'cp1251.json'), Buffer.concat([Buffer.from(JSON.stringify(standardTopic).slice(0, -1)), Buffer.from(',"note":"'), Buffer.from([0xcd, 0xee, 0xe2, 0xfb, 0xe9]), Buffer.from('"}')]));
  writeFileSync(join(dir, 'bom.json'), `\ufeff${JSON.stringify(standardTopic)}`);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('crm-topics on special files', () => {
  it.each([
    ['/dev/zero', ['validate', '/dev/zero'], '/dev/zero: is a character device, expected a regular JSON file'],
    ['/dev/urandom', ['diagram', '/dev/urandom'], '/dev/urandom: is a character device, expected a regular JSON file'],
    ['a FIFO', ['validate', 'pipe.json'], 'pipe.json: is a named pipe (FIFO), expected a regular JSON file'],
    ['a FIFO as the weights', ['simulate', '--weights', 'pipe.json'], 'pipe.json: is a named pipe (FIFO), expected a regular JSON file'],
    ['a symbolic link to /dev/zero', ['diff', 'standard.json', 'zero.json'], 'zero.json: is a character device, expected a regular JSON file'],
    ['a directory with no JSON files', ['validate', 'folder.json'], 'folder.json: no .json files in this directory'],
    ['a directory as the topic to draw', ['diagram', 'folder.json'], 'folder.json: is a directory, expected a JSON file'],
  ])('refuses %s at once with exit 2 and one line', (_name, args, message) => {
    const result = crmTopics(...args);
    expect(result.signal).toBeNull();
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `crm-topics: ${message}\n` });
  });

  it('refuses a file that is not UTF-8, with the offset of the first bad byte, and accepts a byte-order mark', () => {
    const offset = Buffer.byteLength(JSON.stringify(standardTopic)) - 1 + ',"note":"'.length;
    const result = crmTopics('validate', 'cp1251.json');
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `crm-topics: cp1251.json: not UTF-8 text (byte 0xcd at offset ${offset}); save it as UTF-8\n` });
    expect(crmTopics('validate', 'bom.json').code).toBe(0);
  });
});
