import type * as z from 'zod';
import { fromZodIssues, zodParseOptions } from '../definition/zod-issues.js';
import { formatPath, type Locale } from '../definition/issue.js';
import { renderDealMessage, ruleOf, type DealErrorCode, type ErrorParams } from './error-catalogue.js';

export type { DealErrorCode };
import { plainCopy } from '../util/plain-copy.js';
import { readableError } from '../util/readable-error.js';

export { readableError };

/**
 * Why an event or a new deal was rejected. Plain data: a stable `code`, the
 * `rule` it enforces (an S-number of the source documents, or the peer
 * practice), its `params`, a sentence for people in English
 * ({@link formatDealError} renders it in Russian too), and where relevant
 * the `path` of the offending part of the event.
 *
 * @example
 * const result = applyEvent(compiled, deal, event);
 * if (!result.ok && result.error.code === 'planning_required') showPlanningDialog();
 */
export interface DealError {
  readonly code: DealErrorCode;
  readonly message: string;
  readonly params: ErrorParams;
  readonly rule?: string;
  readonly path?: string;
}

/**
 * Builds a {@link DealError} of a code with its rule and message; `rule`
 * overrides the code's usual rule where another one applies (audits: S37).
 *
 * @example
 * dealError('unknown_outcome', { id: 'won', stage: 'new' }, 'outcomeId');
 */
export function dealError(code: DealErrorCode, params: ErrorParams = {}, path?: string, rule?: string): DealError {
  return { code, rule: rule ?? ruleOf(code), message: renderDealMessage(code, params, 'en'), params, ...(path === undefined ? {} : { path }) };
}

/**
 * The message of a rejection in English or Russian, from its code and
 * params: what a Russian CRM screen shows for any error `applyEvent`,
 * `openDeal`, `parseDeal` or the audit/service functions return.
 *
 * @example
 * const result = applyEvent(compiled, deal, event);
 * if (!result.ok) toast(formatDealError(result.error, 'ru')); // 'Для стадии «shipment» нужно заполнить поля: carrier.'
 */
export function formatDealError(error: DealError, locale: Locale = 'en'): string {
  return renderDealMessage(error.code, error.params, locale === 'ru' ? 'ru' : 'en');
}

type InputCode = 'invalid_event' | 'invalid_input' | 'invalid_topic_event' | 'invalid_log_entry';
type Parsed<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: DealError };

/** Longer than any list an event, a new deal or a stored audit event may hold. */
const MAX_INPUT_ITEMS = 1_000;

/**
 * The caller's input read once into plain data (see {@link plainCopy}), or
 * a {@link DealError} of the given code naming where it is not plain data.
 * Throws what the input's getters or proxy traps throw.
 *
 * @example
 * const copy = copyInput(event, 'invalid_event');
 * if (!copy.ok) return copy;
 */
export function copyInput(input: unknown, code: InputCode): Parsed<unknown> {
  const copy = plainCopy(input, MAX_INPUT_ITEMS);
  if (copy.ok) return { ok: true, data: copy.value };
  const path = formatPath(copy.path);
  return { ok: false, error: dealError(code, { path: path || '(root)', detail: `expected plain data such as parsed JSON, not ${copy.found}` }, path) };
}

/**
 * Parses input with a zod schema after reading it once into plain data
 * ({@link copyInput}); malformed input becomes a {@link DealError} of the
 * given code with the path and message of the first problem; input whose
 * getters or proxy traps throw becomes `unreadable_input`.
 *
 * @example
 * const parsed = parseInput(dealEventSchema, event, 'invalid_event');
 * if (!parsed.ok) return parsed;
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, code: InputCode): Parsed<T> {
  let data: unknown;
  let parsed: ReturnType<typeof schema.safeParse>;
  try {
    const copy = copyInput(input, code);
    if (!copy.ok) return copy;
    data = copy.data;
    parsed = schema.safeParse(data, zodParseOptions('en'));
  } catch (error) {
    // Only exotic input (a throwing getter or proxy) gets here; plain data never does.
    return { ok: false, error: dealError('unreadable_input', { detail: readableError(error) }) };
  }
  if (parsed.success) return { ok: true, data: parsed.data };
  const first = fromZodIssues(parsed.error.issues, 'en')[0];
  // The same problem in Russian, for formatDealError (zod's own messages from its Russian locale); the copy is plain data.
  const russian = fromZodIssues(schema.safeParse(data, zodParseOptions('ru')).error?.issues ?? [], 'ru')[0];
  const path = first?.path ?? '';
  return { ok: false, error: dealError(code, { path: path || '(root)', detail: first?.message ?? 'malformed', detailRu: russian?.message ?? 'неверный формат' }, path) };
}
