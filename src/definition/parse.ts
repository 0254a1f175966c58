import type { z } from 'zod';
import ru from 'zod/v4/locales/ru.js';
import { formatPath, issueValue, TopicValidationError, type Locale, type TopicIssue } from './issue.js';
import { lintTopic } from './lint.js';
import { message } from './messages.js';
import { topicSchema, type TopicDefinition } from './schema.js';

/** Options of {@link parseTopic} and {@link safeParseTopic}. */
export interface ParseOptions {
  /** The language of the messages: English (default) or Russian. */
  readonly locale?: Locale;
  /** Whether lint errors make the topic invalid (default `true`). Lint warnings never do. */
  readonly lint?: boolean;
}

/** The result of {@link safeParseTopic}: the topic with its warnings, or every issue found. */
export type ParseResult =
  | { readonly ok: true; readonly topic: TopicDefinition; readonly warnings: readonly TopicIssue[] }
  | { readonly ok: false; readonly issues: readonly TopicIssue[] };

const russian = ru().localeError;

/**
 * Validates a topic definition without throwing: the shape first (schema),
 * then, when the shape is right, the meaning (`lintTopic`). The input is never
 * modified; the returned topic is a new object with defaults filled in.
 *
 * @example
 * const result = safeParseTopic(JSON.parse(text), { locale: 'ru' });
 * if (!result.ok) for (const issue of result.issues) console.log(issue.path, issue.message);
 */
export function safeParseTopic(input: unknown, options: ParseOptions = {}): ParseResult {
  const locale = options.locale ?? 'en';
  const parsed = topicSchema.safeParse(input, { reportInput: true, ...(locale === 'ru' ? { error: russian } : {}) });
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, [], locale) };
  const findings = lintTopic(parsed.data, { locale });
  const errors = findings.filter((issue) => issue.severity === 'error');
  if (errors.length > 0 && options.lint !== false) return { ok: false, issues: findings };
  return { ok: true, topic: parsed.data, warnings: findings.filter((issue) => issue.severity === 'warning' || options.lint === false) };
}

/**
 * Validates a topic definition and returns it with defaults filled in, or
 * throws a {@link TopicValidationError} listing every issue.
 *
 * @example
 * const topic = parseTopic(JSON.parse(fs.readFileSync('topics/sales.json', 'utf8')));
 */
export function parseTopic(input: unknown, options: ParseOptions = {}): TopicDefinition {
  const result = safeParseTopic(input, options);
  if (!result.ok) throw new TopicValidationError(result.issues);
  return result.topic;
}

function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[], locale: Locale): TopicIssue[] {
  return issues.flatMap((issue) => fromZodIssue(issue, [...prefix, ...issue.path], locale));
}

function fromZodIssue(issue: z.core.$ZodIssue, path: PropertyKey[], locale: Locale): TopicIssue[] {
  const error = (code: string, text: string, value?: unknown, at: PropertyKey[] = path): TopicIssue => {
    const kept = issueValue(value);
    return { severity: 'error', code, path: formatPath(at), message: text, ...(kept === undefined ? {} : { value: kept }) };
  };
  switch (issue.code) {
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        // A discriminated union whose discriminator matched nothing: the path names the discriminator.
        const value = valueAt(issue.input, path.at(-1));
        if (path.length === 1 && path[0] === 'kind') return [error('invalid_kind', message('invalid_kind', locale) ?? issue.message, value)];
        // zod's own text is English-only ("Invalid discriminator value") or, in Russian, names no options.
        const options = 'options' in issue && issue.options !== undefined ? issue.options.map((option) => JSON.stringify(option)).join(' | ') : undefined;
        if (options === undefined) return [error('invalid_value', issue.message, value)];
        if (value === undefined) return [error('required', message('required', locale, { options }) ?? issue.message)];
        return [error('invalid_value', message('invalid_value', locale, { options }) ?? issue.message, value)];
      }
      // Report the branch that came closest: the one with the fewest issues.
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return fromZodIssues(closest, path, locale);
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => error('unknown_key', message('unknown_key', locale, { key }) ?? issue.message, undefined, [...path, key]));
    case 'invalid_type':
      if (issue.input === undefined) {
        return [error('required', message('required', locale, { expected: issue.expected }) ?? issue.message)];
      }
      return [error(issue.code, issue.message, issue.input)];
    case 'invalid_value':
      // zod reports a missing enum property as a wrong value; a missing property is `required` everywhere else.
      if (issue.input === undefined) {
        const options = issue.values.map((option) => JSON.stringify(option)).join(' | ');
        return [error('required', message('required', locale, { options }) ?? issue.message)];
      }
      return [error(issue.code, issue.message, issue.input)];
    default: {
      const custom = (issue as { params?: { code?: unknown } }).params?.code;
      if (typeof custom === 'string') return [error(custom, message(custom, locale) ?? issue.message, issue.input)];
      return [error(issue.code, issue.message, issue.input)];
    }
  }
}

function valueAt(input: unknown, key: PropertyKey | undefined): unknown {
  if (typeof input !== 'object' || input === null || key === undefined) return undefined;
  return Object.hasOwn(input, key) ? (input as Record<PropertyKey, unknown>)[key] : undefined;
}
