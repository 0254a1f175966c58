import { createActor, enqueueActions, setup, type Actor, type ActorOptions } from 'xstate';
import type { Deal } from '../deal/deal.js';
import type { Effect } from '../deal/effects.js';
import { DEAL_EVENT_TYPES, type DealEvent } from '../deal/events.js';
import { applyEvent, type ApplyResult } from '../deal/apply.js';
import { dealError, type DealError } from '../deal/errors.js';
import type { CompiledOutcome, CompiledSalesTopic } from './compiled-topic.js';
import { guardDecision } from '../util/guard-decision.js';
import type { DealMachine, DealMachineContext, DealMachineSnapshot } from './deal-machine.js';

/*
 * The machine states after the stages. Their names contain `:`, which stage
 * ids cannot, so they never clash with a stage.
 */

/**
 * The state of a deal that finished positively and waits for the business event that closes it (S34).
 *
 * @example
 * actor.getSnapshot().matches(FINISHED_POSITIVE); // waiting for "invoice-paid"
 */
export const FINISHED_POSITIVE = 'finished:positive';

/**
 * The state of a deal closed with a positive result (S12).
 *
 * @example
 * dealStateValue(wonDeal) === CLOSED_POSITIVE; // true
 */
export const CLOSED_POSITIVE = 'closed:positive';

/**
 * The state of a deal closed with a negative result (S12).
 *
 * @example
 * dealStateValue(lostDeal) === CLOSED_NEGATIVE; // true
 */
export const CLOSED_NEGATIVE = 'closed:negative';

/**
 * Builds the XState machine of a deal's life on a topic: one state per stage
 * (S7), `finished:positive` while a won deal waits for the business event that
 * closes it (S34), and `closed:positive` / `closed:negative` (S12). Each
 * outcome is a `recordOutcome` transition named after it; cyclic outcomes
 * re-enter their stage (S9, S10); `moveToStage` from anywhere is the
 * privileged move. Every guard and action calls `applyEvent`, so the machine
 * and the pure functions cannot disagree; effects are emitted as events.
 *
 * The closed states are not XState `final` states: a closed deal still
 * accepts the privileged move (reopening) and, when the topic keeps them,
 * its remaining planned activities (S35). Time limits are data on the deal,
 * not `after` timers, so a restored actor misses no deadline.
 *
 * `compileTopic` builds it; hosts use `compiled.machine`.
 *
 * @example
 * const { machine } = compileTopic(standardTopic);
 * const actor = createActor(machine, { input: { deal } }).start();
 */
export function buildDealMachine(topic: CompiledSalesTopic): DealMachine {
  /*
   * Guards decide from the event's content: `applyEvent` runs afresh on every
   * send, so an event object changed and sent again (to this actor or another)
   * is judged as it is now, never by an earlier answer. Within one send the
   * action commits the very decision its guard just made, so the target state
   * and the context's deal cannot part even if the event changes in between.
   */
  const { decide, decided } = guardDecision((deal: Deal, event: DealEvent): ApplyResult => applyEvent(topic, deal, event));

  const targetOf = (outcome: CompiledOutcome): string => {
    if (outcome.to !== null) return outcome.to;
    if (outcome.finish === 'negative') return CLOSED_NEGATIVE;
    return topic.closeEvents.size > 0 ? FINISHED_POSITIVE : CLOSED_POSITIVE;
  };

  const logic = setup({
    types: {} as {
      context: DealMachineContext;
      events: DealEvent;
      input: { readonly deal: Deal };
      emitted: Effect;
    },
    guards: {
      accepted: ({ context, event }) => decide(context.deal, event).ok,
      outcome: ({ context, event }, params: { outcomeId: string }) =>
        event.type === 'recordOutcome' && event.outcomeId === params.outcomeId && decide(context.deal, event).ok,
      moveTo: ({ context, event }, params: { stageId: string }) =>
        event.type === 'moveToStage' && event.stageId === params.stageId && decide(context.deal, event).ok,
    },
    actions: {
      commit: enqueueActions(({ context, event, enqueue }) => {
        const result = decided(context.deal, event);
        if (!result.ok) return;
        enqueue.assign({ deal: result.deal, entry: result.entry });
        for (const effect of result.effects) enqueue.emit(effect);
      }),
    },
  });

  const update = { guard: 'accepted', actions: 'commit' } as const;
  /** The events with transitions of their own below; the rest stay in the state they came in. */
  const STATE_CHANGING: ReadonlySet<DealEvent['type']> = new Set(['recordOutcome', 'moveToStage', 'reportBusinessEvent']);
  const outcomeTransition = (outcome: CompiledOutcome, prefix = '') => ({
    guard: { type: 'outcome' as const, params: { outcomeId: outcome.id } },
    target: `${prefix}${targetOf(outcome)}`,
    reenter: outcome.cyclic || prefix !== '',
    actions: 'commit' as const,
    description: outcome.name,
  });
  // Each stage holds its own outcomes, plus a global move only where it is cyclic; the other global
  // outcomes are one set of transitions on the root, so the machine grows with stages + global outcomes.
  const cyclicGlobals = new Map<string, CompiledOutcome[]>();
  for (const outcome of topic.globalOutcomes.values()) {
    if (outcome.to === null) continue;
    const list = cyclicGlobals.get(outcome.to);
    if (list === undefined) cyclicGlobals.set(outcome.to, [outcome]);
    else list.push(outcome);
  }
  const stageStates = Object.fromEntries(
    topic.stageList.map((stage) => {
      // Looked up by id rather than by walking `stage.outcomes`, which would visit every global outcome in every stage.
      const own = [...stage.definition.outcomes, ...(cyclicGlobals.get(stage.id) ?? [])].flatMap((outcome) => {
        const compiled = stage.outcomes.get(outcome.id);
        return compiled === undefined ? [] : [compiled];
      });
      return [
        stage.id,
        {
          description: stage.definition.comment,
          tags: stage.negotiationsOngoing ? ['open', 'negotiationsOngoing'] : ['open'],
          meta: { name: stage.name, probability: stage.definition.probability },
          on: { recordOutcome: own.map((outcome) => outcomeTransition(outcome)) },
        },
      ];
    }),
  );
  // Outside a stage (finished or closed) applyEvent refuses every outcome, so the root's guards never pass there.
  const globalTransitions = [...topic.globalOutcomes.values()].map((outcome) => outcomeTransition(outcome, '.'));

  return logic.createMachine({
    id: topic.id,
    context: ({ input }) => ({ deal: input.deal, entry: null }),
    initial: topic.firstStage.id,
    on: {
      recordOutcome: globalTransitions,
      moveToStage: topic.stageList.map((stage) => ({
        guard: { type: 'moveTo' as const, params: { stageId: stage.id } },
        target: `.${stage.id}`,
        reenter: true,
        actions: 'commit' as const,
        description: 'Privileged move',
      })),
      // Every other event changes the deal but not its state.
      ...Object.fromEntries(DEAL_EVENT_TYPES.filter((type) => !STATE_CHANGING.has(type)).map((type) => [type, update])),
    },
    states: {
      ...stageStates,
      [FINISHED_POSITIVE]: {
        tags: ['finished'],
        on: { reportBusinessEvent: { guard: 'accepted', target: CLOSED_POSITIVE, actions: 'commit' } },
      },
      [CLOSED_POSITIVE]: { tags: ['closed'] },
      [CLOSED_NEGATIVE]: { tags: ['closed'] },
    },
  }) as unknown as DealMachine;
}

/**
 * The machine state a deal is in: its stage while open, else the finish state.
 *
 * @example
 * dealStateValue(deal); // 'offer', or 'closed:negative'
 */
export function dealStateValue(deal: Deal): string {
  if (deal.status === 'open') return deal.stageId;
  if (deal.status === 'finished') return FINISHED_POSITIVE;
  return deal.finish?.result === 'positive' ? CLOSED_POSITIVE : CLOSED_NEGATIVE;
}

/**
 * A machine snapshot of a stored deal, to start a live actor where the deal
 * is (see {@link createDealActor}), or to step it with xstate's `transition`.
 * Throws a {@link DealStateError} for a deal in a stage the topic does not
 * have (check stored deals with `parseDeal` first).
 *
 * @example
 * const [next] = transition(compiled.machine, dealSnapshot(compiled, deal), event);
 */
export function dealSnapshot(topic: CompiledSalesTopic, deal: Deal): DealMachineSnapshot {
  // xstate would quietly start an unknown state value in the initial stage: refuse it instead.
  if (!topic.stages.has(deal.stageId)) throw new DealStateError(dealError('unknown_stage', { id: String(deal.stageId) }, 'stageId'));
  return topic.machine.resolveState({ value: dealStateValue(deal), context: { deal, entry: null } }) as DealMachineSnapshot;
}

/**
 * A live XState actor for a stored deal, started in the deal's state (its
 * stage, or its finish). Effects arrive as emitted events. Options such as
 * `inspect` (the Stately inspector), `id` or `logger` pass through to
 * xstate's `createActor`.
 *
 * @example
 * const actor = createDealActor(compiled, deal).start();
 * actor.on('*', (effect) => host.carryOut(effect));
 * actor.send({ type: 'recordOutcome', outcomeId: 'interested', at: Date.now(), actor: { id: 'u-1' } });
 * await store.save(actor.getSnapshot().context.deal);
 */
export function createDealActor(topic: CompiledSalesTopic, deal: Deal, options: Omit<ActorOptions<DealMachine>, 'snapshot' | 'input'> = {}): Actor<DealMachine> {
  return createActor(topic.machine, { ...options, snapshot: dealSnapshot(topic, deal), input: { deal } });
}

/**
 * Thrown by {@link dealSnapshot} and {@link createDealActor} for a deal the
 * machine cannot start from; `error` is the typed reason.
 *
 * @example
 * try {
 *   createDealActor(compiled, deal);
 * } catch (thrown) {
 *   if (thrown instanceof DealStateError) console.log(thrown.error.code); // 'unknown_stage'
 * }
 */
export class DealStateError extends Error {
  override readonly name = 'DealStateError';
  readonly error: DealError;

  constructor(error: DealError) {
    super(error.message);
    this.error = error;
  }
}
