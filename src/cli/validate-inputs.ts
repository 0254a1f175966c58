import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/**
 * What one argument of `crm-topics validate` names: a file to read (`-` is
 * standard input), or a problem when it names none (a glob that matches
 * nothing, a directory without JSON files).
 *
 * @example
 * const inputs: ValidateInput[] = [{ file: 'topics/a.json' }, { file: '-' }, { file: 'drafts', problem: 'drafts: no .json files in this directory' }];
 */
export interface ValidateInput {
  readonly file: string;
  readonly problem?: string;
}

/**
 * Expands the arguments of `crm-topics validate`, in order and without
 * repeats: a glob to its matching files (sorted), a directory to the
 * `*.json` files under it (sorted; hidden folders and `node_modules` left
 * out), `-` to standard input, anything else to itself (a missing file is
 * the reader's to report).
 *
 * @example
 * await validateInputs(['topics', 'extra/*.json', '-'], process.cwd());
 * // [{ file: 'topics/a.json' }, { file: 'topics/b.json' }, { file: 'extra/c.json' }, { file: '-' }]
 */
export async function validateInputs(args: readonly string[], cwd: string): Promise<ValidateInput[]> {
  const inputs: ValidateInput[] = [];
  const seen = new Set<string>();
  const add = (input: ValidateInput): void => {
    if (input.problem === undefined && seen.has(input.file)) return;
    seen.add(input.file);
    inputs.push(input);
  };
  for (const arg of args) {
    if (arg === '-') add({ file: '-' });
    else if (isDirectory(resolve(cwd, arg))) {
      const base = arg.replace(/[\\/]+$/, '');
      const matches = (await glob('**/*.json', { cwd: resolve(cwd, arg), onlyFiles: true, ignore: ['**/node_modules/**'] })).sort();
      if (matches.length === 0) add({ file: arg, problem: `${arg}: no .json files in this directory` });
      for (const match of matches) add({ file: `${base}/${match}` });
    } else if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { cwd, onlyFiles: true })).sort();
      if (matches.length === 0) add({ file: arg, problem: `${arg}: no files match` });
      for (const match of matches) add({ file: match });
    } else add({ file: arg });
  }
  return inputs;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
