/* `crm-topics diagram --format svg` run as a subprocess from the built dist/cli.js, like test/cli/cli.test.ts. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopic, standardTopic } from '../../src/index.js';
import { topicSvg } from '../../src/picture/topic-svg.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let dir = '';

function crmTopics(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-svg-'));
  writeFileSync(join(dir, 'standard.json'), JSON.stringify(standardTopic));
  const hostile = { id: 'x', name: 'A <b> & "c"', kind: 'sales', stages: [{ id: 'a', name: '<img onerror=1>', outcomes: [{ id: 'w', name: 'W&W', finish: 'positive' }] }] };
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify(hostile));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crm-topics diagram --format svg', () => {
  it('prints the same picture topicSvg draws, in the chosen locale', () => {
    const compiled = compileTopic(standardTopic);
    if (compiled.kind !== 'sales') throw new Error('sales topic expected');
    const ru = crmTopics('diagram', '--format', 'svg', '--locale', 'ru', 'standard.json');
    expect(ru.code).toBe(0);
    expect(ru.stdout).toBe(topicSvg(compiled, { locale: 'ru' }));
    const en = crmTopics('diagram', '--format', 'svg', 'standard.json');
    expect(en.stdout).toBe(topicSvg(compiled, { locale: 'en' }));
    expect(en.stdout).toContain('>Positive finish</text>');
  });

  it('escapes the names of a topic file', () => {
    const result = crmTopics('diagram', '--format', 'svg', 'hostile.json');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('<img');
    expect(result.stdout).toContain('&lt;img onerror=1&gt;');
    expect(result.stdout).toContain('W&amp;W');
  });

  it('rejects an unknown locale with a usage error (exit 2)', () => {
    expect(crmTopics('diagram', '--format', 'svg', '--locale', 'de', 'standard.json').code).toBe(2);
  });
});

describe('crm-topics simulate --html', () => {
  it('writes a self-contained page with the same win rate the JSON report gives', () => {
    const result = crmTopics('simulate', '--deals', '200', '--seed', '7', '--html', 'report.html', '--locale', 'ru');
    expect(result.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const json = JSON.parse(crmTopics('simulate', '--deals', '200', '--seed', '7', '--json').stdout) as { report: { winRate: number } };
    expect(html).toMatch(/^<!doctype html>\n<html lang="ru">/);
    expect(html).toContain(`<dd data-value="win-rate">${(json.report.winRate * 100).toFixed(1)}%</dd>`);
    expect(html).toContain('Причины проигрыша');
  });

  it('exits 2 when the page cannot be written', () => {
    const result = crmTopics('simulate', '--deals', '10', '--html', 'no-such-dir/report.html');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-dir/report.html: cannot be written (ENOENT)');
  });
});

describe('crm-topics diff --html', () => {
  it('writes both versions side by side with the changed stages marked, and still prints the changes', () => {
    type Stage = { id: string; maxDuration?: string; outcomes: { to?: string }[] };
    const later = structuredClone(standardTopic) as unknown as { version: number; stages: Stage[] };
    later.version = 2;
    (later.stages[2] as Stage).maxDuration = 'P9D';
    ((later.stages[0] as Stage).outcomes[0] as { to?: string }).to = 'offer';
    later.stages.splice(1, 1);
    writeFileSync(join(dir, 'later.json'), JSON.stringify(later));
    const result = crmTopics('diff', '--html', 'diff.html', '--locale', 'ru', 'standard.json', 'later.json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('stage-removed');
    const page = readFileSync(join(dir, 'diff.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="ru">');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(page.match(/<svg /g)).toHaveLength(2);
    // The removed stage is red in the old picture; the stage whose limit changed is yellow in both.
    expect(page).toMatch(/data-key="stage:acquaintance">\s*<rect[^>]*fill="#ffe3e3"/);
    expect(page.match(/data-key="stage:offer">\s*<rect[^>]*fill="#fff3bf"/g)).toHaveLength(2);
    expect(page).toContain('Стадии добавлены');
  });

  it('exits 2 when the page cannot be written', () => {
    const result = crmTopics('diff', '--html', join(dir, 'missing', 'diff.html'), 'standard.json', 'standard.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot be written');
  });
});
