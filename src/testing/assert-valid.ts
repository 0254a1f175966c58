import { readFileSync } from 'node:fs';
import type { Locale, TopicIssue } from '../definition/issue.js';
import { safeParseTopic } from '../definition/parse.js';
import type { TopicDefinition } from '../definition/schema.js';

/** Options of {@link assertValidTopic}. */
export interface AssertValidOptions {
  /** Fail on lint warnings too (e.g. stages marked "negotiations ongoing", S11). */
  readonly strict?: boolean;
  readonly locale?: Locale;
  /** A name for the topic in the failure message, such as its file. */
  readonly name?: string;
}

/**
 * Asserts that a topic is valid and returns it with defaults filled in. On
 * failure it throws an `Error` whose message lists every issue with its path,
 * code and rule, so a failing test says exactly what to fix.
 *
 * @example
 * import { assertValidTopic } from 'crm-topics/testing';
 * it('our sales topic is valid', () => {
 *   assertValidTopic(salesTopic, { strict: true });
 * });
 */
export function assertValidTopic(input: unknown, options: AssertValidOptions = {}): TopicDefinition {
  const result = safeParseTopic(input, { locale: options.locale ?? 'en' });
  const failures: readonly TopicIssue[] = result.ok ? (options.strict === true ? result.warnings : []) : result.issues;
  if (result.ok && failures.length === 0) return result.topic;
  const lines = failures.map((issue) => `  ${issue.severity} ${issue.path || '(topic)'}: ${issue.message} [${issue.code}${issue.rule === undefined ? '' : `, ${issue.rule}`}]`);
  throw new Error(`${options.name ?? 'The topic'} is not valid: ${failures.length} issue${failures.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
}

/**
 * Reads a topic JSON file and asserts that it is valid (see {@link assertValidTopic}).
 *
 * @example
 * import { assertValidTopicFile } from 'crm-topics/testing';
 * for (const file of globSync('topics/*.json')) it(file, () => assertValidTopicFile(file));
 */
export function assertValidTopicFile(path: string, options: Omit<AssertValidOptions, 'name'> = {}): TopicDefinition {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return assertValidTopic(input, { ...options, name: path });
}
