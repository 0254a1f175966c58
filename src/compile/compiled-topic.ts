import type {
  AuditTopic,
  DocumentTemplate,
  FieldDefinition,
  Outcome,
  OutcomeKind,
  SalesTopic,
  ServiceTopic,
  Stage,
} from '../definition/schema.js';
import type { FinishPolarity } from '../deal/deal.js';
import type { WorkingCalendar } from '../time/calendar.js';
import type { Duration } from '../time/duration.js';
import type { DealMachine } from './deal-machine.js';
import type { TopicEventMachine } from '../events/topic-event-machine.js';

/** An outcome as a deal in a given stage sees it: its own, or one of the topic's global outcomes. */
export interface CompiledOutcome {
  readonly id: string;
  readonly name: string;
  readonly definition: Outcome;
  /** Offered in every stage. */
  readonly global: boolean;
  /** The stage it moves to, or `null` for a finish. */
  readonly to: string | null;
  /** How it finishes the deal, or `null` for a move. */
  readonly finish: FinishPolarity | null;
  /** Moves back to the same stage (S9, S10). */
  readonly cyclic: boolean;
  /** A cyclic outcome that starts the stage clock again. */
  readonly restartsStageClock: boolean;
  readonly kindRequired: boolean;
  readonly commentRequired: boolean;
  /** Fields that must be filled when it is recorded, the event's values included. */
  readonly requiredFields: readonly string[];
  /** The deal must have an amount when it is recorded, the event's included. */
  readonly amountRequired: boolean;
  /** The outcome kinds that may be recorded with it (S27); outcomes that list none share one set per polarity. */
  readonly kinds: ReadonlyMap<string, OutcomeKind>;
}

/** A stage with its limits parsed and its outcomes indexed. */
export interface CompiledStage {
  readonly id: string;
  readonly name: string;
  /** Position in the procedure (S7), from 0. */
  readonly index: number;
  readonly definition: Stage;
  readonly limit: Duration | null;
  readonly idleLimit: Duration | null;
  /** The stage's own outcomes, then the global ones, by id; the global ones are shared with every stage, not copied. */
  readonly outcomes: ReadonlyMap<string, CompiledOutcome>;
  /** No outcomes of its own: "negotiations ongoing" (S11). */
  readonly negotiationsOngoing: boolean;
  /** Templates suggested on entering (S28). */
  readonly documents: readonly DocumentTemplate[];
  readonly requiredFields: readonly string[];
  /** Activities planned when a deal enters it, `after` parsed. */
  readonly plans: readonly CompiledStagePlan[];
}

/** An activity a stage plans on entering, with its delay parsed. */
export interface CompiledStagePlan {
  readonly id: string;
  readonly kind: 'call' | 'meeting' | 'task';
  readonly after: Duration;
  readonly title: string;
}

/** A sales topic ready to run deals: frozen, with every lookup indexed. */
export interface CompiledSalesTopic {
  readonly kind: 'sales';
  readonly id: string;
  readonly version: number;
  readonly definition: SalesTopic;
  /** Stages in procedure order (S7). */
  readonly stageList: readonly CompiledStage[];
  readonly stages: ReadonlyMap<string, CompiledStage>;
  readonly firstStage: CompiledStage;
  /** The global outcomes, compiled once and shared by every stage's `outcomes` (a global move is cyclic, and copied, only in its target stage). */
  readonly globalOutcomes: ReadonlyMap<string, CompiledOutcome>;
  readonly kinds: ReadonlyMap<string, OutcomeKind>;
  readonly fields: ReadonlyMap<string, FieldDefinition>;
  /** The maximum deal duration (S24). */
  readonly maxDuration: Duration | null;
  readonly calendar: WorkingCalendar | null;
  /** Business events that close a positively finished deal (S34); empty when deals close on the finish itself. */
  readonly closeEvents: ReadonlySet<string>;
  /** The XState machine of a deal's life on this topic. */
  readonly machine: DealMachine;
}

/** An audit or service topic ready to plan and record events (S37, S38). */
export interface CompiledEventTopic {
  readonly kind: 'audit' | 'service';
  readonly id: string;
  readonly version: number;
  readonly definition: AuditTopic | ServiceTopic;
  /** Audit outcome kinds (S37); empty for service topics. */
  readonly kinds: ReadonlyMap<string, OutcomeKind>;
  /** The XState machine of one event's life: planned, then recorded or cancelled. */
  readonly machine: TopicEventMachine;
}

/** Any compiled topic, told apart by `kind`. */
export type CompiledTopic = CompiledSalesTopic | CompiledEventTopic;
