import * as z from 'zod';
import type { CompiledSalesTopic, CompiledStage, CompiledTopic } from '../compile/compiled-topic.js';
import { idSchema } from '../definition/schema.js';
import { labelSchema, textSchema } from '../definition/text.js';
import { fromZodIssues, zodParseOptions } from '../definition/zod-issues.js';
import type { Deal } from './deal.js';
import { dealDeadline, idleDeadline, stageDeadline } from './deadlines.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { dealError, formatDealError, readableError, type DealError } from './errors.js';
import { mergeFields } from './fields.js';
import { DEAL_EVENT_TYPES } from './events.js';
import { MAX_TIME } from '../time/date.js';

/*
 * The full check of a deal read from storage: its shape (a zod schema of
 * the persisted `Deal`), then its consistency with the compiled topic and
 * with itself. `applyEvent` only runs the cheap `checkDeal` before each
 * event; a host that cannot trust its store (imports, hand edits, another
 * service writing the same table) runs `parseDeal` when it reads a deal.
 */

const MAX_TEXT = 10_000;
/** A topic has at most 1000 fields, so a migration retires at most that many. */
const MAX_RETIRED = 1000;
const time = z.number().int().min(0).max(MAX_TIME);
/** Deadlines lie after event times by up to the longest limit, counted in working days. */
const deadline = z.number().int().min(0).nullable();
// The text rules of src/definition/text.ts: every string storable in PostgreSQL jsonb; ids of the host's users, deals and clients also not blank, no bidi controls.
const userId = labelSchema(200);
const text = textSchema(MAX_TEXT);
const status = z.enum(['open', 'finished', 'closed']);
const result = z.enum(['positive', 'negative']);
const fieldValue = z.union([text, z.number().finite(), z.boolean()]);

const historyEntrySchema = z.strictObject({
  type: z.enum(['opened', 'migrated', ...DEAL_EVENT_TYPES]),
  at: time,
  by: text,
  // Stages of earlier versions of the topic may appear here, so only the id shape is checked.
  from: idSchema,
  to: idSchema,
  status,
  outcomeId: idSchema.optional(),
  kindId: idSchema.optional(),
  comment: text.optional(),
  activityId: idSchema.optional(),
  fields: z.record(idSchema, fieldValue.nullable()).optional(),
  dueAt: time.optional(),
  businessEvent: idSchema.optional(),
  reason: text.optional(),
  // Written by `migrateDeal` on the entry that moves a deal to a new version of its topic.
  fromVersion: z.number().int().min(1).optional(),
  toVersion: z.number().int().min(1).optional(),
  // Written by `migrateDeal`: values of fields the new version removed, at most one per field a topic may have.
  retiredFields: z
    .record(idSchema, fieldValue)
    .refine((values) => Object.keys(values).length <= MAX_RETIRED, { message: `at most ${MAX_RETIRED} retired fields per migration` })
    .optional(),
});

/**
 * The zod schema of a deal as it is stored: exactly the keys of {@link Deal},
 * each of its type. It checks shape only; {@link parseDeal} adds the checks
 * against the topic and the deal's own history.
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
  amount: z.number().finite().min(0).nullable(),
  fields: z.record(idSchema, fieldValue),
  activities: z.array(z.strictObject({ id: idSchema, kind: z.enum(['call', 'meeting', 'task']), authorId: userId, plannedFor: time })),
  pendingDeadlineChange: z
    .strictObject({ dueAt: time, requestedBy: userId, requestedAt: time, reason: text.optional() })
    .nullable(),
  finish: z
    .strictObject({ outcomeId: idSchema, result, kindId: idSchema.optional(), comment: text.optional(), at: time, by: userId })
    .nullable(),
  history: z.array(historyEntrySchema).min(1),
  revision: z.number().int().min(1),
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
 * e.g. `history[3].at` or `fields.budget`), `topic_mismatch` for a deal of
 * another topic or version, `unknown_stage` for a stage the topic lacks, and
 * `deadline_mismatch` for a deadline other than the one the topic implies:
 * `stageDueAt` from `stageEnteredAt` (S6), `idleDueAt` from `lastActivityAt`
 * while the deal is open (afterwards the idle clock has stopped somewhere in
 * between), and `dueAt` from `openedAt` (S24) unless an accepted deadline
 * change set it (S25). Deals migrated with recomputed deadlines pass; pass
 * `deadlines: 'ignore'` for deals that kept older ones. Never throws and
 * never modifies its input.
 *
 * What "consistent" means: `revision` equals the number of history entries;
 * the history starts with `opened` at `openedAt`, its times never go back,
 * each entry starts where the previous one ended, and the last one ends in
 * the deal's stage and status; `openedAt ≤ stageEnteredAt ≤ lastActivityAt`
 * ≤ the last change; an open deal has no finish, a finished or closed one
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

const hasProto = (value: unknown): boolean => typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__');

/**
 * The path of an own `__proto__` key in the deal's field records, which zod
 * would leave out of a record without a word (objects report it as unknown).
 */
function protoKey(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { fields, history } = input as { fields?: unknown; history?: unknown };
  if (hasProto(fields)) return 'fields.__proto__';
  if (!Array.isArray(history)) return undefined;
  for (const [index, entry] of history.entries()) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { fields: values, retiredFields } = entry as { fields?: unknown; retiredFields?: unknown };
    if (hasProto(values)) return `history[${index}].fields.__proto__`;
    if (hasProto(retiredFields)) return `history[${index}].retiredFields.__proto__`;
  }
  return undefined;
}
/** `invalid_deal` at a path, with what is wrong in English and in Russian. */
const malformed = (path: string, detail: string, detailRu: string): DealError => dealError('invalid_deal', { path: path || '(root)', detail, detailRu }, path);

function inconsistency(topic: CompiledSalesTopic, stage: CompiledStage, deal: Deal): DealError | undefined {
  const { history } = deal;
  if (deal.revision !== history.length) return malformed('revision', `revision ${deal.revision} does not match the ${history.length} history entries`, `ревизия ${deal.revision} не совпадает с числом записей истории (${history.length})`);
  const first = history[0];
  if (first?.type !== 'opened') return malformed('history[0].type', 'the history must start with the "opened" entry', 'история должна начинаться с записи «opened»');
  if (first.retiredFields !== undefined) return malformed('history[0].retiredFields', 'only a migration retires field values', 'выводить значения полей из употребления может только миграция');
  if (first.at !== deal.openedAt) return malformed('history[0].at', `the deal was opened at ${deal.openedAt}, not ${first.at}`, `сделка открыта в ${deal.openedAt}, а не в ${first.at}`);
  for (let index = 1; index < history.length; index += 1) {
    const entry = history[index] as Deal['history'][number];
    const previous = history[index - 1] as Deal['history'][number];
    if (entry.type === 'opened') return malformed(`history[${index}].type`, 'a deal is opened only once', 'сделка открывается только один раз');
    if (entry.at < previous.at) return malformed(`history[${index}].at`, `the time ${entry.at} is before the entry before it (${previous.at})`, `время ${entry.at} раньше предыдущей записи (${previous.at})`);
    if (entry.from !== previous.to) return malformed(`history[${index}].from`, `the entry starts in "${entry.from}", but the one before it ended in "${previous.to}"`, `запись начинается на стадии «${entry.from}», а предыдущая закончилась на «${previous.to}»`);
    if (entry.retiredFields !== undefined && entry.type !== 'migrated') return malformed(`history[${index}].retiredFields`, 'only a migration retires field values', 'выводить значения полей из употребления может только миграция');
  }
  const last = history[history.length - 1] as Deal['history'][number];
  const end = `history[${history.length - 1}]`;
  if (last.to !== deal.stageId) return malformed(`${end}.to`, `the last entry ends in "${last.to}", but the deal is in "${deal.stageId}"`, `последняя запись заканчивается на стадии «${last.to}», а сделка на «${deal.stageId}»`);
  if (last.status !== deal.status) return malformed(`${end}.status`, `the last entry ends ${last.status}, but the deal is ${deal.status}`, `последняя запись заканчивается в статусе ${last.status}, а сделка в статусе ${deal.status}`);
  if (deal.stageEnteredAt < deal.openedAt) return malformed('stageEnteredAt', 'the stage was entered before the deal was opened', 'сделка вошла в стадию раньше, чем была открыта');
  if (deal.lastActivityAt < deal.stageEnteredAt) return malformed('lastActivityAt', 'the last activity is before the stage was entered', 'последняя активность раньше входа в стадию');
  if (deal.lastActivityAt > last.at) return malformed('lastActivityAt', `the last activity is after the last change (${last.at})`, `последняя активность позже последнего изменения (${last.at})`);
  if (deal.negotiationsOngoing !== stage.negotiationsOngoing) return malformed('negotiationsOngoing', `stage "${stage.id}" ${stage.negotiationsOngoing ? 'has no' : 'has'} outcomes (S11)`, `у стадии «${stage.id}» ${stage.negotiationsOngoing ? 'нет итогов' : 'есть итоги'} (S11)`);
  if (deal.status === 'open' && deal.finish !== null) return malformed('finish', 'an open deal has no finish', 'у открытой сделки нет завершения');
  if (deal.status !== 'open') {
    if (deal.finish === null) return malformed('finish', `a ${deal.status} deal has its finish`, `у сделки в статусе ${deal.status} должно быть завершение`);
    if (deal.status === 'finished' && deal.finish.result !== 'positive') return malformed('finish.result', 'only a positive finish waits for a business event (S34)', 'бизнес-события ждёт только положительное завершение (S34)');
    if (deal.finish.at > last.at) return malformed('finish.at', `the finish is after the last change (${last.at})`, `завершение позже последнего изменения (${last.at})`);
    if (deal.pendingDeadlineChange !== null) return malformed('pendingDeadlineChange', `a ${deal.status} deal has no deadline change waiting (S25)`, `у сделки в статусе ${deal.status} не может быть изменения срока на согласовании (S25)`);
  }
  const pending = deal.pendingDeadlineChange;
  if (pending !== null && pending.requestedAt > last.at) return malformed('pendingDeadlineChange.requestedAt', `the request is after the last change (${last.at})`, `запрос позже последнего изменения (${last.at})`);
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
  const dueAts = impliedDueAts(topic, deal);
  if (!dueAts.includes(deal.dueAt)) {
    return mismatch('dueAt', deal.dueAt, `${dueAts.slice(0, 3).join(' or ')} (openedAt + the topic's limit, S24, or an accepted deadline change, S25)`);
  }
  return undefined;
}

/**
 * The deal limits the history allows (S24, S25): the topic's maximum duration
 * from `openedAt`, unless an accepted deadline change set it. With no
 * migration in the history, the topic's approval rule decides which entries
 * set it, so exactly one limit is right. Entries from before a migration ran
 * under a version whose rule may have differed, so then any deadline a person
 * accepted (an approval, or a request not still waiting) is allowed, as
 * `migrateDeal` keeps it.
 */
function impliedDueAts(topic: CompiledSalesTopic, deal: Deal): (number | null)[] {
  const limit = dealDeadline(topic, deal.openedAt);
  if (!deal.history.some((entry) => entry.type === 'migrated')) {
    const applies = topic.definition.deadlineChange.approval === 'none' ? 'requestDeadlineChange' : 'approveDeadlineChange';
    let dueAt = limit;
    for (const entry of deal.history) if (entry.type === applies && entry.dueAt !== undefined) dueAt = entry.dueAt;
    return [dueAt];
  }
  const pending = deal.pendingDeadlineChange;
  const waiting = (entry: Deal['history'][number]) => pending !== null && entry.type === 'requestDeadlineChange' && pending.requestedAt === entry.at && pending.dueAt === entry.dueAt;
  const accepted = deal.history.flatMap((entry) =>
    entry.dueAt !== undefined && (entry.type === 'approveDeadlineChange' || (entry.type === 'requestDeadlineChange' && !waiting(entry))) ? [entry.dueAt] : [],
  );
  return [limit, ...accepted];
}

function ignoresDeadlines(options: ParseDealOptions | null | undefined): boolean {
  try {
    return options?.deadlines === 'ignore';
  } catch {
    return false; // options that cannot be read ask for nothing: the deadlines are checked
  }
}
