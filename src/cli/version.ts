import { readFileSync } from 'node:fs';

declare const __VERSION__: string | undefined;

/**
 * The package version: set by the build (`__VERSION__`), read from
 * package.json when run from source.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  if (typeof __VERSION__ === 'string') return __VERSION__;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
