/*
 * Start-up of the built package, side by side with bare `node -e 0` in the
 * same run: `import` of crm-topics (the library's whole import graph) and
 * `crm-topics --version` (the command line before any command's module).
 * Each is spawned in turn, round after round, so that machine noise falls
 * on all three alike; the medians are compared. Needs `npx tsup` first.
 * Run alone with `npx tsx bench/startup.ts`; `npm run bench` runs it too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Median wall-clock milliseconds of bare node, of importing the package and
 * of `crm-topics --version`, over `rounds` interleaved runs of each.
 *
 * @example
 * const { node, importPackage, version } = startupTimes(15);
 * console.log(importPackage - node, version - node);
 */
export function startupTimes(rounds: number): { node: number; importPackage: number; version: number } {
  if (!existsSync(`${root}dist/cli.js`)) throw new Error('dist/ is missing: run `npx tsup` first');
  const commands = {
    node: ['-e', '0'],
    importPackage: ['--input-type=module', '-e', "import 'crm-topics'"],
    version: ['dist/cli.js', '--version'],
  };
  const times: Record<keyof typeof commands, number[]> = { node: [], importPackage: [], version: [] };
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'ignore' });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(result.status)}`);
      // The first round warms the disk cache and is left out.
      if (round > 0) times[name].push(elapsed);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { node: median(times.node), importPackage: median(times.importPackage), version: median(times.version) };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { node, importPackage, version } = startupTimes(15);
  console.log(`node -e 0: ${node.toFixed(1)} ms; import 'crm-topics': ${importPackage.toFixed(1)} ms (+${(importPackage - node).toFixed(1)}); crm-topics --version: ${version.toFixed(1)} ms (+${(version - node).toFixed(1)})`);
}
