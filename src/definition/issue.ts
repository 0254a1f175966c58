/** How serious a finding about a topic is: errors make the topic unusable, warnings do not. */
export type Severity = 'error' | 'warning';

/** The languages messages are written in. */
export type Locale = 'en' | 'ru';

/**
 * One finding about a topic definition: from the schema (shape) or the linter
 * (meaning). Plain data, safe to serialise.
 *
 * @example
 * const issue: TopicIssue = {
 *   severity: 'error',
 *   code: 'unknown_stage',
 *   path: 'stages[0].outcomes[1].to',
 *   rule: 'S9',
 *   message: 'Outcome "interested" moves to stage "offer", which the topic does not define.',
 *   value: 'offer',
 * };
 */
export interface TopicIssue {
  readonly severity: Severity;
  /** A stable, machine-readable code such as `invalid_duration` or `unknown_stage`. */
  readonly code: string;
  /** Where the problem is, e.g. `stages[2].outcomes[0].to`; empty for the topic as a whole. */
  readonly path: string;
  /** A sentence for people: what is wrong and what was expected. */
  readonly message: string;
  /** The rule of the source documents (`S9`) or peer practice the finding enforces. */
  readonly rule?: string;
  /** The offending value, when it is a short primitive. */
  readonly value?: string | number | boolean | null;
}

/**
 * Thrown by `parseTopic` when a topic has errors; carries every issue found.
 *
 * @example
 * try {
 *   parseTopic({ kind: 'sales' });
 * } catch (error) {
 *   if (error instanceof TopicValidationError) console.log(error.issues.map((i) => i.path));
 * }
 */
export class TopicValidationError extends Error {
  override readonly name = 'TopicValidationError';
  readonly issues: readonly TopicIssue[];

  constructor(issues: readonly TopicIssue[]) {
    const lines = issues.slice(0, 10).map((issue) => `  ${issue.path || '(topic)'}: ${issue.message} [${issue.code}]`);
    const more = issues.length > 10 ? [`  … and ${issues.length - 10} more`] : [];
    super(['Invalid topic definition:', ...lines, ...more].join('\n'));
    this.issues = issues;
  }
}

/** A key written with a dot: an identifier in any script (`stages`, `доставка`), as JavaScript would read it. */
const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$]*$/u;

/**
 * Renders a path of keys and indexes the way a developer writes it in code.
 *
 * @example
 * formatPath(['stages', 2, 'outcomes', 0, 'to']); // 'stages[2].outcomes[0].to'
 * formatPath(['fields', 'доставка']); // 'fields.доставка'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what PostgreSQL refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** The text with unpaired surrogates and U+0000 replaced by U+FFFD, so that PostgreSQL `jsonb` takes it. */
function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** Keeps a value for an issue only when it is a short primitive (non-finite numbers as text). */
export function issueValue(value: unknown): TopicIssue['value'] | undefined {
  // Kept storable whatever the input held: a lone surrogate or U+0000 (the very thing an issue may be about) reads as U+FFFD.
  if (typeof value === 'string') return storable(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  // NaN and ±Infinity are kept as text: JSON would turn them into null, which reads as a null input.
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean' || value === null) return value;
  return undefined;
}
