import { parseTopic, type ParseOptions } from '../definition/parse.js';
import { kindFitsOutcome, kindsForOutcome } from '../definition/kinds.js';
import type { Calendar, Outcome, OutcomeKind, SalesTopic, TopicDefinition } from '../definition/schema.js';
import { compileCalendar } from '../time/calendar.js';
import { parseDuration, type Duration } from '../time/duration.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { markCompiled } from './compiled-brand.js';
import { buildTopicEventMachine } from '../events/machine.js';
import type { CompiledEventTopic, CompiledOutcome, CompiledSalesTopic, CompiledStage, CompiledStagePlan, CompiledTopic } from './compiled-topic.js';
import { buildDealMachine } from './machine.js';
import { ReadonlyIndex, StageOutcomes } from './readonly-index.js';

/** Outcomes that require no field share one empty list, and stages that plan nothing another. */
const NO_FIELDS: readonly string[] = Object.freeze([]);
const NO_PLANS: readonly CompiledStagePlan[] = Object.freeze([]);

/** Options of {@link compileTopic}. Lint errors always stop compilation: a machine cannot be built from a topic whose outcomes point nowhere. */
export interface CompileOptions {
  /** The language of the validation messages. */
  readonly locale?: ParseOptions['locale'];
  /** A working calendar to use when the topic names none (issue-free default: calendar time). */
  readonly calendar?: Calendar;
}

/**
 * Validates a topic (schema and lint, like `parseTopic`) and compiles it into
 * a frozen {@link CompiledTopic}: stages, outcomes, kinds and fields indexed by
 * id, limits parsed, and the XState machine built from the same index (on
 * first use of `compiled.machine`). Throws
 * a `TopicValidationError` for an invalid topic; the input is never modified.
 *
 * A topic whose `kind` TypeScript knows (a literal, or a `SalesTopic`)
 * compiles to that kind's type; parsed JSON (`unknown`) to the union.
 *
 * @example
 * const compiled = compileTopic(standardTopic); // a CompiledSalesTopic: no kind check needed
 * compiled.stages.get('offer')?.outcomes.get('accepted')?.to; // 'payment'
 */
export function compileTopic(input: { readonly kind: 'sales'; readonly [key: string]: unknown }, options?: CompileOptions): CompiledSalesTopic;
export function compileTopic(input: { readonly kind: 'audit' | 'service'; readonly [key: string]: unknown }, options?: CompileOptions): CompiledEventTopic;
export function compileTopic(input: unknown, options?: CompileOptions): CompiledTopic;
export function compileTopic(input: unknown, options: CompileOptions = {}): CompiledTopic {
  const parseOptions = { locale: options.locale ?? 'en', lint: true } as const;
  const parsed = parseTopic(input, parseOptions);
  // A calendar passed here joins the definition and is validated like one written in it.
  const topic =
    options.calendar !== undefined && parsed.kind === 'sales' && parsed.calendar === undefined
      ? parseTopic({ ...parsed, calendar: options.calendar }, parseOptions)
      : parsed;
  return topic.kind === 'sales' ? compileSales(deepFreeze(topic)) : compileEvents(deepFreeze(topic));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function compileSales(topic: SalesTopic): CompiledSalesTopic {
  const kinds = new ReadonlyIndex(topic.outcomeKinds.map((kind) => [kind.id, kind] as const));
  // Outcomes that list no kinds take every kind of a fitting polarity: one shared set per polarity, not one per outcome.
  const kindSets = new Map<string, ReadonlyMap<string, OutcomeKind>>();
  // What kindsForOutcome returns for an outcome that lists kinds, found by id instead of scanning every kind of the topic.
  const kindOrder = new Map(topic.outcomeKinds.map((kind, position) => [kind.id, position]));
  const listedKinds = (outcome: Outcome, ids: readonly string[]): OutcomeKind[] =>
    [...new Set(ids)]
      .flatMap((id) => {
        const position = kindOrder.get(id);
        const kind = position === undefined ? undefined : topic.outcomeKinds[position];
        return kind !== undefined && kindFitsOutcome(kind, outcome) ? [{ kind, position: position ?? 0 }] : [];
      })
      .sort((a, b) => a.position - b.position)
      .map((entry) => entry.kind);
  const kindsOf = (outcome: Outcome): ReadonlyMap<string, OutcomeKind> => {
    const index = (list: readonly OutcomeKind[]) => new ReadonlyIndex(list.map((kind) => [kind.id, kind] as const));
    // Outcomes that list the same kinds share one set too.
    const key = `${'finish' in outcome ? outcome.finish : 'move'}${outcome.kinds === undefined ? '' : `:${outcome.kinds.join(',')}`}`;
    let set = kindSets.get(key);
    if (set === undefined) kindSets.set(key, (set = index(outcome.kinds === undefined ? kindsForOutcome(topic.outcomeKinds, outcome) : listedKinds(outcome, outcome.kinds))));
    return set;
  };
  const compileOutcome = (outcome: Outcome, stageId: string | null, global: boolean, outcomeKinds = kindsOf(outcome)): CompiledOutcome => {
    const to = 'to' in outcome ? outcome.to : null;
    return Object.freeze({
      id: outcome.id,
      name: outcome.name,
      definition: outcome,
      global,
      to,
      finish: 'finish' in outcome ? outcome.finish : null,
      cyclic: to !== null && to === stageId,
      restartsStageClock: 'to' in outcome && outcome.restartsStageClock,
      kindRequired: outcome.kindRequired,
      commentRequired: outcome.commentRequired,
      requiredFields: outcome.requiredFields ?? NO_FIELDS,
      amountRequired: outcome.amountRequired === true,
      kinds: outcomeKinds,
    });
  };
  // Global outcomes are compiled once and shared by every stage; only a global move is cyclic in its target stage, which keeps a copy.
  const globalOutcomes = new ReadonlyIndex(topic.globalOutcomes.map((outcome) => [outcome.id, compileOutcome(outcome, null, true)] as const));
  const cyclicGlobals = new Map<string, Map<string, CompiledOutcome>>();
  for (const shared of globalOutcomes.values()) {
    if (shared.to === null) continue;
    const copies = cyclicGlobals.get(shared.to) ?? new Map<string, CompiledOutcome>();
    copies.set(shared.id, compileOutcome(shared.definition, shared.to, true, shared.kinds));
    cyclicGlobals.set(shared.to, copies);
  }
  const documentStages = topic.documents.map((document) => (document.stages === undefined ? null : new Set(document.stages)));
  // Documents offered in every stage are one shared (frozen) list.
  const documentsEverywhere = documentStages.every((stages) => stages === null);
  const noOverrides = new ReadonlyIndex<string, CompiledOutcome>([]);
  const stageList = topic.stages.map((stage, index): CompiledStage => {
    const own = new ReadonlyIndex(stage.outcomes.map((outcome) => [outcome.id, compileOutcome(outcome, stage.id, false)] as const));
    const copies = cyclicGlobals.get(stage.id);
    return Object.freeze({
      id: stage.id,
      name: stage.name,
      index,
      definition: stage,
      limit: durationOf(stage.maxDuration),
      idleLimit: durationOf(stage.idleLimit),
      outcomes: new StageOutcomes(own, globalOutcomes, copies === undefined ? noOverrides : new ReadonlyIndex(copies)),
      negotiationsOngoing: stage.outcomes.length === 0,
      documents: documentsEverywhere ? topic.documents : topic.documents.filter((_, d) => documentStages[d]?.has(stage.id) ?? true),
      requiredFields: stage.requiredFields,
      plans: stage.plans === undefined ? NO_PLANS : Object.freeze(stage.plans.map((plan) => Object.freeze({ id: plan.id, kind: plan.kind, after: durationOf(plan.after) as Duration, title: plan.title }))),
    });
  });
  const firstStage = stageList[0];
  if (firstStage === undefined) throw new Error('unreachable: the schema requires at least one stage');
  const compiled: Mutable<CompiledSalesTopic> = {
    kind: 'sales',
    id: topic.id,
    version: topic.version,
    definition: topic,
    stageList,
    stages: new Map(stageList.map((stage) => [stage.id, stage])),
    firstStage,
    globalOutcomes,
    kinds,
    fields: new Map(topic.fields.map((field) => [field.id, field])),
    maxDuration: durationOf(topic.maxDuration),
    calendar: topic.calendar === undefined ? null : compileCalendar(topic.calendar),
    closeEvents: new Set(topic.parameters.closeOn.on === 'business-event' ? topic.parameters.closeOn.events : []),
    machine: undefined as unknown as CompiledSalesTopic['machine'],
  };
  // The machine's guards and actions call the rule functions with this very object.
  return withLazyMachine(compiled, () => buildDealMachine(compiled));
}

function compileEvents(topic: Exclude<TopicDefinition, SalesTopic>): CompiledEventTopic {
  const compiled: Mutable<CompiledEventTopic> = {
    kind: topic.kind,
    id: topic.id,
    version: topic.version,
    definition: topic,
    kinds: new Map((topic.kind === 'audit' ? topic.outcomeKinds : []).map((kind) => [kind.id, kind])),
    machine: undefined as unknown as CompiledEventTopic['machine'],
  };
  return withLazyMachine(compiled, () => buildTopicEventMachine(compiled));
}

/**
 * Freezes a compiled topic whose `machine` is built on first use: hosts that
 * only call the pure functions never pay for it, and it is built once.
 */
function withLazyMachine<T extends { machine: unknown }>(compiled: T, build: () => T['machine']): T {
  let machine: T['machine'] | undefined;
  Object.defineProperty(compiled, 'machine', { enumerable: true, get: () => (machine ??= build()) });
  return markCompiled(Object.freeze(compiled));
}

function durationOf(text: string | undefined): Duration | null {
  return text === undefined ? null : (parseDuration(text) ?? null);
}
