/**
 * Editing topics the way the settings screen does (S1–S12, S23–S35): one
 * function, {@link editTopic}, takes a topic, the acting user and one edit or
 * a batch of edits (plain data, a discriminated union on `op`), and returns
 * the next version of the topic, or every reason it refused.
 *
 * Why one function over a union rather than a function per operation: the
 * rules every edit shares (the right to edit, S2; validation; `version + 1`;
 * never throwing; never touching the input) live in one place; edits are data
 * that a host can log, send from its settings screen, replay or generate in a
 * property test; and a batch is one save of the settings screen, so steps that
 * are only valid together (insert a stage *and* point an outcome at it) make
 * one new version, validated once at the end.
 *
 * @module
 */
import { Immer, castDraft, current, isDraft, original, type Draft } from 'immer';
import type * as z from 'zod';
import { readActor, type CrmUser } from '../access/actor.js';
import { canEditTopic } from '../access/permissions.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { formatPath, type Locale, type TopicIssue } from './issue.js';
import { message } from './messages.js';
import { readParseOptions, safeParseTopic } from './parse.js';
import { readableError } from '../util/readable-error.js';
import {
  calendarSchema,
  deadlineChangeSchema,
  documentSchema,
  fieldSchema,
  outcomeKindSchema,
  outcomeSchema,
  parametersSchema,
  stageSchema,
  type AuditTopic,
  type SalesTopic,
  type TopicDefinition,
} from './schema.js';
import { standardTopic } from './standard-topic.js';
import { fromZodIssues, zodParseOptions } from './zod-issues.js';

/**
 * A stage as an author writes it: defaults (`outcomes`, `requiredFields`) may be left out.
 *
 * @example
 * const stage: StageInput = { id: 'contract', name: 'Договор', maxDuration: 'P2D', outcomes: [{ id: 'signed', name: 'Подписан', to: 'payment' }] };
 */
export type StageInput = z.input<typeof stageSchema>;
/**
 * An outcome as an author writes it: a move (`to`) or a finish (`finish`).
 *
 * @example
 * const outcome: OutcomeInput = { id: 'lost', name: 'Отказ', finish: 'negative', kindRequired: true };
 */
export type OutcomeInput = z.input<typeof outcomeSchema>;
/**
 * An outcome kind (S27) as an author writes it.
 *
 * @example
 * const kind: OutcomeKindInput = { id: 'budget', name: 'Нет бюджета', polarity: 'negative' };
 */
export type OutcomeKindInput = z.input<typeof outcomeKindSchema>;
/**
 * An additional field (S29) as an author writes it.
 *
 * @example
 * const field: FieldInput = { id: 'volume', name: 'Объём, т', type: 'number', min: 0 };
 */
export type FieldInput = z.input<typeof fieldSchema>;
/**
 * A document template (S28) as an author writes it.
 *
 * @example
 * const document: DocumentInput = { id: 'contract', name: 'Договор', template: 'contract', stages: ['payment'] };
 */
export type DocumentInput = z.input<typeof documentSchema>;
/**
 * Deadline change approval (S25) as an author writes it.
 *
 * @example
 * const approval: DeadlineChangeInput = { approval: 'required', approvers: [{ role: 'director' }, { userId: 'ceo' }] };
 */
export type DeadlineChangeInput = z.input<typeof deadlineChangeSchema>;

/** Changes to some properties: a value sets it, `null` removes an optional one, absent leaves it. */
type Changes<T> = { readonly [K in keyof T]?: T[K] | null };

/**
 * What {@link editTopic} may change on the topic itself (never `id`, `kind` or `version`).
 *
 * @example
 * const changes: TopicChanges = { name: 'Опт', maxDuration: 'P45D', instruction: null };
 */
export type TopicChanges = Changes<{
  name: string;
  group: string;
  instruction: string;
  script: string;
  /** The maximum deal duration (S3, S24), sales only. */
  maxDuration: string;
  /** The working calendar, sales only. */
  calendar: z.input<typeof calendarSchema>;
}>;
/**
 * What may change on a stage (S6); its outcomes have their own edits.
 *
 * @example
 * const changes: StageChanges = { name: 'КП', maxDuration: 'P1D', comment: null, requiredFields: ['carrier'] };
 */
export type StageChanges = Changes<Omit<StageInput, 'id' | 'outcomes'>>;
/**
 * What may change on an outcome; setting `to` makes it a move, setting `finish` a finish (S8–S12).
 *
 * @example
 * const changes: OutcomeChanges = { finish: 'negative', commentRequired: true };
 */
export type OutcomeChanges = Changes<{
  name: string;
  to: string;
  finish: 'positive' | 'negative';
  restartsStageClock: boolean;
  kindRequired: boolean;
  kinds: readonly string[];
  commentRequired: boolean;
  requiredFields: readonly string[];
  amountRequired: boolean;
}>;
/**
 * What may change on an outcome kind (S27).
 *
 * @example
 * const changes: OutcomeKindChanges = { commentRequired: true };
 */
export type OutcomeKindChanges = Changes<Omit<OutcomeKindInput, 'id'>>;
/**
 * What may change on a field (S29); changing `type` drops the properties of the old type.
 *
 * @example
 * const changes: FieldChanges = { type: 'select', options: [{ id: 'pek', name: 'ПЭК' }] };
 */
export type FieldChanges = Changes<{
  name: string;
  description: string;
  type: FieldInput['type'];
  maxLength: number;
  min: number;
  max: number;
  options: readonly { readonly id: string; readonly name: string }[];
}>;
/**
 * What may change on a document template (S28); `stages: null` offers it everywhere.
 *
 * @example
 * const changes: DocumentChanges = { stages: null };
 */
export type DocumentChanges = Changes<Omit<DocumentInput, 'id'>>;
/**
 * Sales parameters to change (S4, S5, S32–S35); `afterClose` may be given in part.
 *
 * @example
 * const changes: ParametersChanges = { planning: 'mandatory', afterClose: { unpaidInvoices: 'keep' } };
 */
export type ParametersChanges = {
  readonly [K in keyof z.input<typeof parametersSchema>]?: K extends 'afterClose'
    ? Partial<NonNullable<z.input<typeof parametersSchema>['afterClose']>>
    : z.input<typeof parametersSchema>[K];
};

/**
 * One edit of a topic, as the settings screen makes it. Items are addressed
 * by id, and ids never change (deal histories refer to them). An outcome is
 * addressed by its stage, or `stageId: null` for the global outcomes.
 * Positions (`index`) count from 0; an absent index appends.
 *
 * - `updateTopic`: name, group, instruction (S30), script (S31), maximum deal duration (S3, S24), calendar.
 * - `setDeadlineChange`: whether a deadline change needs approval and who approves (S25).
 * - `setParameters`: concurrent deals (S32), planning (S33), closing (S34), after close (S35), planned contacts (S4), shared assignment (S5).
 * - `addStage`, `updateStage` (rename, comment, limits: S6), `moveStage` (reorder: S7), `removeStage`.
 * - `addOutcome`, `updateOutcome` (rename, retarget, move ↔ finish: S8–S12), `removeOutcome`.
 * - `addOutcomeKind`, `updateOutcomeKind`, `removeOutcomeKind` (S27, S37).
 * - `addField`, `updateField`, `removeField` (S29); `addDocument`, `updateDocument`, `removeDocument` (S28).
 *
 * `removeStage` is refused with `stage_in_use` while outcomes still move to
 * the stage, unless the edit redirects them: `redirect` by outcome id, and
 * `redirectTo` for all the others. Document templates tied to the stage
 * move to `redirectTo` when given, else lose that stage. Removing an outcome
 * kind that outcomes list (`kind_in_use`) or a field that stages or
 * outcomes require (`field_in_use`, `field_required_by_outcome`) is refused
 * the same way: change those first, in the same batch.
 *
 * @example
 * const merge: TopicEdit = { op: 'removeStage', stageId: 'payment', redirectTo: 'shipment' };
 * const rename: TopicEdit = { op: 'updateStage', stageId: 'offer', changes: { name: 'Offer', maxDuration: 'P2D' } };
 */
export type TopicEdit =
  | { readonly op: 'updateTopic'; readonly changes: TopicChanges }
  | { readonly op: 'setDeadlineChange'; readonly deadlineChange: DeadlineChangeInput }
  | { readonly op: 'setParameters'; readonly parameters: ParametersChanges }
  | { readonly op: 'addStage'; readonly stage: StageInput; readonly index?: number }
  | { readonly op: 'updateStage'; readonly stageId: string; readonly changes: StageChanges }
  | { readonly op: 'moveStage'; readonly stageId: string; readonly index: number }
  | {
      readonly op: 'removeStage';
      readonly stageId: string;
      /** Where each outcome that moves to the removed stage goes instead, by outcome id. */
      readonly redirect?: Readonly<Record<string, string>>;
      /** Where every other such outcome goes instead. */
      readonly redirectTo?: string;
    }
  | { readonly op: 'addOutcome'; readonly stageId: string | null; readonly outcome: OutcomeInput; readonly index?: number }
  | { readonly op: 'updateOutcome'; readonly stageId: string | null; readonly outcomeId: string; readonly changes: OutcomeChanges }
  | { readonly op: 'removeOutcome'; readonly stageId: string | null; readonly outcomeId: string }
  | { readonly op: 'addOutcomeKind'; readonly kind: OutcomeKindInput; readonly index?: number }
  | { readonly op: 'updateOutcomeKind'; readonly kindId: string; readonly changes: OutcomeKindChanges }
  | { readonly op: 'removeOutcomeKind'; readonly kindId: string }
  | { readonly op: 'addField'; readonly field: FieldInput; readonly index?: number }
  | { readonly op: 'updateField'; readonly fieldId: string; readonly changes: FieldChanges }
  | { readonly op: 'removeField'; readonly fieldId: string }
  | { readonly op: 'addDocument'; readonly document: DocumentInput; readonly index?: number }
  | { readonly op: 'updateDocument'; readonly documentId: string; readonly changes: DocumentChanges }
  | { readonly op: 'removeDocument'; readonly documentId: string };

/**
 * The operation names of {@link TopicEdit}.
 *
 * @example
 * const op: TopicEditOp = 'removeStage';
 */
export type TopicEditOp = TopicEdit['op'];

/**
 * The answer of {@link editTopic} and {@link createTopic}: the new version
 * with the linter's warnings, or every issue that stopped it.
 *
 * @example
 * const result: EditResult<SalesTopic> = editTopic(standardTopic, director, { op: 'moveStage', stageId: 'new', index: 1 });
 * if (!result.ok) console.log(result.issues.map((issue) => `${issue.path}: ${issue.message}`));
 */
export type EditResult<T extends TopicDefinition = TopicDefinition> =
  | { readonly ok: true; readonly topic: T; readonly warnings: readonly TopicIssue[] }
  | { readonly ok: false; readonly issues: readonly TopicIssue[] };

/**
 * Options of {@link editTopic} and {@link createTopic}.
 *
 * @example
 * editTopic(topic, director, edit, { locale: 'ru' });
 */
export interface EditOptions {
  /** The language of the messages: English (default) or Russian. */
  readonly locale?: Locale;
}

/**
 * What a new topic needs: its kind (S23), id and name; the rest can be edited afterwards.
 *
 * @example
 * const input: NewTopicInput = { kind: 'audit', id: 'store-audit', name: 'Аудит точки' };
 */
export interface NewTopicInput {
  readonly kind: TopicDefinition['kind'];
  readonly id: string;
  readonly name: string;
  readonly group?: string;
  readonly instruction?: string;
  readonly script?: string;
}

/*
 * immer's own instance, so that no global setting of the host's immer changes
 * what we return. Auto-freeze stays on: a new version shares every untouched
 * part with the old one, and that is only safe while neither can change.
 */
const immer = new Immer();

/** The process part of the standard topic (S21): what a new sales topic starts with. */
function standardTopicProcess() {
  const { maxDuration, deadlineChange, stages, globalOutcomes, outcomeKinds, fields, documents, parameters } = standardTopic;
  return { maxDuration, deadlineChange, stages, globalOutcomes, outcomeKinds, fields, documents, parameters };
}

/**
 * Creates version 1 of a topic of a kind (S23), as the settings screen does
 * when an administrator presses "New topic". A sales topic starts with the
 * process of the standard topic (S21: stages, outcomes, kinds, fields,
 * documents, limits and parameters) for the administrator to adapt; an audit
 * topic starts with no outcome kinds (S37); a service topic is just a name
 * (S38). Refuses an actor without the right to edit topics (S2).
 *
 * @example
 * const created = createTopic(director, { kind: 'sales', id: 'wholesale', name: 'Wholesale' });
 * if (created.ok) created.topic.stages.length; // 5
 */
export function createTopic(actor: CrmUser, input: NewTopicInput, options: EditOptions = {}): EditResult {
  const { locale } = readParseOptions(options);
  const refusal = permission(actor, locale);
  if (refusal !== undefined) return refusal;
  if (typeof input !== 'object' || input === null) return { ok: false, issues: [issue('invalid_edit', '', locale, { detail: 'expected an object' })] };
  let copy: Record<string, unknown>;
  try {
    copy = { ...(input as unknown as Record<string, unknown>) };
  } catch (error) {
    return { ok: false, issues: [issue('invalid_edit', '', locale, { detail: readableError(error) })] };
  }
  const process = copy.kind === 'sales' ? standardTopicProcess() : {};
  const parsed = safeParseTopic({ ...process, ...copy, version: 1 }, { locale });
  if (!parsed.ok) return parsed;
  return { ok: true, topic: deepFreeze(parsed.topic), warnings: parsed.warnings };
}

/**
 * Applies one edit, or a batch of edits, to a topic as the settings screen
 * saves it, and returns the next version: `version + 1`, validated like
 * `safeParseTopic` (schema and lint errors refuse the edit; warnings come
 * back with the topic). Never throws and never modifies the input (a deeply
 * frozen one included): the result is a new, deeply frozen object built with
 * immer that shares every untouched part with the input. Because of that
 * sharing, immer also freezes the parts of the input the result shares.
 *
 * Refused, with issues as data: an actor without the right of S2
 * (`not_permitted`), an edit naming what does not exist (`unknown_stage`,
 * `unknown_outcome`, …, with a path into the edit, prefixed `[n].` in a
 * batch), removals of what is still referred to (`stage_in_use`,
 * `kind_in_use`, `field_in_use`, with the paths of the referring parts),
 * and every validation issue of the result (paths into the topic).
 *
 * @example
 * const result = editTopic(standardTopic, director, [
 *   { op: 'addStage', index: 3, stage: { id: 'contract', name: 'Договор', maxDuration: 'P2D', outcomes: [{ id: 'signed', name: 'Подписан', to: 'payment' }] } },
 *   { op: 'updateOutcome', stageId: 'offer', outcomeId: 'accepted', changes: { to: 'contract' } },
 * ]);
 * if (result.ok) result.topic.version; // 2
 */
export function editTopic<T extends TopicDefinition>(
  topic: T,
  actor: CrmUser,
  edit: TopicEdit | readonly TopicEdit[],
  options: EditOptions = {},
): EditResult<T> {
  const { locale } = readParseOptions(options);
  const refusal = permission(actor, locale);
  if (refusal !== undefined) return refusal;
  if (typeof topic !== 'object' || topic === null) return { ok: false, issues: [issue('invalid_edit', '', locale, { detail: 'expected a topic' })] };
  const issues: TopicIssue[] = [];
  let produced: T;
  try {
    const edits: readonly TopicEdit[] = Array.isArray(edit) ? [...(edit as readonly TopicEdit[])] : [edit as TopicEdit];
    if (edits.length === 0) return { ok: false, issues: [issue('invalid_edit', '', locale, { detail: 'no edit to apply' })] };
    produced = immer.produce(topic, (draft: Draft<TopicDefinition>) => {
      for (const [index, one] of edits.entries()) {
        applyEdit(draft, one, { issues, locale, prefix: edits.length === 1 ? [] : [index] });
        if (issues.length > 0) return;
      }
      draft.version = topic.version + 1;
    }) as T;
  } catch (error) {
    // Only a malformed edit or topic (wrong types, throwing getters or proxies from untyped callers) gets here.
    return { ok: false, issues: [issue('invalid_edit', '', locale, { detail: readableError(error) })] };
  }
  if (issues.length > 0) return { ok: false, issues };
  const parsed = safeParseTopic(produced, { locale });
  if (!parsed.ok) return parsed;
  // The parse fills defaults and trims names; keep immer's objects wherever it changed nothing.
  return { ok: true, topic: deepFreeze(reuse(produced, parsed.topic) as T), warnings: parsed.warnings };
}

interface Context {
  readonly issues: TopicIssue[];
  readonly locale: Locale;
  /** The position of the edit in a batch, for the paths of issues about the edit. */
  readonly prefix: readonly PropertyKey[];
}

type SalesDraft = Draft<SalesTopic>;
type Item = { id: string };

function applyEdit(draft: Draft<TopicDefinition>, edit: TopicEdit, ctx: Context): void {
  if (typeof edit !== 'object' || edit === null) {
    report(ctx, issue('invalid_edit', formatPath(ctx.prefix), ctx.locale, { detail: 'expected an edit object' }));
    return;
  }
  switch (edit.op) {
    case 'updateTopic':
      return updateTopic(draft, edit.changes, ctx);
    case 'setDeadlineChange':
      return sales(draft, edit.op, ctx, (topic) => {
        const parsed = parseItem(deadlineChangeSchema, edit.deadlineChange, ['deadlineChange'], ctx);
        if (parsed !== undefined) topic.deadlineChange = castDraft(reuse(base(topic.deadlineChange), parsed) as typeof parsed);
      });
    case 'setParameters':
      return sales(draft, edit.op, ctx, (topic) => {
        if (!isObject(edit.parameters)) {
          report(ctx, issue('invalid_edit', at(ctx, 'parameters'), ctx.locale, { detail: 'expected an object of changes' }));
          return;
        }
        const changes = definedOnly(edit.parameters);
        if ('afterClose' in changes && !isObject(changes.afterClose)) {
          report(ctx, issue('invalid_edit', at(ctx, 'parameters', 'afterClose'), ctx.locale, { detail: 'expected an object of changes' }));
          return;
        }
        const afterClose = 'afterClose' in changes ? { ...plain(topic.parameters.afterClose), ...definedOnly(changes.afterClose) } : undefined;
        const merged = { ...plain(topic.parameters), ...changes, ...(afterClose === undefined ? {} : { afterClose }) };
        const parsed = parseItem(parametersSchema, merged, ['parameters'], ctx);
        if (parsed !== undefined) topic.parameters = castDraft(reuse(base(topic.parameters), parsed) as typeof parsed);
      });
    case 'addStage':
      return sales(draft, edit.op, ctx, (topic) => insert(topic.stages, 'stages', stageSchema, edit.stage, edit.index, ctx));
    case 'updateStage':
      return sales(draft, edit.op, ctx, (topic) => {
        const index = find(topic.stages, edit.stageId, 'stageId', 'unknown_stage', ctx);
        if (index !== undefined) update(topic.stages, index, 'stages', stageSchema, edit.changes, [], ctx);
      });
    case 'moveStage':
      return sales(draft, edit.op, ctx, (topic) => {
        const index = find(topic.stages, edit.stageId, 'stageId', 'unknown_stage', ctx);
        const to = position(edit.index, topic.stages.length - 1, ctx);
        if (index === undefined || to === undefined) return;
        const [stage] = topic.stages.splice(index, 1);
        if (stage !== undefined) topic.stages.splice(to, 0, stage);
      });
    case 'removeStage':
      return sales(draft, edit.op, ctx, (topic) => removeStage(topic, edit, ctx));
    case 'addOutcome':
      return sales(draft, edit.op, ctx, (topic) => {
        const list = outcomeList(topic, edit.stageId, ctx);
        if (list !== undefined) insert(list.outcomes, list.path, outcomeSchema, edit.outcome, edit.index, ctx);
      });
    case 'updateOutcome':
      return sales(draft, edit.op, ctx, (topic) => {
        const list = outcomeList(topic, edit.stageId, ctx);
        const index = list === undefined ? undefined : find(list.outcomes, edit.outcomeId, 'outcomeId', 'unknown_outcome', ctx);
        if (list === undefined || index === undefined) return;
        const changes = objectOrEmpty(edit.changes);
        if (changes.to != null && changes.finish != null) {
          report(ctx, issue('invalid_edit', at(ctx, 'changes'), ctx.locale, { detail: 'an outcome either moves (to) or finishes (finish), not both' }));
          return;
        }
        // Turning a move into a finish drops what only moves have, and the other way round.
        const dropped = changes.finish != null ? ['to', 'restartsStageClock'] : changes.to != null ? ['finish'] : [];
        update(list.outcomes, index, list.path, outcomeSchema, changes, dropped, ctx);
      });
    case 'removeOutcome':
      return sales(draft, edit.op, ctx, (topic) => {
        const list = outcomeList(topic, edit.stageId, ctx);
        const index = list === undefined ? undefined : find(list.outcomes, edit.outcomeId, 'outcomeId', 'unknown_outcome', ctx);
        if (list !== undefined && index !== undefined) list.outcomes.splice(index, 1);
      });
    case 'addOutcomeKind':
      return withKinds(draft, edit.op, ctx, (topic) => insert(topic.outcomeKinds, 'outcomeKinds', outcomeKindSchema, edit.kind, edit.index, ctx));
    case 'updateOutcomeKind':
      return withKinds(draft, edit.op, ctx, (topic) => {
        const index = find(topic.outcomeKinds, edit.kindId, 'kindId', 'unknown_kind', ctx);
        if (index !== undefined) update(topic.outcomeKinds, index, 'outcomeKinds', outcomeKindSchema, edit.changes, [], ctx);
      });
    case 'removeOutcomeKind':
      return withKinds(draft, edit.op, ctx, (topic) => removeKind(topic, edit.kindId, ctx));
    case 'addField':
      return sales(draft, edit.op, ctx, (topic) => insert(topic.fields, 'fields', fieldSchema, edit.field, edit.index, ctx));
    case 'updateField':
      return sales(draft, edit.op, ctx, (topic) => {
        const index = find(topic.fields, edit.fieldId, 'fieldId', 'unknown_field', ctx);
        const field = index === undefined ? undefined : topic.fields[index];
        if (index === undefined || field === undefined) return;
        const changes = objectOrEmpty(edit.changes);
        // A field of another type keeps only what every field has.
        const dropped = changes.type != null && changes.type !== field.type ? Object.keys(field).filter((key) => !['id', 'name', 'description'].includes(key)) : [];
        update(topic.fields, index, 'fields', fieldSchema, changes, dropped, ctx);
      });
    case 'removeField':
      return sales(draft, edit.op, ctx, (topic) => removeField(topic, edit.fieldId, ctx));
    case 'addDocument':
      return sales(draft, edit.op, ctx, (topic) => insert(topic.documents, 'documents', documentSchema, edit.document, edit.index, ctx));
    case 'updateDocument':
      return sales(draft, edit.op, ctx, (topic) => {
        const index = find(topic.documents, edit.documentId, 'documentId', 'unknown_document', ctx);
        if (index !== undefined) update(topic.documents, index, 'documents', documentSchema, edit.changes, [], ctx);
      });
    case 'removeDocument':
      return sales(draft, edit.op, ctx, (topic) => {
        const index = find(topic.documents, edit.documentId, 'documentId', 'unknown_document', ctx);
        if (index !== undefined) topic.documents.splice(index, 1);
      });
    default: {
      const op: unknown = (edit as { op?: unknown }).op;
      report(ctx, issue('invalid_edit', at(ctx, 'op'), ctx.locale, { detail: `unknown operation ${JSON.stringify(op) ?? 'undefined'}` }));
    }
  }
}

/** Runs a sales-only edit, or reports that the topic is of another kind (S23). */
function sales(draft: Draft<TopicDefinition>, op: TopicEditOp, ctx: Context, run: (topic: SalesDraft) => void): void {
  if (draft.kind === 'sales') run(draft);
  else report(ctx, issue('wrong_topic_kind', at(ctx, 'op'), ctx.locale, { op, expected: 'sales', kind: draft.kind }));
}

/** Runs an edit of outcome kinds: sales (S27) and audit (S37) topics have them. */
function withKinds(draft: Draft<TopicDefinition>, op: TopicEditOp, ctx: Context, run: (topic: Draft<SalesTopic | AuditTopic>) => void): void {
  if (draft.kind === 'service') report(ctx, issue('wrong_topic_kind', at(ctx, 'op'), ctx.locale, { op, expected: 'sales or audit', kind: draft.kind }));
  else run(draft);
}

function updateTopic(draft: Draft<TopicDefinition>, changes: TopicChanges, ctx: Context): void {
  if (!isObject(changes)) {
    report(ctx, issue('invalid_edit', at(ctx, 'changes'), ctx.locale, { detail: 'expected an object of changes' }));
    return;
  }
  const target = draft as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (!TOPIC_KEYS.has(key)) {
      report(ctx, issue('invalid_edit', at(ctx, 'changes', key), ctx.locale, { detail: `"${key}" cannot be changed here` }));
      continue;
    }
    if (value === null) Reflect.deleteProperty(target, key);
    else if (value !== undefined) target[key] = value;
  }
}

const TOPIC_KEYS: ReadonlySet<string> = new Set(['name', 'group', 'instruction', 'script', 'maxDuration', 'calendar']);

/** Adds an item at a position (the end by default), with its defaults filled in. */
function insert<S extends z.ZodType>(list: unknown[], path: string, schema: S, input: unknown, index: number | undefined, ctx: Context): void {
  const to = index === undefined ? list.length : position(index, list.length, ctx);
  if (to === undefined) return;
  const parsed = parseItem(schema, input, [...pathKeys(path), to], ctx);
  if (parsed !== undefined) list.splice(to, 0, parsed);
}

/** Replaces an item by itself with the changes merged in, validated by its schema. */
function update<S extends z.ZodType>(
  list: unknown[],
  index: number,
  path: string,
  schema: S,
  changes: unknown,
  dropped: readonly string[],
  ctx: Context,
): void {
  if (!isObject(changes)) {
    report(ctx, issue('invalid_edit', at(ctx, 'changes'), ctx.locale, { detail: 'expected an object of changes' }));
    return;
  }
  const entries = Object.entries(changes);
  const fixed = entries.find(([key]) => key === 'id' || (key === 'outcomes' && path === 'stages'));
  if (fixed !== undefined) {
    const detail = fixed[0] === 'id' ? 'ids never change: deals and histories refer to them' : 'outcomes have their own edits';
    report(ctx, issue('invalid_edit', at(ctx, 'changes', fixed[0]), ctx.locale, { detail }));
    return;
  }
  const changed = new Set([...entries.map(([key]) => key), ...dropped]);
  const kept = Object.entries(plain(list[index])).filter(([key]) => !changed.has(key));
  const merged = Object.fromEntries([...kept, ...entries.filter(([, value]) => value !== null && value !== undefined)]);
  const parsed = parseItem(schema, merged, [...pathKeys(path), index], ctx);
  if (parsed !== undefined) list[index] = reuse(base(list[index]), parsed);
}

function removeStage(topic: SalesDraft, edit: Extract<TopicEdit, { op: 'removeStage' }>, ctx: Context): void {
  const index = find(topic.stages, edit.stageId, 'stageId', 'unknown_stage', ctx);
  if (index === undefined) return;
  const stageId = edit.stageId;
  const redirect = objectOrEmpty(edit.redirect) as Readonly<Record<string, unknown>>;
  const targets = new Set(topic.stages.filter((stage) => stage.id !== stageId).map((stage) => stage.id));
  const checkTarget = (target: unknown, path: PropertyKey[]): boolean => {
    if (typeof target === 'string' && targets.has(target)) return true;
    report(ctx, issue('invalid_redirect', at(ctx, ...path), ctx.locale, { detail: `${JSON.stringify(target) ?? 'undefined'} is not a stage that stays in the topic` }));
    return false;
  };
  if (edit.redirectTo !== undefined && !checkTarget(edit.redirectTo, ['redirectTo'])) return;
  for (const [key, target] of Object.entries(redirect)) if (!checkTarget(target, ['redirect', key])) return;

  const used = new Set<string>();
  const retarget = (outcomes: Draft<SalesTopic['globalOutcomes']>, path: string, where: string): void => {
    outcomes.forEach((outcome, o) => {
      if (!('to' in outcome) || outcome.to !== stageId) return;
      const target = Object.hasOwn(redirect, outcome.id) ? redirect[outcome.id] : edit.redirectTo;
      if (typeof target === 'string') {
        outcome.to = target;
        used.add(outcome.id);
      } else {
        report(ctx, issue('stage_in_use', `${path}[${o}].to`, ctx.locale, { outcome: outcome.id, where, stage: stageId }, outcome.id));
      }
    });
  };
  topic.stages.forEach((stage, s) => {
    if (s !== index) retarget(stage.outcomes, `stages[${s}].outcomes`, `stage "${stage.id}"`);
  });
  retarget(topic.globalOutcomes, 'globalOutcomes', 'global');
  for (const key of Object.keys(redirect)) {
    if (!used.has(key)) report(ctx, issue('invalid_redirect', at(ctx, 'redirect', key), ctx.locale, { detail: `no outcome "${key}" moves to stage "${stageId}"` }));
  }
  if (ctx.issues.length > 0) return;
  topic.stages.splice(index, 1);
  // Templates tied to the stage follow its deals to `redirectTo`, or lose the stage.
  for (const document of topic.documents) {
    if (document.stages === undefined || !document.stages.includes(stageId)) continue;
    const kept = document.stages.filter((id) => id !== stageId);
    if (edit.redirectTo !== undefined && !kept.includes(edit.redirectTo)) kept.push(edit.redirectTo);
    document.stages = kept;
  }
}

function removeKind(topic: Draft<SalesTopic | AuditTopic>, kindId: string, ctx: Context): void {
  const index = find(topic.outcomeKinds, kindId, 'kindId', 'unknown_kind', ctx);
  if (index === undefined) return;
  if (topic.kind === 'sales') {
    const check = (outcomes: Draft<SalesTopic['globalOutcomes']>, path: string, where: string): void =>
      outcomes.forEach((outcome, o) => {
        const k = outcome.kinds?.indexOf(kindId) ?? -1;
        if (k >= 0) report(ctx, issue('kind_in_use', `${path}[${o}].kinds[${k}]`, ctx.locale, { outcome: outcome.id, where, kind: kindId }, kindId));
      });
    topic.stages.forEach((stage, s) => check(stage.outcomes, `stages[${s}].outcomes`, `stage "${stage.id}"`));
    check(topic.globalOutcomes, 'globalOutcomes', 'global');
  }
  if (ctx.issues.length === 0) topic.outcomeKinds.splice(index, 1);
}

function removeField(topic: SalesDraft, fieldId: string, ctx: Context): void {
  const index = find(topic.fields, fieldId, 'fieldId', 'unknown_field', ctx);
  if (index === undefined) return;
  topic.stages.forEach((stage, s) => {
    const f = stage.requiredFields.indexOf(fieldId);
    if (f >= 0) report(ctx, issue('field_in_use', `stages[${s}].requiredFields[${f}]`, ctx.locale, { stage: stage.id, field: fieldId }, fieldId));
    stage.outcomes.forEach((outcome, o) => {
      const r = outcome.requiredFields?.indexOf(fieldId) ?? -1;
      if (r >= 0) report(ctx, issue('field_required_by_outcome', `stages[${s}].outcomes[${o}].requiredFields[${r}]`, ctx.locale, { outcome: outcome.id, field: fieldId }, fieldId));
    });
  });
  topic.globalOutcomes.forEach((outcome, o) => {
    const r = outcome.requiredFields?.indexOf(fieldId) ?? -1;
    if (r >= 0) report(ctx, issue('field_required_by_outcome', `globalOutcomes[${o}].requiredFields[${r}]`, ctx.locale, { outcome: outcome.id, field: fieldId }, fieldId));
  });
  if (ctx.issues.length === 0) topic.fields.splice(index, 1);
}

/** The outcomes of a stage, or the global ones for `null`, with their path. */
function outcomeList(topic: SalesDraft, stageId: string | null, ctx: Context): { outcomes: Draft<SalesTopic['globalOutcomes']>; path: string } | undefined {
  if (stageId === null) return { outcomes: topic.globalOutcomes, path: 'globalOutcomes' };
  const index = find(topic.stages, stageId, 'stageId', 'unknown_stage', ctx);
  const stage = index === undefined ? undefined : topic.stages[index];
  return stage === undefined ? undefined : { outcomes: stage.outcomes, path: `stages[${index}].outcomes` };
}

function find(list: readonly Item[], id: unknown, key: string, code: string, ctx: Context): number | undefined {
  const index = list.findIndex((item) => item.id === id);
  if (index >= 0) return index;
  report(ctx, issue(code, at(ctx, key), ctx.locale, { id: String(id) }, typeof id === 'string' ? id : undefined));
  return undefined;
}

/** A whole position from 0 to `max`, or an issue. */
function position(index: unknown, max: number, ctx: Context): number | undefined {
  if (Number.isInteger(index) && (index as number) >= 0 && (index as number) <= max) return index as number;
  report(ctx, issue('invalid_position', at(ctx, 'index'), ctx.locale, { index: String(index), max }, typeof index === 'number' ? index : undefined));
  return undefined;
}

function parseItem<S extends z.ZodType>(schema: S, input: unknown, path: readonly PropertyKey[], ctx: Context): z.output<S> | undefined {
  const parsed = schema.safeParse(input, zodParseOptions(ctx.locale));
  if (parsed.success) return parsed.data;
  ctx.issues.push(...fromZodIssues(parsed.error.issues, ctx.locale, path));
  return undefined;
}

/** The keys of a simple path such as `stages[2].outcomes`. */
function pathKeys(path: string): PropertyKey[] {
  return path.split(/\.|\[|\]/).filter((part) => part !== '').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** A plain snapshot of a draft (or the value itself when it is not one). */
function plain(value: unknown): Record<string, unknown> {
  const snapshot: unknown = isDraft(value) ? current(value) : value;
  return typeof snapshot === 'object' && snapshot !== null ? { ...(snapshot as Record<string, unknown>) } : {};
}

/** The object a draft was made from (shared with the input), or the value itself. */
function base(value: unknown): unknown {
  return isDraft(value) ? original(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own entries of a change object whose value is not `undefined`: an absent value changes nothing. */
function definedOnly(value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined));
}

function objectOrEmpty<T>(value: T | undefined): Partial<T> & Record<string, unknown> {
  return (typeof value === 'object' && value !== null ? value : {}) as Partial<T> & Record<string, unknown>;
}

/**
 * `next` with every part that equals the same part of `previous` replaced by
 * that part of `previous`, so that untouched parts keep their identity.
 */
function reuse(previous: unknown, next: unknown): unknown {
  if (previous === next || typeof previous !== 'object' || typeof next !== 'object' || previous === null || next === null) return next;
  if (Array.isArray(previous) !== Array.isArray(next)) return next;
  if (Array.isArray(previous) && Array.isArray(next)) {
    const items = next.map((item, index) => reuse(previous[index], item));
    return previous.length === items.length && items.every((item, index) => item === previous[index]) ? previous : items;
  }
  const before = previous as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const keys = Object.keys(after);
  const entries = keys.map((key) => [key, Object.hasOwn(before, key) ? reuse(before[key], after[key]) : after[key]] as const);
  const same = keys.length === Object.keys(before).length && entries.every(([key, value]) => Object.hasOwn(before, key) && value === before[key]);
  return same ? previous : Object.fromEntries(entries);
}

/** Why an actor may not edit topics (S2): not a valid actor at all, or one without the right. */
function permission(actor: CrmUser, locale: Locale): { ok: false; issues: TopicIssue[] } | undefined {
  const valid = readActor(actor);
  if (valid === undefined) return { ok: false, issues: [issue('invalid_actor', 'actor', locale)] };
  return canEditTopic(valid) ? undefined : { ok: false, issues: [issue('not_permitted', '', locale, { actor: valid.id })] };
}

function report(ctx: Context, found: TopicIssue): void {
  ctx.issues.push(found);
}

/** The path of a part of the edit, prefixed with its position in a batch. */
function at(ctx: Context, ...keys: PropertyKey[]): string {
  return formatPath([...ctx.prefix, ...keys]);
}

type Params = Readonly<Record<string, string | number>>;

const RULES: Readonly<Record<string, string>> = {
  not_permitted: 'S2',
  invalid_actor: 'S2',
  wrong_topic_kind: 'S23',
  stage_in_use: 'S9',
  kind_in_use: 'S27',
  field_in_use: 'S29',
  field_required_by_outcome: 'S29',
  unknown_stage: 'S7',
  unknown_outcome: 'S8',
  unknown_kind: 'S27',
  unknown_field: 'S29',
  unknown_document: 'S28',
  invalid_position: 'S7',
  invalid_redirect: 'S9',
  invalid_edit: 'input',
};

/*
 * Messages of the codes only editing reports. They belong with the others in
 * messages.ts; they are here until that file takes them.
 */

function issue(code: string, path: string, locale: Locale, params: Params = {}, value?: string | number): TopicIssue {
  const text = message(code, locale, params);
  const rule = RULES[code];
  return { severity: 'error', code, path, message: text ?? code, ...(rule === undefined ? {} : { rule }), ...(value === undefined ? {} : { value }) };
}
