import type { Approver } from '../definition/schema.js';

/**
 * Who performs an action: plain data that the host fills from its own user
 * records. Nothing here is looked up; the library trusts what it is given.
 *
 * @example
 * const manager: Actor = { id: 'u-17', roles: ['manager'] };
 * const director: Actor = { id: 'u-1', roles: ['director'] };
 */
export interface Actor {
  readonly id: string;
  /** Role names, e.g. `director`, `manager`. */
  readonly roles?: readonly string[];
  /** The system administrator (S2). */
  readonly administrator?: boolean;
  /** Access to the "Clients/CRM" zone (S2): only `full` grants topic editing. */
  readonly crmAccess?: 'none' | 'read' | 'full';
}

/**
 * The role that may edit topics and override pipeline rules (S2).
 *
 * @example
 * const director: Actor = { id: 'u-1', roles: [DIRECTOR_ROLE] };
 */
export const DIRECTOR_ROLE = 'director';

/**
 * Whether an actor may edit topics (S2): the system administrator, users with
 * the "director" role, or users with full access to the Clients/CRM zone.
 * The same actors may move a deal to any stage past the pipeline rules.
 *
 * @example
 * canEditTopic({ id: 'u-1', roles: ['director'] }); // true
 * canEditTopic({ id: 'u-2', crmAccess: 'read' });    // false
 */
export function canEditTopic(actor: Actor): boolean {
  return actor.administrator === true || actor.crmAccess === 'full' || (actor.roles?.includes(DIRECTOR_ROLE) ?? false);
}

/**
 * Whether an actor is one of the approvers a topic names for deadline
 * changes (S25): by user id or by role.
 *
 * @example
 * isApprover({ id: 'u-1', roles: ['director'] }, [{ role: 'director' }]); // true
 */
export function isApprover(actor: Actor, approvers: readonly Approver[]): boolean {
  return approvers.some((approver) =>
    'userId' in approver ? approver.userId === actor.id : (actor.roles?.includes(approver.role) ?? false),
  );
}
