import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { compileTopic, simulate, standardTopic, type DealLogEntry } from '../../src/index.js';

let dir = '';
let logs: (readonly DealLogEntry[])[] = [];

/** Every deal's entries, interleaved round-robin, as a store that logs several deals at once writes them. */
function interleaved(dealLogs: readonly (readonly DealLogEntry[])[]): DealLogEntry[] {
  const lines: DealLogEntry[] = [];
  const longest = Math.max(...dealLogs.map((log) => log.length));
  for (let index = 0; index < longest; index += 1) for (const log of dealLogs) if (index < log.length) lines.push(log[index] as DealLogEntry);
  return lines;
}

const jsonl = (entries: readonly unknown[]) => entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
const write = (name: string, content: string | Buffer) => writeFileSync(join(dir, name), content);

async function crmTopics(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), color: false, interactive: false, cwd: dir };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-topics-replay-'));
  const compiled = compileTopic(standardTopic);
  logs = simulate(compiled, { deals: 40, seed: 7, keepDeals: true }).logs;
  write('standard.json', JSON.stringify(standardTopic));
  write('log.jsonl', jsonl(interleaved(logs)));
  // Version 2 drops the "revise" outcome of the offer stage: deals that took it no longer replay.
  const v2 = structuredClone(standardTopic) as { version: number; stages: { id: string; outcomes?: { id: string }[] }[] };
  v2.version = 2;
  const offer = v2.stages.find((stage) => stage.id === 'offer');
  if (offer?.outcomes === undefined) throw new Error('the standard topic has an offer stage with outcomes');
  offer.outcomes = offer.outcomes.filter((outcome) => outcome.id !== 'revise');
  write('standard-v2.json', JSON.stringify(v2));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crm-topics replay', () => {
  it('replays the interleaved logs of simulated deals: exit 0 and a count of every entry and deal', async () => {
    const { code, stdout } = await crmTopics('replay', 'log.jsonl', 'standard.json');
    const entries = logs.reduce((sum, log) => sum + log.length, 0);
    expect(code).toBe(0);
    expect(stdout).toContain(`${entries} entries, ${logs.length} deals: ${logs.length} replayed, 0 failed; every deal replays`);
  });

  it('checks a new version against stored logs: the deals that used a removed outcome fail, the rest replay', async () => {
    const usedRevise = logs.filter((log) => log.some((entry) => entry.type === 'recordOutcome' && entry.event.outcomeId === 'revise'));
    expect(usedRevise.length).toBeGreaterThan(0);
    const { code, stdout } = await crmTopics('replay', 'log.jsonl', 'standard-v2.json', '--json');
    const result = JSON.parse(stdout) as { deals: number; replayed: number; failed: number; skipped: number; failures: { dealId: string; code: string }[] };
    expect(code).toBe(1);
    expect(result.failed).toBe(usedRevise.length);
    expect(result.replayed).toBe(logs.length - usedRevise.length);
    expect(new Set(result.failures.map((failure) => failure.dealId))).toEqual(new Set(usedRevise.map((log) => log[0]?.dealId)));
    expect(result.failures.every((failure) => failure.code === 'unknown_outcome')).toBe(true);
  });

  it('given both versions, replays each entry on the version it names', async () => {
    expect((await crmTopics('replay', 'log.jsonl', 'standard.json', 'standard-v2.json')).code).toBe(0);
  });

  it('names the line, the deal, the path and the code of a tampered entry, skips that deal’s later entries and says it in Russian', async () => {
    const log = logs.find((candidate) => candidate.length >= 3) as readonly DealLogEntry[];
    const tampered = log.map((entry, index) => (index === 1 ? { ...entry, to: entry.to === 'new' ? 'offer' : 'new' } : entry));
    write('tampered.jsonl', jsonl(tampered));
    const { code, stdout } = await crmTopics('replay', 'tampered.jsonl', 'standard.json', '--locale', 'ru');
    expect(code).toBe(1);
    expect(stdout).toContain(`tampered.jsonl:2: сделка "${log[0]?.dealId}" to:`);
    expect(stdout).toContain('[replay_mismatch]');
    expect(stdout).toContain(`пропущено последующих записей сделок с ошибками: ${log.length - 2}; 1 ошибка`);
    expect(stdout).toMatch(/воспроизведено 0, с ошибкой 1/);
    expect(stdout).not.toMatch(/ deal "|entries|replayed|failed/);
    const english = await crmTopics('replay', 'tampered.jsonl', 'standard.json');
    expect(english.stdout).toContain(`${log.length - 2} later entries of failed deals skipped; 1 failure`);
  });

  it('reports lines that are not JSON, not UTF-8 or not an entry, and goes on with the other deals', async () => {
    const good = logs[0] as readonly DealLogEntry[];
    write('mixed.jsonl', Buffer.concat([Buffer.from('{"type":\n'), Buffer.from([0xff, 0x0a]), Buffer.from('{"dealId":"x","type":"opened"}\r\n\n'), Buffer.from(jsonl(good))]));
    const { code, stdout } = await crmTopics('replay', 'mixed.jsonl', 'standard.json', '--json');
    const result = JSON.parse(stdout) as { replayed: number; failures: { line: number; code: string; dealId: string | null }[] };
    expect(code).toBe(1);
    expect(result.replayed).toBe(1);
    expect(result.failures.map(({ line, code: failed }) => [line, failed])).toEqual([
      [1, 'invalid_json'],
      [2, 'unreadable_line'],
      [3, 'invalid_log_entry'],
    ]);
  });

  it('exits 2 for a missing log, a topic given twice or versions of different topics, and 1 for an invalid topic', async () => {
    expect(await crmTopics('replay', 'missing.jsonl', 'standard.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('missing.jsonl') });
    expect(await crmTopics('replay', 'log.jsonl', 'standard.json', 'standard.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('given twice') });
    write('other.json', JSON.stringify({ ...standardTopic, id: 'other', version: 3 }));
    expect(await crmTopics('replay', 'log.jsonl', 'standard.json', 'other.json')).toMatchObject({ code: 2, stderr: expect.stringContaining('not a version of') });
    write('invalid.json', JSON.stringify({ ...standardTopic, stages: [] }));
    expect((await crmTopics('replay', 'log.jsonl', 'invalid.json')).code).toBe(1);
    expect((await crmTopics('replay', 'log.jsonl')).code).toBe(2);
  });

  it('reads the log from standard input with -', () => {
    const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
    const result = spawnSync(process.execPath, [cli, 'replay', '-', 'standard.json'], { cwd: dir, input: jsonl(logs[0] as readonly DealLogEntry[]), encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(' entries, 1 deal: 1 replayed, 0 failed');
  });
});
