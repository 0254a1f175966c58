import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { Approver } from '../definition/schema.js';
import { readActor, type CrmUser } from './actor.js';

/**
 * The role that may edit topics and override pipeline rules (S2).
 *
 * @example
 * const director: CrmUser = { id: 'u-1', roles: [DIRECTOR_ROLE] };
 */
export const DIRECTOR_ROLE = 'director';

/**
 * Whether an actor may edit topics (S2): the system administrator, users with
 * the "director" role, or users with full access to the Clients/CRM zone.
 * The same actors may move a deal to any stage past the pipeline rules.
 * An actor that is not plain, valid data (see {@link readActor}) may not.
 *
 * @example
 * canEditTopic({ id: 'u-1', roles: ['director'] }); // true
 * canEditTopic({ id: 'u-2', crmAccess: 'read' });    // false
 */
export function canEditTopic(actor: CrmUser): boolean {
  const valid = readActor(actor);
  return valid !== undefined && (valid.administrator === true || valid.crmAccess === 'full' || (valid.roles?.includes(DIRECTOR_ROLE) ?? false));
}

/**
 * Whether an actor is one of the approvers a topic names for deadline
 * changes (S25): by user id or by role. An actor that is not plain, valid
 * data (see {@link readActor}) is nobody's approver.
 *
 * @example
 * isApprover({ id: 'u-1', roles: ['director'] }, [{ role: 'director' }]); // true
 */
export function isApprover(actor: CrmUser, approvers: readonly Approver[]): boolean {
  const valid = readActor(actor);
  if (valid === undefined || !Array.isArray(approvers)) return false;
  try {
    return approvers.some((approver) => isApproverOf(valid, approver));
  } catch {
    return false;
  }
}

function isApproverOf(actor: CrmUser, approver: unknown): boolean {
  if (typeof approver !== 'object' || approver === null) return false;
  const { userId, role } = approver as { userId?: unknown; role?: unknown };
  if (Object.hasOwn(approver, 'userId')) return typeof userId === 'string' && userId === actor.id;
  return Object.hasOwn(approver, 'role') && typeof role === 'string' && (actor.roles?.includes(role) ?? false);
}

/**
 * Whether an actor may open and work deals on a topic, for menus and before
 * {@link openDeal}/{@link applyEvent} (which refuse others with
 * `topic_access_denied`): everyone when the topic names no `access`;
 * otherwise administrators, the users it lists and anyone with one of its
 * roles or teams. A malformed actor or topic may not. Never throws.
 *
 * @example
 * canUseTopic(compiled, { id: 'u-7', teams: ['moscow-sales'] }); // true when the topic lists that team
 */
export function canUseTopic(topic: CompiledTopic, actor: CrmUser): boolean {
  try {
    const valid = readActor(actor);
    if (valid === undefined || typeof topic !== 'object' || topic === null) return false;
    const definition: unknown = topic.definition;
    const access = typeof definition === 'object' && definition !== null && Object.hasOwn(definition, 'access') ? (definition as { access?: unknown }).access : undefined;
    if (access === undefined) return true;
    if (typeof access !== 'object' || access === null) return false;
    if (valid.administrator === true) return true;
    const { roles, teams, users } = access as { roles?: unknown; teams?: unknown; users?: unknown };
    const lists = (list: unknown, values: readonly string[] | undefined): boolean => Array.isArray(list) && values !== undefined && values.some((value) => list.includes(value));
    return lists(users, [valid.id]) || lists(roles, valid.roles) || lists(teams, valid.teams);
  } catch {
    return false;
  }
}
