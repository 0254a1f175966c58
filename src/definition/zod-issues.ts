import type * as z from 'zod';
import ru from 'zod/v4/locales/ru.js';
import { formatPath, issueValue, type Locale, type TopicIssue } from './issue.js';
import { message } from './messages.js';

const russian = ru().localeError;

/**
 * The options for a zod `safeParse` whose issues go through
 * {@link fromZodIssues}: the offending input kept (so a wrong value is not
 * reported as a missing one) and zod's own messages in the given language.
 *
 * @example
 * topicSchema.safeParse(input, zodParseOptions('ru'));
 */
export function zodParseOptions(locale: Locale): { reportInput: true; error?: ReturnType<typeof ru>['localeError'] } {
  return locale === 'ru' ? { reportInput: true, error: russian } : { reportInput: true };
}

/**
 * Turns zod's issues into this library's issues: one per problem, with a
 * path written the way a developer reads it, our codes and messages for our
 * own checks (in the given language), and for unions the closest branch only.
 *
 * @example
 * fromZodIssues(topicSchema.safeParse(input).error?.issues ?? [], 'en');
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], locale: Locale, prefix: readonly PropertyKey[] = []): TopicIssue[] {
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
      return fromZodIssues(closest, locale, path);
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
      const params = (issue as { params?: Readonly<Record<string, string | number>> }).params;
      const custom = params?.code;
      if (typeof custom === 'string') return [error(custom, message(custom, locale, params) ?? issue.message, issue.input)];
      return [error(issue.code, issue.message, issue.input)];
    }
  }
}

function valueAt(input: unknown, key: PropertyKey | undefined): unknown {
  if (typeof input !== 'object' || input === null || key === undefined) return undefined;
  return Object.hasOwn(input, key) ? (input as Record<PropertyKey, unknown>)[key] : undefined;
}
