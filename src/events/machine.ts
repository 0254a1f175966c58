import { enqueueActions, setup } from 'xstate';
import type { CompiledEventTopic } from '../compile/compiled-topic.js';
import { guardDecision } from '../util/guard-decision.js';
import { cancelEvent, recordEvent } from './topic-event.js';
import type { CancelEventInput, RecordEventInput, TopicEvent, TopicEventResult } from './topic-event-model.js';
import type { TopicEventMachine, TopicEventMachineEvent } from './topic-event-machine.js';

/**
 * Builds the machine of an audit or service event (S37, S38): `planned`,
 * then `recorded` or `cancelled` (both final). Guards and actions call
 * `recordEvent` and `cancelEvent`, so the machine and the functions agree.
 * `compileTopic` builds it for audit and service topics.
 *
 * @example
 * const actor = createActor(compiled.machine, { input: { event: planned } }).start();
 * actor.send({ type: 'record', actor: { id: 'u-1' }, at: Date.now(), answer: 'yes', kindId: 'ok', comment: 'Fine' });
 */
export function buildTopicEventMachine(topic: CompiledEventTopic): TopicEventMachine {
  // The action commits its guard's decision; each send is decided afresh from the message's content.
  const { decide, decided } = guardDecision((event: TopicEvent, message: TopicEventMachineEvent): TopicEventResult => {
    const { type, ...input } = message;
    return type === 'record' ? recordEvent(topic, event, input as RecordEventInput) : cancelEvent(topic, event, input as CancelEventInput);
  });
  const logic = setup({
    types: {} as { context: { event: TopicEvent }; events: TopicEventMachineEvent; input: { readonly event: TopicEvent } },
    guards: { accepted: ({ context, event }) => decide(context.event, event).ok },
    actions: {
      commit: enqueueActions(({ context, event, enqueue }) => {
        const result = decided(context.event, event);
        if (result.ok) enqueue.assign({ event: result.event });
      }),
    },
  });
  return logic.createMachine({
    id: topic.id,
    context: ({ input }) => ({ event: input.event }),
    initial: 'planned',
    states: {
      planned: {
        on: {
          record: { guard: 'accepted', target: 'recorded', actions: 'commit' },
          cancel: { guard: 'accepted', target: 'cancelled', actions: 'commit' },
        },
      },
      recorded: { type: 'final' },
      cancelled: { type: 'final' },
    },
  }) as unknown as TopicEventMachine;
}
