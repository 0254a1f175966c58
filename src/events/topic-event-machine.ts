import type { EventObject, StateMachine } from 'xstate';
import type { CancelEventInput, RecordEventInput, TopicEvent } from './topic-event-model.js';

/*
 * The types of an audit or service event's machine, apart from the code that
 * builds it, so that the compiled topic can name its machine without
 * importing the functions the machine runs (which need the compiled topic).
 */

/** The events of an audit or service event's machine. */
export type TopicEventMachineEvent = ({ readonly type: 'record' } & RecordEventInput) | ({ readonly type: 'cancel' } & CancelEventInput);

/** The machine of one audit or service event (see {@link buildTopicEventMachine}). */
export type TopicEventMachine = StateMachine<
  { readonly event: TopicEvent },
  TopicEventMachineEvent,
  Record<string, never>,
  never,
  never,
  never,
  never,
  string,
  string,
  { readonly event: TopicEvent },
  never,
  EventObject,
  Record<string, unknown>,
  never
>;
