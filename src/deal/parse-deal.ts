import * as z from 'zod';
import type { CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import { idSchema } from '../definition/schema.js';
import { labelSchema, textSchema } from '../definition/text.js';
import { fromZodIssues, zodParseOptions } from '../definition/zod-issues.js';
import type { Deal } from './deal.js';
import { dealDeadline, idleDeadline, stageDeadline } from './deadlines.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { dealError, formatDealError, readableError, type DealError } from './errors.js';
import { amountSchema } from './events.js';
import { mergeFields } from './fields.js';
import { hasOwnProto } from '../util/plain-object.js';
import { MAX_TIME } from '../time/date.js';

/*
 * The full check of a deal read from storage: its shape (a zod schema of
 * the persisted `Deal`), then its consistency with the compiled topic and
 * with itself. `applyEvent` only runs the cheap `checkDeal` before each
 * event; a host that cannot trust its store (imports, hand edits, another
 * service writing the same table) runs `parseDeal` when it reads a deal.
 */

const MAX_TEXT = 10_000;
const time = z.number().int().min(0).max(MAX_TIME);
/** Deadlines lie after event times by up to the longest limit, counted in working days. */
const deadline = z.number().int().min(0).nullable();
// The text rules of src/definition/text.ts: every string storable in PostgreSQL jsonb; ids of the host's users, deals and clients also not blank, no bidi controls.
const userId = labelSchema(200);
const text = textSchema(MAX_TEXT);
const status = z.enum(['open', 'finished', 'closed']);
const result = z.enum(['positive', 'negative']);
const fieldValue = z.union([text, z.number().finite(), z.boolean()]);

/**
 * The zod schema of a deal as it is stored: exactly the keys of {@link Deal},
 * each of its type. It checks shape only; {@link parseDeal} adds the checks
 * against the topic and the deal's own consistency.
 *
 * @example
 * const shapeOnly = dealSchema.safeParse(JSON.parse(row.body));
 */
export const dealSchema = z.strictObject({
  id: userId,
  topicId: textSchema(200),
  topicVersion: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  clientId: userId,
  ownerId: userId,
  status,
  stageId: textSchema(200),
  negotiationsOngoing: z.boolean(),
  openedAt: time,
  stageEnteredAt: time,
  stageDueAt: deadline,
  dueAt: deadline,
  lastActivityAt: time,
  idleDueAt: deadline,
  amount: amountSchema,
  fields: z.record(idSchema, fieldValue),
  activities: z.array(z.strictObject({ id: idSchema, kind: z.enum(['call', 'meeting', 'task']), authorId: userId, plannedFor: time })),
  pendingDeadlineChange: z
    .strictObject({ dueAt: time, requestedBy: userId, requestedAt: time, reason: text.optional() })
    .nullable(),
  finish: z
    .strictObject({ outcomeId: idSchema, result, kindId: idSchema.optional(), comment: text.optional(), at: time, by: userId })
    .nullable(),
  agreedDueAt: time.nullable(),
  lastEventAt: time,
  revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

/**
 * Options of {@link parseDeal}.
 *
 * @example
 * parseDeal(compiled, stored, { deadlines: 'ignore' }); // deadlines kept from version 1 on purpose
 */
export interface ParseDealOptions {
  /**
   * `check` (default): the deadlines must be the ones the topic implies.
   * `ignore`: skip that check, for deals whose deadlines were deliberately
   * kept from an older version of the topic (`migrateDeal` with `deadlines: 'keep'`).
   */
  readonly deadlines?: 'check' | 'ignore';
}

/**
 * The answer of {@link parseDeal}: a checked copy of the deal, or the first problem found.
 *
 * @example
 * const result: ParseDealResult = parseDeal(compiled, stored);
 * if (result.ok) store.cache(result.deal);
 */
export type ParseDealResult = { readonly ok: true; readonly deal: Deal } | { readonly ok: false; readonly error: DealError };

/**
 * Checks a deal read from storage against its compiled topic and returns a
 * checked copy, or the first problem as a {@link DealError}: `invalid_deal`
 * for a wrong shape or an inconsistent deal (with the `path` of the part,
 * e.g. `lastEventAt` or `fields.budget`), `topic_mismatch` for a deal of
 * another topic or version, `unknown_stage` for a stage the topic lacks, and
 * `deadline_mismatch` for a deadline other than the one the topic implies:
 * `stageDueAt` from `stageEnteredAt` (S6), `idleDueAt` from `lastActivityAt`
 * while the deal is open (afterwards the idle clock has stopped somewhere in
 * between), and `dueAt` from `openedAt` (S24) unless an accepted deadline
 * change set it (S25, `agreedDueAt`). Deals migrated with recomputed deadlines pass; pass
 * `deadlines: 'ignore'` for deals that kept older ones. Never throws and
 * never modifies its input.
 *
 * What "consistent" means: `openedAt ≤ stageEnteredAt ≤ lastActivityAt ≤
 * lastEventAt`; a deal at revision 1 has changed nothing since it opened;
 * an open deal has no finish, a finished or closed one
 * has one (a finished one positive) and no pending deadline change; planned
 * activity ids are unique; field values fit the topic's fields (S29); the
 * "negotiations ongoing" mark matches the stage (S11).
 *
 * @example
 * const row = await db.deals.get('d-1');
 * const parsed = parseDeal(compiled, JSON.parse(row.body));
 * if (!parsed.ok) throw new Error(`${parsed.error.code} at ${parsed.error.path}: ${parsed.error.message}`);
 * const result = applyEvent(compiled, parsed.deal, event);
 */
export function parseDeal(topic: CompiledTopic, input: unknown, options: ParseDealOptions = {}): ParseDealResult {
  if (!isCompiledTopic(topic)) return fail(dealError('invalid_topic', {}, 'topic'));
  if (topic.kind !== 'sales') return fail(dealError('not_a_sales_topic', { id: topic.id, kind: topic.kind }));
  let parsed: ReturnType<typeof dealSchema.safeParse>;
  try {
    const hidden = protoKey(input);
    if (hidden !== undefined) return fail(malformed(hidden, 'the key "__proto__" is not a field id', 'ключ «__proto__» не может быть идентификатором поля'));
    parsed = dealSchema.safeParse(input, zodParseOptions('en'));
  } catch (error) {
    // Only exotic objects (a throwing getter or proxy) get here; stored JSON never does.
    return fail(malformed('', `could not be read (${readableError(error)})`, `не удалось прочитать (${readableError(error)})`));
  }
  if (!parsed.success) {
    const first = fromZodIssues(parsed.error.issues, 'en')[0];
    return fail(malformed(first?.path ?? '', first?.message ?? 'malformed', russianProblem(input) ?? 'неверный формат'));
  }
  const deal: Deal = parsed.data;
  if (deal.topicId !== topic.id || deal.topicVersion !== topic.version) {
    const path = deal.topicId !== topic.id ? 'topicId' : 'topicVersion';
    return fail(dealError('topic_mismatch', { deal: `${deal.topicId}@${deal.topicVersion}`, topic: `${topic.id}@${topic.version}` }, path));
  }
  const stage = topic.stages.get(deal.stageId);
  if (stage === undefined) return fail(dealError('unknown_stage', { id: deal.stageId }, 'stageId'));
  const problem = inconsistency(topic, stage, deal) ?? (ignoresDeadlines(options) ? undefined : deadlineMismatch(topic, stage, deal));
  return problem === undefined ? { ok: true, deal } : fail(problem);
}

const fail = (error: DealError): ParseDealResult => ({ ok: false, error });

/** The first problem of a malformed stored deal in Russian (zod's Russian locale), read again defensively. */
function russianProblem(input: unknown): string | undefined {
  try {
    return fromZodIssues(dealSchema.safeParse(input, zodParseOptions('ru')).error?.issues ?? [], 'ru')[0]?.message;
  } catch {
    return undefined;
  }
}

/**
 * The path of an own `__proto__` key in the deal's field records, which zod
 * would leave out of a record without a word (objects report it as unknown).
 */
function protoKey(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  return hasOwnProto((input as { fields?: unknown }).fields) ? 'fields.__proto__' : undefined;
}
/** `invalid_deal` at a path, with what is wrong in English and in Russian. */
const malformed = (path: string, detail: string, detailRu: string): DealError => dealError('invalid_deal', { path: path || '(root)', detail, detailRu }, path);

function inconsistency(topic: CompiledSalesTopic, stage: CompiledStage, deal: Deal): DealError | undefined {
  const last = deal.lastEventAt;
  if (deal.revision === 1 && last !== deal.openedAt) return malformed('lastEventAt', `a deal at revision 1 changed last when it opened (${deal.openedAt})`, `сделка в ревизии 1 последний раз менялась при открытии (${deal.openedAt})`);
  if (deal.stageEnteredAt < deal.openedAt) return malformed('stageEnteredAt', 'the stage was entered before the deal was opened', 'сделка вошла в стадию раньше, чем была открыта');
  if (deal.lastActivityAt < deal.stageEnteredAt) return malformed('lastActivityAt', 'the last activity is before the stage was entered', 'последняя активность раньше входа в стадию');
  if (deal.lastActivityAt > last) return malformed('lastActivityAt', `the last activity is after the last change (${last})`, `последняя активность позже последнего изменения (${last})`);
  if (deal.negotiationsOngoing !== stage.negotiationsOngoing) return malformed('negotiationsOngoing', `stage "${stage.id}" ${stage.negotiationsOngoing ? 'has no' : 'has'} outcomes (S11)`, `у стадии «${stage.id}» ${stage.negotiationsOngoing ? 'нет итогов' : 'есть итоги'} (S11)`);
  if (deal.status === 'open' && deal.finish !== null) return malformed('finish', 'an open deal has no finish', 'у открытой сделки нет завершения');
  if (deal.status !== 'open') {
    if (deal.finish === null) return malformed('finish', `a ${deal.status} deal has its finish`, `у сделки в статусе ${deal.status} должно быть завершение`);
    if (deal.status === 'finished' && deal.finish.result !== 'positive') return malformed('finish.result', 'only a positive finish waits for a business event (S34)', 'бизнес-события ждёт только положительное завершение (S34)');
    if (deal.finish.at > last) return malformed('finish.at', `the finish is after the last change (${last})`, `завершение позже последнего изменения (${last})`);
    if (deal.pendingDeadlineChange !== null) return malformed('pendingDeadlineChange', `a ${deal.status} deal has no deadline change waiting (S25)`, `у сделки в статусе ${deal.status} не может быть изменения срока на согласовании (S25)`);
  }
  const pending = deal.pendingDeadlineChange;
  if (pending !== null && pending.requestedAt > last) return malformed('pendingDeadlineChange.requestedAt', `the request is after the last change (${last})`, `запрос позже последнего изменения (${last})`);
  if (pending !== null && pending.dueAt <= pending.requestedAt) return malformed('pendingDeadlineChange.dueAt', 'the requested deadline must be after the request (S25)', 'запрошенный срок должен быть позже запроса (S25)');
  const ids = new Set<string>();
  for (const [index, activity] of deal.activities.entries()) {
    if (ids.has(activity.id)) return malformed(`activities[${index}].id`, `activity "${activity.id}" is listed twice`, `дело «${activity.id}» указано дважды`);
    ids.add(activity.id);
  }
  const fields = mergeFields(topic, {}, deal.fields, 'fields');
  if (!fields.ok) return malformed(fields.error.path ?? 'fields', fields.error.message, formatDealError(fields.error, 'ru'));
  return undefined;
}

function deadlineMismatch(topic: CompiledSalesTopic, stage: CompiledStage, deal: Deal): DealError | undefined {
  const mismatch = (field: string, actual: number | null, expected: string): DealError => dealError('deadline_mismatch', { field, actual: String(actual), expected }, field);
  const stageDueAt = stageDeadline(topic, stage, deal.stageEnteredAt);
  if (deal.stageDueAt !== stageDueAt) return mismatch('stageDueAt', deal.stageDueAt, `${stageDueAt} (stageEnteredAt + the stage's limit, S6)`);
  const idleDueAt = idleDeadline(topic, stage, deal.lastActivityAt);
  if (deal.status === 'open') {
    if (deal.idleDueAt !== idleDueAt) return mismatch('idleDueAt', deal.idleDueAt, `${idleDueAt} (lastActivityAt + the stage's idle limit)`);
  } else if (idleDueAt === null || deal.idleDueAt === null) {
    if (deal.idleDueAt !== idleDueAt) return mismatch('idleDueAt', deal.idleDueAt, String(idleDueAt));
  } else {
    // The idle clock stops when the deal leaves "open": its last reading lies between entering the stage and the last activity.
    const earliest = idleDeadline(topic, stage, deal.stageEnteredAt) as number;
    if (deal.idleDueAt < earliest || deal.idleDueAt > idleDueAt) return mismatch('idleDueAt', deal.idleDueAt, `a time from ${earliest} to ${idleDueAt}`);
  }
  const dueAt = deal.agreedDueAt ?? dealDeadline(topic, deal.openedAt);
  if (deal.dueAt !== dueAt) return mismatch('dueAt', deal.dueAt, `${dueAt} (${deal.agreedDueAt === null ? "openedAt + the topic's limit, S24" : 'the accepted deadline change, agreedDueAt, S25'})`);
  return undefined;
}

function ignoresDeadlines(options: ParseDealOptions | null | undefined): boolean {
  try {
    return options?.deadlines === 'ignore';
  } catch {
    return false; // options that cannot be read ask for nothing: the deadlines are checked
  }
}
