/**
 * Where a deal is in its life: `open` while it moves through stages,
 * `finished` after a positive finish when the topic closes only on a business
 * event (S34), and `closed` at the end.
 */
export type DealStatus = 'open' | 'finished' | 'closed';

/** How a relationship ended (S12). */
export type FinishPolarity = 'positive' | 'negative';

/** The kinds of activity a manager plans. Calls and meetings satisfy mandatory planning (S33). */
export type ActivityKind = 'call' | 'meeting' | 'task';

/** The value of an additional field (S29): dates are `YYYY-MM-DD`, selects hold the option id. */
export type FieldValue = string | number | boolean;

/**
 * A planned call, meeting or task of a deal. Completed and cancelled ones leave
 * the list and stay in the history.
 */
export interface PlannedActivity {
  readonly id: string;
  readonly kind: ActivityKind;
  /** The employee who planned it: only they may close it unless the topic allows anyone (S4). */
  readonly authorId: string;
  /** When it is planned for, epoch ms. */
  readonly plannedFor: number;
}

/** A deadline change waiting for an approver (S25). */
export interface PendingDeadlineChange {
  readonly dueAt: number;
  readonly requestedBy: string;
  readonly requestedAt: number;
  readonly reason?: string;
}

/** The finishing outcome of a deal (S12, S27). */
export interface DealFinish {
  readonly outcomeId: string;
  readonly result: FinishPolarity;
  readonly kindId?: string;
  readonly comment?: string;
  readonly at: number;
  readonly by: string;
}

/**
 * A deal on a sales topic: fixed-size plain JSON that the host stores as it
 * is, beside the deal's log (`DealLogEntry`). Deadlines are epoch
 * milliseconds (or `null` when no limit applies) so that a database can index
 * them and find overdue deals with one query.
 *
 * @example
 * const { deal } = openDeal(compiled, { id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: Date.parse('2026-01-12T09:00:00Z') });
 * deal.stageId;   // 'new'
 * deal.revision;  // 1
 */
export interface Deal {
  readonly id: string;
  readonly topicId: string;
  readonly topicVersion: number;
  readonly clientId: string;
  readonly ownerId: string;
  readonly status: DealStatus;
  /** The current stage; for a finished or closed deal, the stage it finished in. */
  readonly stageId: string;
  /** The stage has no outcomes: "negotiations ongoing", left out of reports (S11). */
  readonly negotiationsOngoing: boolean;
  readonly openedAt: number;
  readonly stageEnteredAt: number;
  /** When the stage's limit runs out (S6). */
  readonly stageDueAt: number | null;
  /** When the deal's limit runs out (S24), moved by approved deadline changes (S25). */
  readonly dueAt: number | null;
  /** The last activity: an outcome, a planned or completed activity, entering a stage. */
  readonly lastActivityAt: number;
  /** When the stage's idle limit runs out without activity. */
  readonly idleDueAt: number | null;
  /** The deal's value, for the weighted forecast. */
  readonly amount: number | null;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly activities: readonly PlannedActivity[];
  readonly pendingDeadlineChange: PendingDeadlineChange | null;
  readonly finish: DealFinish | null;
  /**
   * The deal limit a person accepted (S25): an approved deadline change, or a
   * request on a topic without approval. `null` while `dueAt` is the topic's
   * own limit (S24). Migrations that recompute deadlines keep this date.
   */
  readonly agreedDueAt: number | null;
  /** When the last entry of the deal's log happened: no later event may come before it. */
  readonly lastEventAt: number;
  /** The number of entries in the deal's log, incremented by every accepted event, for compare-and-set in the host's store. */
  readonly revision: number;
}
