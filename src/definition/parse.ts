import { TopicValidationError, type Locale, type TopicIssue } from './issue.js';
import { lintTopic } from './lint.js';
import { message } from './messages.js';
import { topicSchema, type TopicDefinition } from './schema.js';
import { fromZodIssues, zodParseOptions } from './zod-issues.js';

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
  const { locale, lint } = readParseOptions(options);
  let parsed: ReturnType<typeof topicSchema.safeParse>;
  try {
    parsed = topicSchema.safeParse(input, zodParseOptions(locale));
  } catch {
    // Only exotic input (a throwing getter or proxy) gets here; parsed JSON never does.
    return { ok: false, issues: [{ severity: 'error', code: 'unreadable_input', path: '', message: message('unreadable_input', locale) ?? '' }] };
  }
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, locale) };
  const findings = lintTopic(parsed.data, { locale });
  const errors = findings.filter((issue) => issue.severity === 'error');
  if (errors.length > 0 && lint !== false) return { ok: false, issues: findings };
  return { ok: true, topic: parsed.data, warnings: findings.filter((issue) => issue.severity === 'warning' || lint === false) };
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

/** Options read once and defensively: `null`, a non-object or a throwing getter means the defaults. */
export function readParseOptions(options: ParseOptions | null | undefined): { locale: Locale; lint: boolean | undefined } {
  try {
    const locale: unknown = options?.locale;
    const lint: unknown = options?.lint;
    return { locale: locale === 'ru' ? 'ru' : 'en', lint: typeof lint === 'boolean' ? lint : undefined };
  } catch {
    return { locale: 'en', lint: undefined };
  }
}
