/*
 * Fails when an export of the public API has no TSDoc summary, or when an
 * exported function, class or constant has no `@example`. Reads the JSON that
 * `typedoc --json` writes (run by `npm run docs`). Types and interfaces need
 * a summary, not an example.
 */
import { readFileSync } from 'node:fs';

interface Reflection {
  readonly name: string;
  readonly kind: number;
  readonly comment?: { readonly summary?: readonly { readonly text: string }[]; readonly blockTags?: readonly { readonly tag: string }[] };
  readonly signatures?: readonly Reflection[];
  readonly children?: readonly Reflection[];
}

// typedoc's ReflectionKind values.
const MODULE = 2;
const VARIABLE = 32;
const FUNCTION = 64;
const CLASS = 128;

const documented = (reflection: Reflection): boolean =>
  [reflection, ...(reflection.signatures ?? [])].some((part) => (part.comment?.summary ?? []).some((piece) => piece.text.trim() !== ''));
const hasExample = (reflection: Reflection): boolean =>
  [reflection, ...(reflection.signatures ?? [])].some((part) => part.comment?.blockTags?.some((tag) => tag.tag === '@example') ?? false);

const project = JSON.parse(readFileSync(process.argv[2] ?? 'docs/api.json', 'utf8')) as Reflection;
const modules = project.children?.some((child) => child.kind === MODULE) ? (project.children ?? []) : [project];
const exports = modules.flatMap((module) => (module.children ?? []).map((child) => ({ module: module.name, child })));
const undocumented = exports.filter(({ child }) => !documented(child)).map(({ module, child }) => `${module}: ${child.name}`);
const noExample = exports
  .filter(({ child }) => [VARIABLE, FUNCTION, CLASS].includes(child.kind) && !hasExample(child))
  .map(({ module, child }) => `${module}: ${child.name}`);
if (undocumented.length > 0) console.error(`These exports have no TSDoc summary:\n  ${undocumented.join('\n  ')}`);
if (noExample.length > 0) console.error(`These exports have no @example in their TSDoc:\n  ${noExample.join('\n  ')}`);
if (undocumented.length + noExample.length > 0) process.exitCode = 1;
else console.log(`All ${exports.length} exports are documented; every function, class and constant has an @example.`);
