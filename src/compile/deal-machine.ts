import type { MachineSnapshot, StateMachine } from 'xstate';
import type { Deal } from '../deal/deal.js';
import type { Effect } from '../deal/effects.js';
import type { DealEvent } from '../deal/events.js';
import type { EventLogEntry } from '../deal/log-entry.js';

/*
 * The types of a deal's machine, apart from the code that builds it, so that
 * the compiled topic can name its machine without importing the deal logic
 * the machine runs (which itself needs the compiled topic).
 */

/**
 * The context of a deal machine: the deal itself, exactly as `applyEvent`
 * sees it, and the log entry of the last event the machine accepted (`null`
 * until it accepts one), for the host to append: `revision` tells a new
 * entry from one already appended.
 */
export interface DealMachineContext {
  readonly deal: Deal;
  readonly entry: EventLogEntry | null;
}

/** The XState machine of a deal on one topic (see {@link buildDealMachine}). */
export type DealMachine = StateMachine<
  DealMachineContext,
  DealEvent,
  Record<string, never>,
  never,
  never,
  never,
  never,
  string,
  string,
  { readonly deal: Deal },
  never,
  Effect,
  Record<string, unknown>,
  never
>;

/** A snapshot of a deal machine. */
export type DealMachineSnapshot = MachineSnapshot<DealMachineContext, DealEvent, Record<string, never>, string, string, never, Record<string, unknown>, never>;
