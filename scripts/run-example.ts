/*
 * `npm run example [name] [args…]`: runs one of the scripts in examples/.
 *
 * Without a name it lists the examples with the first sentence of each
 * one's header comment. `name` may be given as `walk-new-clients`,
 * `walk-new-clients.ts` or `examples/walk-new-clients.ts`. A `.ts` script
 * runs under tsx (which maps `crm-topics` to src/ through tsconfig paths, so
 * no build is needed); the vitest example (`*.test.ts`) runs under vitest
 * with examples/vitest.config.ts and needs `npm run build` first, because
 * vitest resolves `crm-topics` to dist/. The exit code is the example's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const examplesDir = join(root, 'examples');

interface Example {
  readonly name: string;
  readonly file: string;
  readonly vitest: boolean;
}

/** The runnable examples: every .ts file in examples/ but the vitest config. */
function examples(): Example[] {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.ts') && file !== 'vitest.config.ts')
    .sort()
    .map((file) => ({ name: file.replace(/(\.test)?\.ts$/, ''), file: join('examples', file), vitest: file.endsWith('.test.ts') }));
}

/** The first sentence of the file's header comment. */
function summary(example: Example): string {
  const text = readFileSync(join(root, example.file), 'utf8');
  const comment = /^\/\*\*?([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  const prose = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim();
  const sentence = /^(.*?\.)(\s|$)/.exec(prose)?.[1] ?? prose;
  return sentence.length > 110 ? `${sentence.slice(0, 109)}…` : sentence;
}

function list(all: readonly Example[]): void {
  const width = Math.max(...all.map((example) => example.name.length));
  console.log('Usage: npm run example <name> [args…]\n\nExamples:');
  for (const example of all) console.log(`  ${example.name.padEnd(width)}  ${summary(example)}`);
}

function run(example: Example, args: readonly string[]): void {
  const command = example.vitest
    ? [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'examples/vitest.config.ts', ...args]
    : ['--import', 'tsx', example.file, ...args];
  if (example.vitest && !existsSync(join(root, 'dist/index.js'))) {
    console.error(`${example.name} imports the built package: run \`npm run build\` first.`);
    process.exitCode = 1;
    return;
  }
  const child = spawn(process.execPath, command, { cwd: root, stdio: 'inherit' });
  child.on('error', (error) => {
    console.error(`Could not start ${example.file}: ${error.message}`);
    process.exitCode = 1;
  });
  child.on('close', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128 + signalNumber(signal));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : signal === 'SIGKILL' ? 9 : 1;
}

const all = examples();
const [requested, ...args] = process.argv.slice(2);
if (requested === undefined || requested === '--help' || requested === '-h') {
  list(all);
} else {
  const wanted = basename(requested).replace(/(\.test)?\.ts$/, '');
  const example = all.find((candidate) => candidate.name === wanted);
  if (example === undefined) {
    console.error(`Unknown example "${requested}". Examples: ${all.map((candidate) => candidate.name).join(', ')}.`);
    process.exitCode = 2;
  } else {
    run(example, args);
  }
}
