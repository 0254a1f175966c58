#!/usr/bin/env node
import { packageVersion } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // The version alone needs neither commander nor any command: answered before they load.
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const [{ processIo }, { run }] = await Promise.all([import('./io.js'), import('./main.js')]);
  process.exitCode = await run(args, processIo());
}
