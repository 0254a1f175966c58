import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import type { Deal } from '../deal/deal.js';
import { formatDealError, type DealError } from '../deal/errors.js';
import { continueReplay } from '../log/replay.js';
import { countOf } from '../util/plural.js';
import { compileFile } from './diagram.js';
import { painter, type CliIo } from './io.js';
import { logLines } from './log-lines.js';
import { fileErrorMessage, STDIN_NAME } from './read-file.js';
import { terminalSafe } from './terminal-text.js';
import { UsageError } from './usage-error.js';

/** The longest line a log may have: an opened entry with a topic's largest fields stays far below it. */
export const MAX_LOG_LINE_BYTES = 16 * 1024 * 1024;

/** How many failed deals the text output lists; the JSON output lists them all. */
const LISTED_FAILURES = 50;

/** The options of `crm-topics replay`. */
export interface ReplayCommandOptions {
  readonly json?: boolean;
  /** The language of the error messages. */
  readonly locale?: 'en' | 'ru';
}

/**
 * One deal whose log does not replay: where, which deal, and why.
 *
 * @example
 * const failure: ReplayFailure = { line: 12, dealId: 'd-3', code: 'replay_mismatch', path: 'to', message: '…' };
 */
export interface ReplayFailure {
  readonly line: number;
  /** `null` when the line names no deal (not JSON, or no `dealId`). */
  readonly dealId: string | null;
  readonly code: string;
  readonly path?: string;
  readonly message: string;
}

/**
 * `crm-topics replay <log> <topic...> [--json] [--locale ru]`: replays a log
 * file (JSON Lines, one entry per line, the deals' entries in any
 * interleaving but each deal's in order; `-` for standard input) on a topic,
 * or on the versions of one topic given as several files, and reports every
 * deal whose log does not replay: the check of a new topic version against
 * stored histories before it ships. The file is streamed; memory holds one
 * current deal per deal id. After a deal's first failure its later entries
 * are skipped. Exit 0 when every deal replays, 1 when one does not (or a
 * topic file is invalid), 2 for usage and file errors.
 */
export async function replayCommand(log: string, topicFiles: readonly string[], options: ReplayCommandOptions, io: CliIo): Promise<number> {
  const topics = compileVersions(topicFiles, io);
  if (topics === undefined) return 1;
  const locale = options.locale ?? 'en';
  const deals = new Map<string, Deal>();
  const failed = new Set<string>();
  const failures: ReplayFailure[] = [];
  let entries = 0;
  let skipped = 0;
  const fail = (line: number, dealId: string | null, error: DealError): void => {
    failures.push({ line, dealId, code: error.code, ...(error.path === undefined ? {} : { path: error.path }), message: formatDealError(error, locale) });
  };
  for await (const line of logLines(openLog(log, io), MAX_LOG_LINE_BYTES)) {
    entries += 1;
    if (!line.ok) {
      failures.push({ line: line.number, dealId: null, code: 'unreadable_line', message: line.reason });
      continue;
    }
    const entry = parseLine(line.text);
    if (!entry.ok) {
      failures.push({ line: line.number, dealId: null, code: 'invalid_json', message: entry.reason });
      continue;
    }
    const dealId = dealIdOf(entry.value);
    if (dealId !== null && failed.has(dealId)) {
      skipped += 1;
      continue;
    }
    const step = continueReplay(topics, dealId === null ? undefined : deals.get(dealId), entry.value);
    if (step.ok) {
      deals.set(step.deal.id, step.deal);
      continue;
    }
    fail(line.number, dealId, step.error);
    if (dealId !== null) {
      failed.add(dealId);
      deals.delete(dealId);
    }
  }
  const summary = { entries, deals: deals.size + failed.size, replayed: deals.size, failed: failed.size, skipped };
  if (options.json === true) io.stdout(`${JSON.stringify({ ...summary, failures }, null, 2)}\n`);
  else printText(io, log, summary, failures, locale);
  return failures.length === 0 ? 0 : 1;
}

/** The topic files as one compiled topic, or as the versions of one topic; `undefined` after printing why a file is invalid. */
function compileVersions(files: readonly string[], io: CliIo): CompiledSalesTopic | CompiledSalesTopic[] | undefined {
  const compiled: CompiledSalesTopic[] = [];
  for (const file of files) {
    const topic = compileFile(file, io);
    if (topic === undefined) return undefined;
    const first = compiled[0];
    if (first !== undefined && topic.id !== first.id) throw new UsageError(`${file}: topic "${topic.id}" is not a version of "${first.id}"`);
    if (compiled.some((other) => other.version === topic.version)) throw new UsageError(`${file}: version ${topic.version} of "${topic.id}" is given twice`);
    compiled.push(topic);
  }
  return compiled.length === 1 ? compiled[0] : compiled;
}

function openLog(log: string, io: CliIo): AsyncIterable<Uint8Array | string> {
  if (log === '-') {
    if (io.stdinStream === undefined) throw new UsageError(`${STDIN_NAME}: there is no standard input to read`);
    return io.stdinStream();
  }
  return guarded(createReadStream(resolve(io.cwd, log)), log);
}

/** A stream whose errors (missing file, a directory) become one-line usage errors naming the file. */
async function* guarded(stream: AsyncIterable<Uint8Array | string>, name: string): AsyncGenerator<Uint8Array | string> {
  try {
    yield* stream;
  } catch (error) {
    throw new UsageError(`${name}: ${fileErrorMessage(error)}`);
  }
}

function parseLine(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function dealIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const dealId = (value as { dealId?: unknown }).dealId;
  return typeof dealId === 'string' ? dealId : null;
}

interface Summary {
  readonly entries: number;
  readonly deals: number;
  readonly replayed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** The words of the text report, per locale; messages come from the catalogue. */
const WORDING = {
  en: {
    more: (n: number) => `… and ${n} more (--json lists them all)`,
    deal: 'deal',
    allReplay: 'every deal replays',
    failures: (n: number) => countOf('en', n, { one: 'failure', other: 'failures' }),
    skipped: (n: number) => `, ${n} later entries of failed deals skipped`,
    totals: (s: Summary) => `${countOf('en', s.entries, { one: 'entry', other: 'entries' })}, ${countOf('en', s.deals, { one: 'deal', other: 'deals' })}: ${s.replayed} replayed, ${s.failed} failed`,
  },
  ru: {
    more: (n: number) => `… и ещё ${n} (все перечисляет --json)`,
    deal: 'сделка',
    allReplay: 'все сделки воспроизводятся',
    failures: (n: number) => countOf('ru', n, { one: 'ошибка', few: 'ошибки', many: 'ошибок', other: 'ошибки' }),
    skipped: (n: number) => `, пропущено последующих записей сделок с ошибками: ${n}`,
    totals: (s: Summary) =>
      `${countOf('ru', s.entries, { one: 'запись', few: 'записи', many: 'записей', other: 'записи' })}, ${countOf('ru', s.deals, { one: 'сделка', few: 'сделки', many: 'сделок', other: 'сделки' })}: воспроизведено ${s.replayed}, с ошибкой ${s.failed}`,
  },
} as const;

function printText(io: CliIo, log: string, summary: Summary, failures: readonly ReplayFailure[], locale: 'en' | 'ru'): void {
  const words = WORDING[locale];
  const paint = painter(io.color);
  const name = terminalSafe(log === '-' ? STDIN_NAME : log);
  const lines = failures.slice(0, LISTED_FAILURES).map((failure) => {
    const deal = failure.dealId === null ? '' : ` ${words.deal} ${terminalSafe(JSON.stringify(failure.dealId))}`;
    const path = failure.path === undefined ? '' : ` ${terminalSafe(failure.path)}:`;
    return `${name}:${failure.line}:${deal}${path} ${terminalSafe(failure.message)} ${paint('dim', `[${failure.code}]`)}`;
  });
  if (failures.length > LISTED_FAILURES) lines.push(words.more(failures.length - LISTED_FAILURES));
  const verdict = failures.length === 0 ? paint('green', words.allReplay) : paint('red', words.failures(failures.length));
  const skipped = summary.skipped === 0 ? '' : words.skipped(summary.skipped);
  lines.push(`${words.totals(summary)}${skipped}; ${verdict}`);
  io.stdout(`${lines.join('\n')}\n`);
}
