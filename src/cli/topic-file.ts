import { formatPath, issueValue, type Locale, type TopicIssue } from '../definition/issue.js';
import { message } from '../definition/messages.js';
import { formatPosition, lineIndex } from './position.js';
import { readJsonFile, type JsonFile } from './read-json.js';

/**
 * A topic file as read: the parsed value and the errors found in its text (duplicate keys).
 *
 * @example
 * const { value, issues }: TopicFile = readTopicFile(process.cwd(), 'topic.json');
 */
export interface TopicFile {
  readonly value: unknown;
  readonly issues: readonly TopicIssue[];
}

/**
 * Reads a topic file ({@link readJsonFile}) and reports each key an object
 * repeats as a `duplicate_key` error, since `JSON.parse` silently keeps only
 * the last value.
 *
 * @example
 * const { value, issues } = readTopicFile(process.cwd(), 'topic.json', 'en');
 * // issues: [{ severity: 'error', code: 'duplicate_key', path: 'stages[0].name', message: 'Duplicate key "name" at 4:7: …' }]
 */
export function readTopicFile(cwd: string, file: string, locale: Locale = 'en'): TopicFile {
  const json = readJsonFile(cwd, file);
  return { value: json.value, issues: duplicateKeyIssues(json, locale) };
}

/**
 * The `duplicate_key` errors of a JSON file, each with its JSON path and,
 * in the message, the line:column of the repeat and of the value it hides.
 *
 * @example
 * duplicateKeyIssues(readJsonFile(process.cwd(), 'weights.json'), 'ru');
 */
export function duplicateKeyIssues(json: JsonFile, locale: Locale): TopicIssue[] {
  if (json.duplicateKeys.length === 0) return [];
  const positionOf = lineIndex(json.text);
  return json.duplicateKeys.map(({ path, offset, previousOffset }) => {
    const key = String(path.at(-1));
    const params = { key, at: formatPosition(positionOf(offset)), previous: formatPosition(positionOf(previousOffset)) };
    const value = issueValue(key);
    return { severity: 'error', code: 'duplicate_key', path: formatPath(path), message: message('duplicate_key', locale, params) ?? `Duplicate key "${key}"`, ...(value === undefined ? {} : { value }) };
  });
}
