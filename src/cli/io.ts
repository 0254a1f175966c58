import { styleText } from 'node:util';
import { pipeWriter } from './closed-pipe.js';
import { colorEnabled } from './color.js';
import { readStdinBounded } from './read-file.js';

/** Where the command line writes, and whether it may colour its output. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour for people at a terminal, or when FORCE_COLOR asks; never with NO_COLOR ({@link colorEnabled}). */
  readonly color: boolean;
  /** stderr is a terminal: progress may be drawn there. */
  readonly interactive: boolean;
  readonly cwd: string;
  /** Reads all of standard input (for the file name `-`); absent where there is none to read. */
  readonly readStdin?: (maxBytes: number) => Buffer;
  /** Standard input as a stream, for inputs read line by line (`replay -`); absent where there is none. */
  readonly stdinStream?: () => AsyncIterable<Uint8Array | string>;
}

/** The process's own streams; a closed pipe ends the output quietly ({@link pipeWriter}). */
export function processIo(): CliIo {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
    color: colorEnabled(process.env, process.stdout.isTTY === true),
    interactive: process.stderr.isTTY === true,
    cwd: process.cwd(),
    readStdin: (maxBytes) => readStdinBounded(maxBytes),
    stdinStream: () => process.stdin,
  };
}

type Style = Parameters<typeof styleText>[0];

/** A painter that colours only when `color` is true. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? styleText(style, text) : text);
}
