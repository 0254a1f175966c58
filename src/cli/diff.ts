import { compileTopic } from '../compile/compile.js';
import { diffTopics } from '../migrate/diff.js';
import { diffHtml } from '../picture/diff-html.js';
import { safeParseTopic } from '../definition/parse.js';
import { painter, type CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { terminalSafe } from './terminal-text.js';
import { readTopicFile } from './topic-file.js';
import { writePage } from './write-page.js';

/** The options of `crm-topics diff`. */
export interface DiffCommandOptions {
  readonly json?: boolean;
  /** Also write both versions side by side, changes marked, as a self-contained HTML page to this file. */
  readonly html?: string;
  /** The language of the HTML page. */
  readonly locale?: 'en' | 'ru';
}

/**
 * `crm-topics diff old.json new.json [--json] [--html page.html [--locale ru]]`:
 * the changes between two versions of a topic, as lines or as JSON, and
 * optionally as a page with both pictures side by side. Exit 0 whether or not anything
 * changed; 1 when a file is not a valid topic; 2 for usage errors.
 */
export function diffCommand(before: string, after: string, options: DiffCommandOptions, io: CliIo): number {
  const topics = [before, after].map((file) => {
    const { value, issues } = readTopicFile(io.cwd, file);
    return { file, duplicates: issues.length, result: safeParseTopic(value) };
  });
  for (const { file, duplicates, result } of topics) {
    if (!result.ok || duplicates > 0) {
      const name = terminalSafe(file);
      io.stderr(`${name}: invalid topic (run "crm-topics validate ${name}" for every issue)\n`);
      return 1;
    }
  }
  const [older, newer] = topics.map(({ result }) => (result.ok ? result.topic : undefined));
  if (older === undefined || newer === undefined) throw new UsageError('unreachable: both topics were parsed');
  const changes = diffTopics(older, newer);
  if (options.html !== undefined) writePage(io, options.html, diffHtml(compileTopic(older), compileTopic(newer), changes, { locale: options.locale ?? 'en' }));
  if (options.json === true) {
    io.stdout(`${JSON.stringify({ from: { id: older.id, version: older.version }, to: { id: newer.id, version: newer.version }, changes }, null, 2)}\n`);
    return 0;
  }
  const paint = painter(io.color);
  const lines = [`${paint('bold', terminalSafe(`${older.id} v${older.version} → ${newer.id} v${newer.version}`))}: ${changes.length === 0 ? 'no changes' : `${changes.length} change${changes.length === 1 ? '' : 's'}`}`];
  for (const change of changes) lines.push(`  ${paint('cyan', change.type.padEnd(20))} ${terminalSafe(change.path)}: ${terminalSafe(change.message)}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
