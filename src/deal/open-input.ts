import * as z from 'zod';
import { actorSchema } from '../access/actor.js';
import { idSchema } from '../definition/schema.js';
import { labelSchema, textSchema } from '../definition/text.js';
import { MAX_TIME } from '../time/date.js';
import { amountSchema } from './events.js';

/**
 * The zod schema of what `openDeal` takes: the deal's id, the client, the
 * owner, when it opens, and optionally who opens it, the amount and field
 * values. The `opened` entry of a deal's log keeps the checked input.
 *
 * @example
 * openDealInputSchema.safeParse({ id: 'd-1', clientId: 'c-1', ownerId: 'u-1', at: Date.now() }).success; // true
 */
export const openDealInputSchema = z.strictObject({
  id: labelSchema(200),
  clientId: labelSchema(200),
  ownerId: labelSchema(200),
  at: z.number().int().min(0).max(MAX_TIME),
  actor: actorSchema.optional(),
  amount: amountSchema.optional(),
  fields: z.record(idSchema, z.union([textSchema(10_000), z.number(), z.boolean(), z.null()])).optional(),
});

/** What a new deal needs: its id, the client, the owner and when it opens (epoch ms). */
export type OpenDealInput = z.input<typeof openDealInputSchema>;
