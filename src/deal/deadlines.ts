import type { CompiledSalesTopic, CompiledStage } from '../compile/compiled-topic.js';
import { addDuration } from '../time/calendar.js';
import type { Duration } from '../time/duration.js';

function deadline(topic: CompiledSalesTopic, start: number, limit: Duration | null): number | null {
  return limit === null ? null : addDuration(start, limit, topic.calendar ?? undefined);
}

/**
 * When a stage entered at `enteredAt` runs out of time (S6), or `null` when
 * the stage has no limit. Counts working time when the topic has a calendar.
 *
 * @example
 * stageDeadline(compiled, compiled.stages.get('acquaintance')!, Date.parse('2026-01-12T09:00:00Z')); // two days later
 */
export function stageDeadline(topic: CompiledSalesTopic, stage: CompiledStage, enteredAt: number): number | null {
  return deadline(topic, enteredAt, stage.limit);
}

/**
 * When a deal opened at `openedAt` runs out of time (S24), or `null` when the
 * topic sets no maximum duration.
 *
 * @example
 * dealDeadline(compiled, deal.openedAt); // deal.dueAt unless a deadline change moved it
 */
export function dealDeadline(topic: CompiledSalesTopic, openedAt: number): number | null {
  return deadline(topic, openedAt, topic.maxDuration);
}

/**
 * When a deal whose last activity was at `lastActivityAt` becomes idle in a
 * stage with an idle limit (Pipedrive's "rotting"), or `null`.
 *
 * @example
 * idleDeadline(compiled, stage, deal.lastActivityAt);
 */
export function idleDeadline(topic: CompiledSalesTopic, stage: CompiledStage, lastActivityAt: number): number | null {
  return deadline(topic, lastActivityAt, stage.idleLimit);
}

/**
 * The fields of a deal that change when it enters (or re-enters) a stage at
 * `at`: the stage, its "negotiations ongoing" mark (S11), the stage clock
 * (S6) and the idle clock.
 *
 * @example
 * const deal2 = { ...deal, ...enterStage(compiled, compiled.stages.get('offer')!, now) };
 */
export function enterStage(topic: CompiledSalesTopic, stage: CompiledStage, at: number) {
  return {
    stageId: stage.id,
    negotiationsOngoing: stage.negotiationsOngoing,
    stageEnteredAt: at,
    stageDueAt: stageDeadline(topic, stage, at),
    lastActivityAt: at,
    idleDueAt: idleDeadline(topic, stage, at),
  };
}
