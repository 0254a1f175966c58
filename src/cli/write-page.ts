import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './io.js';
import { terminalSafe } from './terminal-text.js';
import { UsageError } from './usage-error.js';

/**
 * Writes a page the command made (`--html file`) relative to the working
 * directory; a file that cannot be written is a usage error (exit 2).
 *
 * @example
 * writePage(io, 'report.html', funnelHtml(report, topic));
 */
export function writePage(io: CliIo, file: string, content: string): void {
  try {
    writeFileSync(resolve(io.cwd, file), content);
  } catch (error) {
    throw new UsageError(`${terminalSafe(file)}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
