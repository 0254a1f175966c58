import type { CrmUser } from '../access/actor.js';
import type { CompiledOutcome, CompiledTopic } from '../compile/compiled-topic.js';
import type { OutcomeKind } from '../definition/schema.js';
import { isCompiledTopic } from '../compile/compiled-brand.js';
import { applyEvent } from './apply.js';
import type { Deal } from './deal.js';
import type { DealError } from './errors.js';

/** An outcome a CRM screen offers as a button, with whether it may be recorded now. */
export interface AvailableOutcome {
  readonly id: string;
  readonly name: string;
  /** The stage it moves to, or `null` for a finish. */
  readonly to: string | null;
  readonly finish: 'positive' | 'negative' | null;
  readonly cyclic: boolean;
  readonly global: boolean;
  /** The kinds the dialog should offer (S27). */
  readonly kinds: readonly OutcomeKind[];
  readonly kindRequired: boolean;
  readonly commentRequired: boolean;
  /** Fields the outcome requires, for the dialog to ask for (with the outcome or before). */
  readonly requiredFields: readonly string[];
  /** Whether it requires the deal's amount, for the dialog to ask for. */
  readonly amountRequired: boolean;
  /** Whether recording it now would be accepted, given a kind and comment where required. */
  readonly allowed: boolean;
  /** Why not, when not allowed: the very error `applyEvent` would return. */
  readonly error?: DealError;
}

/**
 * The outcomes of the deal's current stage and the topic's global outcomes,
 * in that order, each with whether it may be recorded at `at` by `actor`
 * and, if not, the error it would get (planning S33, required fields, a
 * finished deal…). The decision is `applyEvent`'s own, made on a probe event
 * that carries a kind and a comment where the outcome needs them, so the
 * buttons never disagree with what recording will do. Never throws: a topic
 * that `compileTopic` did not make, or a deal whose stage cannot be read,
 * has no outcomes to offer.
 *
 * @example
 * for (const option of availableOutcomes(compiled, deal, Date.now(), user)) {
 *   renderButton(option.name, { disabled: !option.allowed, title: option.error?.message });
 * }
 */
export function availableOutcomes(topic: CompiledTopic, deal: Deal, at: number, actor: CrmUser): AvailableOutcome[] {
  if (!isCompiledTopic(topic) || topic.kind !== 'sales') return [];
  const stage = topic.stages.get(readStageId(deal) as string);
  if (stage === undefined) return [];
  return [...stage.outcomes.values()].map((outcome) => {
    const result = applyEvent(topic, deal, probe(outcome, at, actor));
    return {
      id: outcome.id,
      name: outcome.name,
      to: outcome.to,
      finish: outcome.finish,
      cyclic: outcome.cyclic,
      global: outcome.global,
      kinds: [...outcome.kinds.values()],
      kindRequired: outcome.kindRequired,
      commentRequired: outcome.commentRequired,
      requiredFields: outcome.requiredFields,
      amountRequired: outcome.amountRequired,
      allowed: result.ok,
      ...(result.ok ? {} : { error: result.error }),
    };
  });
}

function probe(outcome: CompiledOutcome, at: number, actor: CrmUser) {
  const kind = outcome.kindRequired ? outcome.kinds.values().next().value : undefined;
  const needsComment = outcome.commentRequired || kind?.commentRequired === true;
  return {
    type: 'recordOutcome' as const,
    outcomeId: outcome.id,
    at,
    actor,
    ...(kind === undefined ? {} : { kindId: kind.id }),
    ...(needsComment ? { comment: '(probe)' } : {}),
  };
}

function readStageId(deal: Deal): unknown {
  try {
    return typeof deal === 'object' && deal !== null ? deal.stageId : undefined;
  } catch {
    return undefined;
  }
}
