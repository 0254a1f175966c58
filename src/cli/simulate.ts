import { compileTopic } from '../compile/compile.js';
import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import { standardTopic } from '../definition/standard-topic.js';
import { formatFunnelReport, type FunnelReport } from '../report/funnel.js';
import { funnelHtml } from '../picture/funnel-html.js';
import { simulate, SimulationError, type WeightsMap } from '../report/simulate.js';
import { compileFile } from './diagram.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { readJsonFile } from './read-json.js';
import { writePage } from './write-page.js';
import { terminalSafe } from './terminal-text.js';
import { duplicateKeyIssues } from './topic-file.js';

/** Options of the `simulate` command. */
export interface SimulateCommandOptions {
  readonly deals: number;
  readonly seed: string;
  readonly json?: boolean;
  readonly weights?: string;
  /** Also write the report as a self-contained HTML page to this file. */
  readonly html?: string;
  /** The language of the HTML page. */
  readonly locale?: 'en' | 'ru';
}

/**
 * `crm-topics simulate [file] [--deals N] [--seed S] [--weights file] [--json] [--html page.html [--locale ru]]`:
 * simulates deals on a topic (the standard topic when no file is given) and
 * prints the funnel report. The same seed prints the same report, byte for
 * byte; a progress bar is drawn on a terminal for runs longer than a second.
 */
export function simulateCommand(file: string | undefined, options: SimulateCommandOptions, io: CliIo): number {
  const topic = file === undefined ? (compileTopic(standardTopic) as CompiledSalesTopic) : compileFile(file, io);
  if (topic === undefined) return 1;
  const weights = options.weights === undefined ? undefined : readWeights(options.weights, io);
  const progress = progressBar(io);
  try {
    const result = simulate(topic, { deals: options.deals, seed: options.seed, ...(weights === undefined ? {} : { weights }), onProgress: progress.update, keepDeals: false });
    progress.done();
    if (options.html !== undefined) writePage(io, options.html, funnelHtml(result.report, topic, { locale: options.locale ?? 'en' }));
    if (options.json === true) {
      io.stdout(`${JSON.stringify({ topic: { id: topic.id, version: topic.version }, seed: options.seed, events: result.events, rejected: result.rejected, report: result.report }, null, 2)}\n`);
    } else {
      io.stdout(`${funnelText(result.report, topic, io.color)}\nSimulated ${options.deals} deals (${result.events} events) with seed "${terminalSafe(options.seed)}".\n`);
    }
    return 0;
  } catch (error) {
    progress.done();
    if (!(error instanceof SimulationError)) throw error;
    throw new UsageError(error.issues.map((issue) => `${issue.path || '(options)'}: ${issue.message}`).join('; '));
  }
}

/** The weights file: a duplicate key is refused (exit 2), like any other problem with it. */
function readWeights(file: string, io: CliIo): WeightsMap {
  const json = readJsonFile(io.cwd, file);
  const [duplicate] = duplicateKeyIssues(json, 'en');
  if (duplicate !== undefined) throw new UsageError(`${file}: ${duplicate.path}: ${duplicate.message}`);
  return json.value as WeightsMap;
}

/**
 * The funnel report in colour when asked, unless the topic's names hold
 * characters a terminal would act on: then plain, with those escaped. The
 * report's own colours are never escaped, and the names never painted raw.
 */
function funnelText(report: FunnelReport, topic: CompiledSalesTopic, color: boolean): string {
  const plain = formatFunnelReport(report, topic, { color: false });
  const safe = terminalSafe(plain, { keepLines: true });
  return color && safe === plain ? formatFunnelReport(report, topic, { color: true }) : safe;
}

/** A one-line progress bar on stderr, shown only on a terminal and only once a run has taken a second. */
function progressBar(io: CliIo): { update: (done: number, total: number) => void; done: () => void } {
  const started = performance.now();
  let shown = false;
  return {
    update: (done, total) => {
      if (!io.interactive || performance.now() - started < 1000) return;
      shown = true;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} deals`);
    },
    done: () => {
      if (shown) io.stderr('\r\u001b[2K');
    },
  };
}
