import * as z from 'zod';
import { labelSchema } from '../definition/text.js';
import { plainCopy } from '../util/plain-copy.js';

/**
 * Who performs an action (the `actor` of events and edits): a CRM user as
 * the host knows them, plain data filled from its own user records (named
 * so as not to clash with xstate's `Actor`). Nothing here is looked up, but every function that takes an actor
 * checks its shape (own properties only) before it decides anything.
 *
 * @example
 * const manager: CrmUser = { id: 'u-17', roles: ['manager'] };
 * const director: CrmUser = { id: 'u-1', roles: ['director'] };
 */
export interface CrmUser {
  readonly id: string;
  /** Role names, e.g. `director`, `manager`. */
  readonly roles?: readonly string[];
  /** Team names, e.g. `moscow-sales`: a topic may be open to teams only. */
  readonly teams?: readonly string[];
  /** The system administrator (S2). */
  readonly administrator?: boolean;
  /** Access to the "Clients/CRM" zone (S2): only `full` grants topic editing. */
  readonly crmAccess?: 'none' | 'read' | 'full';
}

/**
 * The most roles one actor may carry: also the longest list in any event.
 *
 * @example
 * actorSchema.safeParse({ id: 'u-1', roles: Array(MAX_ROLES + 1).fill('r') }).success; // false
 */
export const MAX_ROLES = 100;

/**
 * Who performs an action, as every function that takes an actor checks it
 * (S2, S4, S25): an id, and optionally roles, the administrator flag and the
 * CRM zone access, nothing else.
 *
 * @example
 * actorSchema.safeParse({ id: 'u-1', roles: ['director'] }).success; // true
 * actorSchema.safeParse({ id: 'u-1', roles: 'director' }).success;   // false
 */
export const actorSchema = z.strictObject({
  id: labelSchema(200),
  roles: z.array(labelSchema(200)).max(MAX_ROLES).readonly().optional(),
  teams: z.array(labelSchema(200)).max(MAX_ROLES).readonly().optional(),
  administrator: z.boolean().optional(),
  crmAccess: z.enum(['none', 'read', 'full']).optional(),
});

/**
 * The actor as plain data checked by {@link actorSchema}, read once from its
 * own properties only, or `undefined` when it is not a valid actor (roles
 * given as a string, an object with its own `includes`, inherited
 * properties, getters or proxy traps that throw). Access decisions are made
 * on this copy, never on the caller's object.
 *
 * @example
 * readActor({ id: 'u-1', roles: ['director'] }); // { id: 'u-1', roles: ['director'] }
 * readActor({ id: 'u-1', roles: 'director' });   // undefined
 */
export function readActor(actor: unknown): CrmUser | undefined {
  try {
    const copy = plainCopy(actor, MAX_ROLES);
    const parsed = copy.ok ? actorSchema.safeParse(copy.value) : undefined;
    return parsed?.success === true ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
