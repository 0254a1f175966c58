/**
 * The message of something thrown, read without trusting it (its own
 * getters may throw): for errors from untyped callers' getters and proxies.
 *
 * @example
 * try { read(input); } catch (error) { console.log(readableError(error)); }
 */
export function readableError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unreadable';
  }
}
