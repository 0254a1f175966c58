import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { topicJsonSchema } from '../definition/json-schema.js';
import { diagramCommand } from './diagram.js';
import { diffCommand } from './diff.js';
import { simulateCommand, type SimulateCommandOptions } from './simulate.js';
import { UsageError, type CliIo } from './io.js';
import { terminalSafe } from './terminal-text.js';
import { validateCommand } from './validate.js';

declare const __VERSION__: string | undefined;

/** The package version: set by the build, read from package.json when run from source. */
function version(): string {
  if (typeof __VERSION__ === 'string') return __VERSION__;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * Runs the `crm-topics` command line with the given arguments (without the
 * node and script paths) and returns the exit code: 0 success, 1 a topic
 * problem, 2 a usage problem. Never throws and never calls `process.exit`.
 */
export async function run(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('crm-topics')
    .description('Relationship topics (sales pipelines): validate, draw and simulate them.')
    .version(version(), '-v, --version')
    .exitOverride()
    // commander's error lines quote the arguments: escaped like every other text from input.
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(terminalSafe(text, { keepLines: true })) })
    .showSuggestionAfterError();

  program
    .command('validate')
    .description('Validate topic files: schema and lint. Exit 1 when any has an error.')
    .argument('<files...>', 'topic JSON files or globs, e.g. "topics/*.json"')
    .option('--json', 'print the result as JSON')
    .option('--strict', 'fail on warnings too')
    .addOption(new Option('--locale <locale>', 'language of the messages').choices(['en', 'ru']).default('en'))
    .action(async (files: string[], options: { json?: boolean; strict?: boolean; locale: 'en' | 'ru' }) => {
      exitCode = await validateCommand(files, options, io);
    });

  program
    .command('diagram')
    .description('Print a sales topic as a Mermaid or Graphviz (DOT) diagram.')
    .argument('<file>', 'topic JSON file')
    .addOption(new Option('--format <format>', 'diagram language').choices(['mermaid', 'dot']).default('mermaid'))
    .action((file: string, options: { format: 'mermaid' | 'dot' }) => {
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
    .action((file: string | undefined, options: SimulateCommandOptions) => {
      exitCode = simulateCommand(file, options, io);
    });

  program
    .command('diff')
    .description('List the changes between two versions of a topic.')
    .argument('<old>', 'the earlier topic JSON file')
    .argument('<new>', 'the later topic JSON file')
    .option('--json', 'print the changes as JSON')
    .action((before: string, after: string, options: { json?: boolean }) => {
      exitCode = diffCommand(before, after, options, io);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of topic files.')
    .action(() => {
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
