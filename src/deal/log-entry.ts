/**
 * The deal's log: one entry per accepted change, appended beside the deal.
 *
 * The deal itself is fixed-size state; its log says how it got there. Every
 * entry names the deal, the revision it made, the topic version in force,
 * who and when, and what it changed (from and to which stage, the status
 * after). An `opened` entry keeps the checked input of `openDeal`, an event
 * entry keeps the event as it was applied (less what the entry says
 * already: see {@link LoggedEvent}), and a `migrated` entry what
 * `migrateDeal` did, so that the log alone rebuilds the deal
 * (`replayDeal`). Entries are plain JSON, storable as they are in a jsonb
 * column or a line of a file.
 *
 * @module
 */
import * as z from 'zod';
import { idSchema } from '../definition/schema.js';
import { labelSchema, textSchema } from '../definition/text.js';
import { MAX_TIME } from '../time/date.js';
import { hasOwnProto } from '../util/plain-object.js';
import { dealError, parseInput, readableError, type DealError } from './errors.js';
import { actorSchema, type CrmUser } from '../access/actor.js';
import { dealEventSchema, type DealEvent, type DealEventOf } from './events.js';
import { openDealInputSchema } from './open-input.js';

/** A topic has at most 1000 fields, so a migration retires at most that many. */
const MAX_RETIRED = 1000;
const time = z.number().int().min(0).max(MAX_TIME);
const version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const fieldValue = z.union([textSchema(10_000), z.number().finite(), z.boolean()]);

const common = {
  dealId: labelSchema(200),
  /** The deal's revision after this entry: 1 for `opened`, then one more per entry. */
  revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** The topic version in force after this entry. */
  version,
  at: time,
  by: labelSchema(200),
  // Stages of earlier versions of the topic may appear in a log, so only the id shape is checked.
  from: idSchema,
  to: idSchema,
  status: z.enum(['open', 'finished', 'closed']),
};

const openedEntrySchema = z.strictObject({ ...common, type: z.literal('opened'), input: openDealInputSchema });

const migratedEntrySchema = z.strictObject({
  ...common,
  type: z.literal('migrated'),
  fromVersion: version,
  /** How the migration set the deadlines (`DeadlinePolicy`). */
  deadlines: z.enum(['keep', 'recompute']),
  reason: textSchema(10_000).optional(),
  /** Values of fields the new version removed, at most one per field a topic may have. */
  retiredFields: z.record(idSchema, fieldValue).optional(),
});

/**
 * What an event entry keeps of its event: everything but what the entry
 * already says (the type, the time, the actor's id as `by`) and the
 * revision the caller expected, which the entry's own `revision` answers.
 * The actor is kept whole only when it carries more than an id (roles,
 * teams, flags), since a replay decides access on it.
 */
const NOT_LOGGED = ['type', 'at', 'actor', 'expectedRevision'] as const;
type NotLogged = (typeof NOT_LOGGED)[number];
const loggedEventSchema = (option: z.ZodObject) =>
  option.omit(Object.fromEntries(NOT_LOGGED.map((key) => [key, true])) as Record<NotLogged, true>).extend({ actor: actorSchema.optional() });

// Built from the event schemas so that a new event type is logged without another edit; the entry types below give their precise shapes.
const eventEntrySchemas = dealEventSchema.options.map((option) => z.strictObject({ ...common, type: option.shape.type, event: loggedEventSchema(option as unknown as z.ZodObject) }));

/**
 * The zod schema of one entry of a deal's log, told apart by `type`. It
 * checks shape only; {@link parseLogEntry} adds the entry's own consistency.
 *
 * @example
 * const shapeOnly = dealLogEntrySchema.safeParse(JSON.parse(line));
 */
export const dealLogEntrySchema = z.discriminatedUnion('type', [openedEntrySchema, migratedEntrySchema, ...eventEntrySchemas]) as unknown as z.ZodType<DealLogEntry>;

/**
 * What an event entry keeps of the event it applied: the event without its
 * `type`, `at` and `expectedRevision` (the entry's `type`, `at` and
 * `revision` say them) and without its `actor` unless the actor carries more
 * than an id (the entry's `by` is the id). `entryEvent` gives the event back.
 *
 * @example
 * const logged: LoggedEvent<DealEventOf<'setFields'>> = { fields: { carrier: 'ПЭК' } };
 */
export type LoggedEvent<E extends DealEvent> = Omit<E, NotLogged> & { readonly actor?: CrmUser };

/** The parts every entry has: which deal and revision, the version in force, who and when, and the stage and status it left. */
type CommonEntry = z.output<z.ZodObject<typeof common>>;

/**
 * The entry of an applied event: the common parts, the event's `type`, and
 * what the log keeps of the event ({@link LoggedEvent}).
 *
 * @example
 * if (entry.type === 'recordOutcome') console.log(entry.event.outcomeId, entry.event.comment);
 */
export type EventLogEntry = { [T in DealEvent['type']]: CommonEntry & { readonly type: T; readonly event: LoggedEvent<DealEventOf<T>> } }[DealEvent['type']];

/** The entry `migrateDeal` appends when a deal moves to a new version of its topic. */
export type MigrationLogEntry = z.output<typeof migratedEntrySchema>;

/** The first entry of every log: the deal opened, with the checked input of `openDeal`. */
export type OpenedLogEntry = z.output<typeof openedEntrySchema>;

/**
 * One entry of a deal's log. `type` is `opened`, `migrated` or the type of
 * the event applied; see the module notes.
 *
 * @example
 * const opened = openDeal(compiled, { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: Date.now() });
 * if (opened.ok) await db.entries.append(opened.entry); // { dealId: 'd-1', revision: 1, type: 'opened', … }
 */
export type DealLogEntry = OpenedLogEntry | MigrationLogEntry | EventLogEntry;

/** What an entry of the log records: the opening, a migration, or the type of the event applied. */
export type DealLogEntryType = DealLogEntry['type'];

/**
 * The event an event entry applied, whole again: what {@link LoggedEvent}
 * left out taken back from the entry. Applying it to the deal before the
 * entry gives the entry again.
 *
 * @example
 * const event = entryEvent(entry); // { type: 'setFields', at: …, actor: { id: 'manager-1' }, fields: { … } }
 */
export function entryEvent(entry: EventLogEntry): DealEvent {
  return { type: entry.type, at: entry.at, ...entry.event, actor: entry.event.actor ?? { id: entry.by } } as DealEvent;
}

const HIDDEN: ReadonlySet<string> = new Set(NOT_LOGGED);

/** What the log keeps of a checked event (see {@link LoggedEvent}); internal to `applyEvent`. */
export function loggedEvent(event: DealEvent): LoggedEvent<DealEvent> {
  const logged: Record<string, unknown> = {};
  for (const key in event) if (!HIDDEN.has(key)) logged[key] = event[key as keyof DealEvent];
  const { actor } = event;
  if (actor.roles !== undefined || actor.teams !== undefined || actor.administrator !== undefined || actor.crmAccess !== undefined) logged.actor = actor;
  return logged as LoggedEvent<DealEvent>;
}

/**
 * The answer of {@link parseLogEntry}.
 *
 * @example
 * const result: ParseLogEntryResult = parseLogEntry(row.entry);
 */
export type ParseLogEntryResult = { readonly ok: true; readonly entry: DealLogEntry } | { readonly ok: false; readonly error: DealError };

/**
 * Checks one entry of a deal's log read back from storage and returns a
 * checked copy, or `invalid_log_entry` with the `path` of the first
 * problem: a wrong shape, or an entry that contradicts itself (an event
 * entry whose event has another type, time or actor than the entry, an
 * `opened` entry that is not revision 1 or opens another deal, a
 * `migrated` entry that does not change the version). Whether the entries
 * of a log follow each other is `replayDeal`'s check. Never throws and never
 * modifies its input.
 *
 * @example
 * const parsed = parseLogEntry(JSON.parse(line));
 * if (!parsed.ok) console.error(parsed.error.path, parsed.error.message);
 */
export function parseLogEntry(input: unknown): ParseLogEntryResult {
  try {
    const proto = protoKey(input);
    if (proto !== undefined) return { ok: false, error: malformed(proto, 'an own "__proto__" key is not a field id', 'собственный ключ «__proto__» не может быть идентификатором поля') };
    const parsed = parseInput(dealLogEntrySchema, input, 'invalid_log_entry');
    if (!parsed.ok) return parsed;
    const entry = parsed.data;
    const problem = contradiction(entry);
    return problem === undefined ? { ok: true, entry } : { ok: false, error: problem };
  } catch (error) {
    return { ok: false, error: dealError('unreadable_input', { detail: readableError(error) }) };
  }
}

/** The path of an own `__proto__` key in an entry's field records, which zod would drop unseen. */
function protoKey(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const entry = input as { retiredFields?: unknown; input?: { fields?: unknown } | null; event?: { fields?: unknown } | null };
  if (hasOwnProto(entry.retiredFields)) return 'retiredFields.__proto__';
  if (typeof entry.input === 'object' && entry.input !== null && hasOwnProto(entry.input.fields)) return 'input.fields.__proto__';
  if (typeof entry.event === 'object' && entry.event !== null && hasOwnProto(entry.event.fields)) return 'event.fields.__proto__';
  return undefined;
}

const malformed = (path: string, detail: string, detailRu: string): DealError => dealError('invalid_log_entry', { path, detail, detailRu }, path);

function contradiction(entry: DealLogEntry): DealError | undefined {
  switch (entry.type) {
    case 'opened': {
      if (entry.revision !== 1) return malformed('revision', 'a deal opens at revision 1', 'сделка открывается в ревизии 1');
      if (entry.input.id !== entry.dealId) return malformed('input.id', `the entry opens deal "${entry.input.id}", not "${entry.dealId}"`, `запись открывает сделку «${entry.input.id}», а не «${entry.dealId}»`);
      if (entry.input.at !== entry.at) return malformed('input.at', `the deal opened at ${entry.input.at}, not ${entry.at}`, `сделка открыта в ${entry.input.at}, а не в ${entry.at}`);
      if (entry.status !== 'open' || entry.from !== entry.to) return malformed('status', 'a deal opens in its first stage, open', 'сделка открывается на первой стадии в статусе open');
      return undefined;
    }
    case 'migrated':
      if (Object.keys(entry.retiredFields ?? {}).length > MAX_RETIRED) return malformed('retiredFields', `at most ${MAX_RETIRED} retired fields per migration`, `не более ${MAX_RETIRED} удалённых полей на одну миграцию`);
      if (entry.revision < 2) return malformed('revision', 'a migration follows the opening', 'миграция идёт после открытия');
      return entry.fromVersion === entry.version ? malformed('fromVersion', 'a migration moves the deal to another version', 'миграция переводит сделку на другую версию') : undefined;
    default: {
      if (entry.revision < 2) return malformed('revision', 'an event follows the opening', 'событие идёт после открытия');
      const { actor } = entry.event;
      if (actor !== undefined && actor.id !== entry.by) return malformed('event.actor.id', `the event is by "${actor.id}", the entry says "${entry.by}"`, `событие выполнил «${actor.id}», а в записи указан «${entry.by}»`);
      return undefined;
    }
  }
}
