/**
 * What changed between two versions of a topic, as data a screen or a CLI can
 * print line by line.
 *
 * @module
 */
import type { Outcome, TopicDefinition } from '../definition/schema.js';

/**
 * The kinds of change {@link diffTopics} reports.
 *
 * - `topic-changed`: a property of the topic itself (`name`, `group`, `instruction`, `script`, `calendar`, `access`, or `kind`/`id` when two different topics are compared).
 * - `deal-limit-changed`: the maximum deal duration (S3, S24).
 * - `deadline-approval-changed`: whether a deadline change needs approval, or who approves it (S25).
 * - `stage-added`, `stage-removed`, `stage-renamed`, `stage-moved` (S6, S7).
 * - `stage-limit-changed`: a stage's `maxDuration` (S6) or `idleLimit`.
 * - `stage-changed`: a stage's `comment` (S6), `probability` or `plans`.
 * - `required-fields-changed`: the fields a stage requires before a deal enters.
 * - `outcome-added`, `outcome-removed`, `outcome-retargeted` (another stage, or move ↔ finish, or the other finish: S8–S12), `outcome-changed` (any other property).
 * - `outcome-kind-added`, `-removed`, `-changed` (S27); `field-added`, `-removed`, `-changed` (S29); `document-added`, `-removed`, `-changed` (S28).
 * - `parameter-changed`: a sales parameter (S4, S5, S32–S35).
 *
 * @example
 * const limits = diffTopics(v1, v2).filter((change) => change.type === 'stage-limit-changed' || change.type === 'deal-limit-changed');
 */
export type TopicChangeType =
  | 'topic-changed'
  | 'deal-limit-changed'
  | 'deadline-approval-changed'
  | 'stage-added'
  | 'stage-removed'
  | 'stage-renamed'
  | 'stage-moved'
  | 'stage-limit-changed'
  | 'stage-changed'
  | 'required-fields-changed'
  | 'outcome-added'
  | 'outcome-removed'
  | 'outcome-retargeted'
  | 'outcome-changed'
  | 'outcome-kind-added'
  | 'outcome-kind-removed'
  | 'outcome-kind-changed'
  | 'field-added'
  | 'field-removed'
  | 'field-changed'
  | 'document-added'
  | 'document-removed'
  | 'document-changed'
  | 'parameter-changed';

/**
 * One change between two versions of a topic. Plain JSON data.
 *
 * `path` points into the new version for added and changed parts, and into
 * the old version for removed ones. `before` and `after` hold the old and
 * new value of what changed (absent when there was none), `message` says it
 * in one English sentence.
 *
 * @example
 * const change: TopicChange = {
 *   type: 'stage-limit-changed',
 *   path: 'stages[2].maxDuration',
 *   rule: 'S6',
 *   stageId: 'offer',
 *   id: 'offer',
 *   property: 'maxDuration',
 *   before: 'P3D',
 *   after: 'P1D',
 *   message: 'Stage "offer": maxDuration P3D → P1D.',
 * };
 */
export interface TopicChange {
  readonly type: TopicChangeType;
  readonly path: string;
  readonly message: string;
  /** The rule of the source documents the changed part carries. */
  readonly rule?: string;
  /** The stage concerned: the stage itself, or the stage of an outcome (absent for global outcomes). */
  readonly stageId?: string;
  /** The id of the changed item: stage, outcome, outcome kind, field or document. */
  readonly id?: string;
  /** The property that changed, e.g. `maxDuration` or `afterClose.plannedActivities`. */
  readonly property?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

type Item = { readonly id: string };
type Stage = Extract<TopicDefinition, { kind: 'sales' }>['stages'][number];

/**
 * Lists what changed from one version of a topic to another, in a stable
 * order: the topic itself, its deal limit and deadline approval; then the
 * stages (removed ones first, in their old order; then every stage of the
 * new version in its order, each with its own changes and its outcomes');
 * then the global outcomes, outcome kinds, fields, documents and parameters.
 * Items are matched by id; a stage counts as moved when its place among the
 * stages both versions have changed (the fewest such stages are listed).
 * The `version` itself is not listed. Pass validated topics (`parseTopic`).
 *
 * @example
 * for (const change of diffTopics(v1, v2)) console.log(`${change.path}: ${change.message}`);
 * // stages[3]: Stage "contract" ("Договор") added at position 4.
 * // stages[2].outcomes[0].to: Outcome "accepted" of stage "offer" now moves to "contract" (was: moves to "payment").
 */
export function diffTopics(before: TopicDefinition, after: TopicDefinition): TopicChange[] {
  const changes: TopicChange[] = [];
  const push = (change: TopicChange): void => {
    changes.push(change);
  };
  topicProperties(before, after, push);
  stages(stagesOf(before), stagesOf(after), push);
  outcomes(globalsOf(before), globalsOf(after), 'globalOutcomes', 'globalOutcomes', undefined, push);
  items(kindsOf(before), kindsOf(after), 'outcomeKinds', 'outcome-kind', 'Outcome kind', before.kind === 'audit' || after.kind === 'audit' ? 'S37' : 'S27', push);
  items(fieldsOf(before), fieldsOf(after), 'fields', 'field', 'Field', 'S29', push);
  items(documentsOf(before), documentsOf(after), 'documents', 'document', 'Document', 'S28', push);
  parameters(before, after, push);
  return changes;
}

type Push = (change: TopicChange) => void;

const sales = (topic: TopicDefinition) => (topic.kind === 'sales' ? topic : undefined);
const stagesOf = (topic: TopicDefinition): readonly Stage[] => sales(topic)?.stages ?? [];
const globalsOf = (topic: TopicDefinition): readonly Outcome[] => sales(topic)?.globalOutcomes ?? [];
const kindsOf = (topic: TopicDefinition): readonly Item[] => (topic.kind === 'service' ? [] : topic.outcomeKinds);
const fieldsOf = (topic: TopicDefinition): readonly Item[] => sales(topic)?.fields ?? [];
const documentsOf = (topic: TopicDefinition): readonly Item[] => sales(topic)?.documents ?? [];

function topicProperties(before: TopicDefinition, after: TopicDefinition, push: Push): void {
  const rules: Record<string, string> = { kind: 'S23', id: 'versioning', name: 'S3', group: 'S13', instruction: 'S30', script: 'S31', calendar: 'calendar', access: 'access' };
  for (const property of ['id', 'kind', 'name', 'group', 'instruction', 'script', 'calendar', 'access']) {
    const old = get(before, property);
    const now = get(after, property);
    if (same(old, now)) continue;
    push({ type: 'topic-changed', path: property, rule: rules[property], property, ...values(old, now), message: `Topic ${property}: ${show(old)} → ${show(now)}.` });
  }
  const oldLimit = get(before, 'maxDuration');
  const newLimit = get(after, 'maxDuration');
  if (!same(oldLimit, newLimit)) {
    push({
      type: 'deal-limit-changed',
      path: 'maxDuration',
      rule: 'S24',
      property: 'maxDuration',
      ...values(oldLimit, newLimit),
      message: `Maximum deal duration: ${show(oldLimit)} → ${show(newLimit)}.`,
    });
  }
  const oldApproval = get(before, 'deadlineChange');
  const newApproval = get(after, 'deadlineChange');
  if (!same(oldApproval, newApproval)) {
    push({
      type: 'deadline-approval-changed',
      path: 'deadlineChange',
      rule: 'S25',
      property: 'deadlineChange',
      ...values(oldApproval, newApproval),
      message: `Deadline changes: ${approvalText(oldApproval)} → ${approvalText(newApproval)}.`,
    });
  }
}

function stages(before: readonly Stage[], after: readonly Stage[], push: Push): void {
  const oldIndex = new Map(before.map((stage, index) => [stage.id, index]));
  const newIds = new Set(after.map((stage) => stage.id));
  before.forEach((stage, index) => {
    if (!newIds.has(stage.id)) {
      push({ type: 'stage-removed', path: `stages[${index}]`, rule: 'S7', stageId: stage.id, id: stage.id, before: stage, message: `Stage ${label(stage)} removed (was at position ${index + 1}).` });
    }
  });
  const moved = movedIds(before, after);
  after.forEach((stage, index) => {
    const path = `stages[${index}]`;
    const previousIndex = oldIndex.get(stage.id);
    const old = previousIndex === undefined ? undefined : before[previousIndex];
    if (old === undefined || previousIndex === undefined) {
      push({ type: 'stage-added', path, rule: 'S7', stageId: stage.id, id: stage.id, after: stage, message: `Stage ${label(stage)} added at position ${index + 1}.` });
      return;
    }
    const base = { stageId: stage.id, id: stage.id };
    if (moved.has(stage.id)) {
      push({ type: 'stage-moved', path, rule: 'S7', ...base, property: 'position', before: previousIndex, after: index, message: `Stage "${stage.id}" moved from position ${previousIndex + 1} to ${index + 1}.` });
    }
    if (old.name !== stage.name) {
      push({ type: 'stage-renamed', path: `${path}.name`, rule: 'S6', ...base, property: 'name', before: old.name, after: stage.name, message: `Stage "${stage.id}" renamed: ${JSON.stringify(old.name)} → ${JSON.stringify(stage.name)}.` });
    }
    for (const property of ['maxDuration', 'idleLimit'] as const) {
      if (same(old[property], stage[property])) continue;
      push({
        type: 'stage-limit-changed',
        path: `${path}.${property}`,
        rule: property === 'maxDuration' ? 'S6' : 'idle limit',
        ...base,
        property,
        ...values(old[property], stage[property]),
        message: `Stage "${stage.id}": ${property} ${show(old[property])} → ${show(stage[property])}.`,
      });
    }
    for (const property of ['comment', 'probability', 'plans'] as const) {
      if (same(old[property], stage[property])) continue;
      push({
        type: 'stage-changed',
        path: `${path}.${property}`,
        rule: property === 'comment' ? 'S6' : property === 'plans' ? 'stage plans' : 'forecast',
        ...base,
        property,
        ...values(old[property], stage[property]),
        message: `Stage "${stage.id}": ${property} ${show(old[property])} → ${show(stage[property])}.`,
      });
    }
    if (!same(old.requiredFields, stage.requiredFields)) {
      const added = stage.requiredFields.filter((id) => !old.requiredFields.includes(id));
      const removed = old.requiredFields.filter((id) => !stage.requiredFields.includes(id));
      const parts = [added.length > 0 ? `now requires ${added.join(', ')}` : '', removed.length > 0 ? `no longer requires ${removed.join(', ')}` : ''].filter(Boolean);
      push({
        type: 'required-fields-changed',
        path: `${path}.requiredFields`,
        rule: 'S29',
        ...base,
        property: 'requiredFields',
        before: old.requiredFields,
        after: stage.requiredFields,
        message: `Stage "${stage.id}" ${parts.length > 0 ? parts.join(' and ') : 'lists its required fields in another order'}.`,
      });
    }
    outcomes(old.outcomes, stage.outcomes, `stages[${previousIndex}].outcomes`, `${path}.outcomes`, stage.id, push);
  });
}

/**
 * The stages that changed place among the stages both versions have: all
 * but a longest run that kept its relative order.
 */
function movedIds(before: readonly Item[], after: readonly Item[]): Set<string> {
  const newIndex = new Map(after.map((item, index) => [item.id, index]));
  const common = before.filter((item) => newIndex.has(item.id));
  const sequence = common.map((item) => newIndex.get(item.id) as number);
  const kept = longestIncreasing(sequence);
  return new Set(common.filter((_, index) => !kept.has(index)).map((item) => item.id));
}

/** The positions of a longest strictly increasing subsequence (patience sorting). */
function longestIncreasing(sequence: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = [];
  sequence.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((sequence[tails[middle] as number] as number) < value) low = middle + 1;
      else high = middle;
    }
    previous[index] = low > 0 ? (tails[low - 1] as number) : -1;
    tails[low] = index;
  });
  const kept = new Set<number>();
  for (let index = tails.at(-1) ?? -1; index >= 0; index = previous[index] as number) kept.add(index);
  return kept;
}

function outcomes(before: readonly Outcome[], after: readonly Outcome[], oldPath: string, newPath: string, stageId: string | undefined, push: Push): void {
  const where = stageId === undefined ? 'Global outcome' : 'Outcome';
  const of = stageId === undefined ? '' : ` of stage "${stageId}"`;
  const base = stageId === undefined ? {} : { stageId };
  const oldById = new Map(before.map((outcome) => [outcome.id, outcome]));
  const newIds = new Set(after.map((outcome) => outcome.id));
  before.forEach((outcome, index) => {
    if (!newIds.has(outcome.id)) {
      push({ type: 'outcome-removed', path: `${oldPath}[${index}]`, rule: 'S8', ...base, id: outcome.id, before: outcome, message: `${where} ${label(outcome)}${of} removed.` });
    }
  });
  after.forEach((outcome, index) => {
    const path = `${newPath}[${index}]`;
    const old = oldById.get(outcome.id);
    if (old === undefined) {
      push({ type: 'outcome-added', path, rule: 'S8', ...base, id: outcome.id, after: outcome, message: `${where} ${label(outcome)}${of} added: ${target(outcome)}.` });
      return;
    }
    if (target(old) !== target(outcome)) {
      const property = 'finish' in outcome ? 'finish' : 'to';
      push({
        type: 'outcome-retargeted',
        path: `${path}.${property}`,
        rule: 'finish' in outcome || 'finish' in old ? 'S12' : 'S9',
        ...base,
        id: outcome.id,
        property,
        before: 'finish' in old ? { finish: old.finish } : { to: old.to },
        after: 'finish' in outcome ? { finish: outcome.finish } : { to: outcome.to },
        message: `${where} "${outcome.id}"${of} now ${target(outcome)} (was: ${target(old)}).`,
      });
    }
    for (const property of propertiesOf(old, outcome)) {
      if (['id', 'to', 'finish'].includes(property)) continue;
      const was = get(old, property);
      const now = get(outcome, property);
      if (same(was, now)) continue;
      push({
        type: 'outcome-changed',
        path: `${path}.${property}`,
        rule: property === 'kinds' || property === 'kindRequired' ? 'S27' : property === 'restartsStageClock' ? 'S10' : 'S8',
        ...base,
        id: outcome.id,
        property,
        ...values(was, now),
        message: `${where} "${outcome.id}"${of}: ${property} ${show(was)} → ${show(now)}.`,
      });
    }
  });
}

/** Added, removed and changed items of a list matched by id: outcome kinds, fields, documents. */
function items(before: readonly Item[], after: readonly Item[], list: string, type: 'outcome-kind' | 'field' | 'document', noun: string, rule: string, push: Push): void {
  const oldById = new Map(before.map((item) => [item.id, item]));
  const newIds = new Set(after.map((item) => item.id));
  before.forEach((item, index) => {
    if (!newIds.has(item.id)) push({ type: `${type}-removed`, path: `${list}[${index}]`, rule, id: item.id, before: item, message: `${noun} ${label(item)} removed.` });
  });
  after.forEach((item, index) => {
    const path = `${list}[${index}]`;
    const old = oldById.get(item.id);
    if (old === undefined) {
      push({ type: `${type}-added`, path, rule, id: item.id, after: item, message: `${noun} ${label(item)} added.` });
      return;
    }
    for (const property of propertiesOf(old, item)) {
      const was = get(old, property);
      const now = get(item, property);
      if (property === 'id' || same(was, now)) continue;
      push({ type: `${type}-changed`, path: `${path}.${property}`, rule, id: item.id, property, ...values(was, now), message: `${noun} "${item.id}": ${property} ${show(was)} → ${show(now)}.` });
    }
  });
}

const PARAMETER_RULES: Readonly<Record<string, string>> = {
  concurrentDeals: 'S32',
  planning: 'S33',
  closeOn: 'S34',
  'afterClose.plannedActivities': 'S35',
  'afterClose.unpaidInvoices': 'S35',
  plannedContacts: 'S4',
  sharedAssignmentOnFinish: 'S5',
};

function parameters(before: TopicDefinition, after: TopicDefinition, push: Push): void {
  const old = flatten(get(before, 'parameters'));
  const now = flatten(get(after, 'parameters'));
  const keys = [...Object.keys(PARAMETER_RULES), ...[...old.keys(), ...now.keys()].filter((key) => !Object.hasOwn(PARAMETER_RULES, key))];
  for (const property of new Set(keys)) {
    const was = old.get(property);
    const value = now.get(property);
    if (same(was, value)) continue;
    push({
      type: 'parameter-changed',
      path: `parameters.${property}`,
      rule: PARAMETER_RULES[property] ?? 'parameters',
      property,
      ...values(was, value),
      message: `Parameter ${property}: ${show(was)} → ${show(value)}.`,
    });
  }
}

/** The parameters by property, with `afterClose` split into its two parts. */
function flatten(parameters: unknown): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  if (typeof parameters !== 'object' || parameters === null) return flat;
  for (const [key, value] of Object.entries(parameters)) {
    if (key === 'afterClose' && typeof value === 'object' && value !== null) {
      for (const [part, setting] of Object.entries(value)) flat.set(`afterClose.${part}`, setting);
    } else {
      flat.set(key, value);
    }
  }
  return flat;
}

function target(outcome: Outcome): string {
  return 'to' in outcome ? `moves to "${outcome.to}"` : `finishes ${outcome.finish}ly`;
}

function approvalText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'none';
  const { approval, approvers, selfApproval } = value as { approval?: string; approvers?: readonly Record<string, string>[]; selfApproval?: boolean };
  if (approval !== 'required') return 'no approval';
  const names = (approvers ?? []).map((approver) => ('role' in approver ? `role ${approver.role}` : `user ${approver.userId}`));
  return `approval by ${names.length > 0 ? names.join(', ') : 'nobody'}${selfApproval === true ? ', the requester included' : ''}`;
}

function label(item: Item & { readonly name?: string }): string {
  return item.name === undefined ? `"${item.id}"` : `"${item.id}" (${JSON.stringify(item.name)})`;
}

function propertiesOf(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function get(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function values(before: unknown, after: unknown): { before?: unknown; after?: unknown } {
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/** Deep equality of JSON data. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return keysA.length === keysB.length && keysA.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function show(value: unknown): string {
  if (value === undefined) return 'none';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
