import type { Position } from './position.js';

/** A problem with how the command was called or with its input files: exit code 2, one line, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** The message, and where in the file the problem is when it is in the text (a JSON syntax error). */
  constructor(
    message: string,
    readonly position?: Position,
  ) {
    super(message);
  }
}
