import type * as z from 'zod';
import { fromZodIssues, zodParseOptions } from '../definition/zod-issues.js';
import { formatPath } from '../definition/issue.js';
import { plainCopy } from '../util/plain-copy.js';
import { readableError } from '../util/readable-error.js';

export { readableError };

/**
 * Why an event or a new deal was rejected. Plain data: a stable `code`, the
 * `rule` it enforces (an S-number of the source documents, or the peer
 * practice), a sentence for people, and where relevant the `path` of the
 * offending part of the event.
 *
 * @example
 * const result = applyEvent(compiled, deal, event);
 * if (!result.ok && result.error.code === 'planning_required') showPlanningDialog();
 */
export interface DealError {
  readonly code: DealErrorCode;
  readonly message: string;
  readonly rule?: string;
  readonly path?: string;
}

/** Every code a rejection may carry. */
export type DealErrorCode = keyof typeof catalogue;

type Params = Readonly<Record<string, string | number>>;

const catalogue = {
  invalid_event: { rule: 'input', text: (p: Params) => `The event is malformed at ${p.path}: ${p.detail}` },
  invalid_deal: { rule: 'input', text: (p: Params) => `The deal is malformed at ${p.path}: ${p.detail}` },
  invalid_input: { rule: 'input', text: (p: Params) => `The new deal is malformed at ${p.path}: ${p.detail}` },
  invalid_topic_event: { rule: 'input', text: (p: Params) => `The stored audit or service event is malformed at ${p.path}: ${p.detail}` },
  unreadable_input: { rule: 'input', text: (p: Params) => `The deal or the event could not be read (${p.detail}): pass plain data, such as parsed JSON.` },
  invalid_topic: { rule: 'input', text: () => 'Expected a topic returned by compileTopic.' },
  topic_mismatch: { rule: 'versioning', text: (p: Params) => `The deal belongs to topic ${p.deal}, not ${p.topic}.` },
  unknown_stage: { rule: 'S7', text: (p: Params) => `Stage "${p.id}" does not exist in this topic.` },
  deadline_mismatch: { rule: 'S6', text: (p: Params) => `The deal's ${p.field} is ${p.actual}, but its topic implies ${p.expected}: the stored deal was changed outside this library.` },
  stale_revision: { rule: 'compare-and-set', text: (p: Params) => `The deal is at revision ${p.actual}, not ${p.expected}: reload it and try again.` },
  event_before_open: { rule: 'time', text: (p: Params) => `The event time ${p.at} is before the deal was opened (${p.openedAt}).` },
  event_out_of_order: { rule: 'time', text: (p: Params) => `The event time ${p.at} is before the deal's last change (${p.last}).` },
  deal_closed: { rule: 'S34', text: (p: Params) => `The deal is closed: "${p.type}" is not allowed after close.` },
  deal_finished: { rule: 'S12', text: (p: Params) => `The deal is already finished: "${p.type}" needs an open deal.` },
  unknown_outcome: { rule: 'S8', text: (p: Params) => `Outcome "${p.id}" is not offered in stage "${p.stage}".` },
  kind_required: { rule: 'S27', text: (p: Params) => `Outcome "${p.id}" needs an outcome kind (a reason).` },
  kind_not_allowed: { rule: 'S27', text: (p: Params) => `Outcome kind "${p.kind}" does not fit outcome "${p.id}".` },
  comment_required: { rule: 'S27', text: (p: Params) => `A comment is required for ${p.what}.` },
  planning_required: {
    rule: 'S33',
    text: () => 'Planning is mandatory: plan the next call or meeting (after this moment) before recording the outcome.',
  },
  required_fields_missing: { rule: 'required fields', text: (p: Params) => `Stage "${p.stage}" requires the fields: ${p.fields}.` },
  unknown_field: { rule: 'S29', text: (p: Params) => `Field "${p.id}" is not defined by the topic.` },
  invalid_field_value: { rule: 'S29', text: (p: Params) => `Field "${p.id}" expects ${p.expected}.` },
  unknown_activity: { rule: 'S36', text: (p: Params) => `No planned activity "${p.id}" on this deal.` },
  duplicate_activity: { rule: 'S36', text: (p: Params) => `An activity "${p.id}" is already planned on this deal.` },
  not_activity_author: {
    rule: 'S4',
    text: (p: Params) => `Only the author (${p.author}) may close planned contact "${p.id}": the topic forbids closing other employees' contacts.`,
  },
  activity_in_past: { rule: 'S33', text: (p: Params) => `The activity is planned for ${p.plannedFor}, before the event time ${p.at}.` },
  deadline_change_pending: { rule: 'S25', text: () => 'A deadline change is already waiting for approval.' },
  no_pending_deadline_change: { rule: 'S25', text: () => 'There is no deadline change waiting for approval.' },
  not_an_approver: { rule: 'S25', text: (p: Params) => `User ${p.actor} is not an approver of deadline changes for this topic.` },
  invalid_deadline: { rule: 'S25', text: (p: Params) => `The new deadline ${p.dueAt} must be after the event time ${p.at}.` },
  unexpected_business_event: { rule: 'S34', text: (p: Params) => `Business event "${p.name}" does not close deals of this topic${p.detail}.` },
  not_permitted: { rule: 'S2', text: (p: Params) => `User ${p.actor} may not ${p.what}: it needs the administrator, the director role or full Clients/CRM access.` },
  concurrent_deal: { rule: 'S32', text: (p: Params) => `Client ${p.client} already has an open deal on this topic (${p.deal}), and the topic forbids concurrent deals.` },
  not_a_sales_topic: { rule: 'S23', text: (p: Params) => `Topic "${p.id}" is a ${p.kind} topic: deals exist on sales topics only (S36–S38).` },
  not_an_event_topic: { rule: 'S23', text: (p: Params) => `Topic "${p.id}" is a sales topic: plan events on deals there, or use an audit or service topic.` },
  answer_required: { rule: 'S37', text: () => 'An audit event is recorded with an answer: "yes" or "no".' },
  event_before_planned: { rule: 'time', text: (p: Params) => `The time ${p.at} is before the event was planned (${p.plannedAt}).` },
  event_not_planned: { rule: 'S37', text: (p: Params) => `The event is ${p.status}: only a planned event can be recorded or cancelled.` },
} satisfies Record<string, { rule: string; text: (p: Params) => string }>;

/**
 * Builds a {@link DealError} of a code with its rule and message; `rule`
 * overrides the code's usual rule where another one applies (audits: S37).
 *
 * @example
 * dealError('unknown_outcome', { id: 'won', stage: 'new' }, 'outcomeId');
 */
export function dealError(code: DealErrorCode, params: Params = {}, path?: string, rule?: string): DealError {
  const entry = catalogue[code];
  return { code, rule: rule ?? entry.rule, message: entry.text(params), ...(path === undefined ? {} : { path }) };
}

type InputCode = 'invalid_event' | 'invalid_input' | 'invalid_topic_event';
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
  let parsed: ReturnType<typeof schema.safeParse>;
  try {
    const copy = copyInput(input, code);
    if (!copy.ok) return copy;
    parsed = schema.safeParse(copy.data, zodParseOptions('en'));
  } catch (error) {
    // Only exotic input (a throwing getter or proxy) gets here; plain data never does.
    return { ok: false, error: dealError('unreadable_input', { detail: readableError(error) }) };
  }
  if (parsed.success) return { ok: true, data: parsed.data };
  const first = fromZodIssues(parsed.error.issues, 'en')[0];
  const path = first?.path ?? '';
  return { ok: false, error: dealError(code, { path: path || '(root)', detail: first?.message ?? 'malformed' }, path) };
}
