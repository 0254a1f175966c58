import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { terminalSafe } from './terminal-text.js';
import { VALIDATE_FORMATS, type ValidateFormat } from './validate-format.js';
import type { DiffCommandOptions } from './diff.js';
import type { ReplayCommandOptions } from './replay.js';
import type { SimulateCommandOptions } from './simulate.js';
import { packageVersion } from './version.js';

/** The commands, by name: anything else in the command's place is refused before commander sees it. */
const COMMANDS = new Set(['validate', 'diagram', 'simulate', 'diff', 'replay', 'schema', 'help']);

/** The word where a command is expected, when it names no command (`crm-topics nosuch --help`, `crm-topics help nosuch`). */
function unknownCommand(args: readonly string[]): string | undefined {
  const first = args.find((arg) => !arg.startsWith('-'));
  if (first === undefined) return undefined;
  if (!COMMANDS.has(first)) return first;
  if (first !== 'help') return undefined;
  const topic = args[args.indexOf(first) + 1];
  return topic !== undefined && !topic.startsWith('-') && !COMMANDS.has(topic) ? topic : undefined;
}

/**
 * Runs the `crm-topics` command line with the given arguments (without the
 * node and script paths) and returns the exit code: 0 success, 1 a topic
 * problem, 2 a usage or file problem. Never throws and never calls
 * `process.exit`. Each command's module is imported only when that command
 * runs, so `--version` and `--help` load no topic code.
 */
export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const unknown = unknownCommand(args);
  if (unknown !== undefined) {
    io.stderr(`error: unknown command '${terminalSafe(unknown)}' (see crm-topics --help)\n`);
    return 2;
  }
  let exitCode = 0;
  const program = new Command('crm-topics')
    .description('Relationship topics (sales pipelines): validate, draw, simulate and diff them, and replay deals\' logs on them.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    // commander's error lines quote the arguments: escaped like every other text from input.
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(terminalSafe(text, { keepLines: true })) })
    .showSuggestionAfterError();

  program
    .command('validate')
    .description('Validate topic files: schema and lint. Every file is reported; the exit code is the worst: 0 valid, 1 a topic error, 2 a file that cannot be read.')
    .argument('<files...>', 'topic JSON files, directories (their *.json files), globs such as "topics/*.json", or - for standard input')
    .addOption(new Option('--format <format>', 'output format').choices(VALIDATE_FORMATS).default('stylish'))
    .option('--json', 'the same as --format json')
    .option('--strict', 'fail on warnings too (the same as --max-warnings 0)')
    .option('--max-warnings <n>', 'fail when there are more than n warnings in all', nonNegativeInteger)
    .option('--quiet', 'report errors only, not warnings')
    .addOption(new Option('--locale <locale>', 'language of the messages').choices(['en', 'ru']).default('en'))
    .action(async (files: string[], options: { format: ValidateFormat; json?: boolean; strict?: boolean; maxWarnings?: number; quiet?: boolean; locale: 'en' | 'ru' }) => {
      const { validateCommand } = await import('./validate.js');
      const { json, ...rest } = options;
      exitCode = await validateCommand(files, { ...rest, format: json === true ? 'json' : options.format }, io);
    });

  program
    .command('diagram')
    .description('Print a sales topic as a Mermaid or Graphviz (DOT) diagram, or as an SVG picture.')
    .argument('<file>', 'topic JSON file')
    .addOption(new Option('--format <format>', 'diagram language').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
    .addOption(new Option('--locale <locale>', 'language of the picture labels (svg)').choices(['en', 'ru']).default('en'))
    .action(async (file: string, options: { format: 'mermaid' | 'dot' | 'svg'; locale: 'en' | 'ru' }) => {
      const { diagramCommand } = await import('./diagram.js');
      exitCode = diagramCommand(file, options, io);
    });

  program
    .command('simulate')
    .description('Simulate deals on a topic (the standard topic by default) and print the funnel report.')
    .argument('[file]', 'topic JSON file; the built-in standard topic when left out')
    .option('--deals <n>', 'how many deals', positiveInteger, 1000)
    .option('--seed <seed>', 'random seed: the same seed gives the same report', '1')
    .option('--weights <file>', 'JSON file of outcome weights per stage: { "stage": { "outcome": 3 } }')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the report as a self-contained HTML page')
    .addOption(new Option('--locale <locale>', 'language of the HTML page').choices(['en', 'ru']).default('en'))
    .action(async (file: string | undefined, options: SimulateCommandOptions) => {
      const { simulateCommand } = await import('./simulate.js');
      exitCode = simulateCommand(file, options, io);
    });

  program
    .command('diff')
    .description('List the changes between two versions of a topic.')
    .argument('<old>', 'the earlier topic JSON file')
    .argument('<new>', 'the later topic JSON file')
    .option('--json', 'print the changes as JSON')
    .option('--html <file>', 'also write both versions side by side, changes marked, as a self-contained HTML page')
    .addOption(new Option('--locale <locale>', 'language of the HTML page').choices(['en', 'ru']).default('en'))
    .action(async (before: string, after: string, options: DiffCommandOptions) => {
      const { diffCommand } = await import('./diff.js');
      exitCode = diffCommand(before, after, options, io);
    });

  program
    .command('replay')
    .description('Replay a log of deals (JSON Lines) on a topic, or on its versions, and report every deal whose log does not replay: exit 0 all replay, 1 one does not.')
    .argument('<log>', 'log file, one entry per line (the entries openDeal, applyEvent and migrateDeal return), or - for standard input')
    .argument('<topics...>', 'the topic JSON file, or one file per version of the topic')
    .option('--json', 'print the result as JSON')
    .addOption(new Option('--locale <locale>', 'language of the messages').choices(['en', 'ru']).default('en'))
    .action(async (log: string, topics: string[], options: ReplayCommandOptions) => {
      const { replayCommand } = await import('./replay.js');
      exitCode = await replayCommand(log, topics, options, io);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of topic files.')
    .action(async () => {
      const { topicJsonSchema } = await import('../definition/json-schema.js');
      io.stdout(`${JSON.stringify(topicJsonSchema(), null, 2)}\n`);
    });

  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed any error line.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`crm-topics: ${terminalSafe(error.message)}\n`);
      return 2;
    }
    io.stderr(`crm-topics: unexpected error: ${terminalSafe(error instanceof Error ? error.message : String(error))}\n`);
    return 70;
  }
}

/** Parses a positive whole number option. */
export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

/**
 * Parses a whole number option of 0 or more (`--max-warnings`).
 *
 * @example
 * nonNegativeInteger('0'); // 0
 * nonNegativeInteger('-1'); // throws InvalidArgumentError
 */
export function nonNegativeInteger(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return value;
}
