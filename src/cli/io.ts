import { styleText } from 'node:util';

/** Where the command line writes, and whether it may colour its output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour only for people at a terminal (and never with NO_COLOR). */
  readonly color: boolean;
  /** stderr is a terminal: progress may be drawn there. */
  readonly interactive: boolean;
  readonly cwd: string;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    interactive: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}

type Style = Parameters<typeof styleText>[0];

/** A painter that colours only when the output is a terminal. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? styleText(style, text) : text);
}

/** A problem with how the command was called or with its input files: exit code 2, one line, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
