/**
 * Whether output may be coloured, read from the environment as chalk
 * (supports-color) reads it: `FORCE_COLOR` wins — `0` or `false` turns
 * colour off, any other value (`1`, `2`, `3`, `true` or empty) on, even
 * into a pipe; otherwise `NO_COLOR` with any non-empty value turns it off
 * (no-color.org); otherwise only a terminal other than `TERM=dumb` is
 * coloured.
 *
 * @example
 * colorEnabled({ FORCE_COLOR: '1' }, false); // true: forced, even into a pipe
 * colorEnabled({ NO_COLOR: '1' }, true); // false
 * colorEnabled({ FORCE_COLOR: '0' }, true); // false
 * colorEnabled({}, true); // true: a terminal
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTerminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTerminal && env.TERM !== 'dumb';
}
