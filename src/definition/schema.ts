import * as z from 'zod';
import { isCalendarDate } from '../time/date.js';
import { ID_PATTERN, isId, isNonNfcId } from './id.js';
import { ISO_DURATION, parseDuration } from '../time/duration.js';
import { isKnownTimeZone } from '../time/zone-offset.js';
import { labelSchema, nameSchema as nameOf, textSchema as textOf } from './text.js';

/*
 * The topic definition format. Each part cites the rule of the source
 * documents it carries (S-numbers, see the seeds README) or the peer CRM it
 * follows. The schema checks shape; `lintTopic` checks what a schema cannot
 * (references between parts, reachability, duplicates).
 */

export { ID_PATTERN } from './id.js';

/**
 * The most stages a topic may have; real pipelines have a handful.
 *
 * @example
 * if (stages.length > MAX_STAGES) throw new Error('too many stages');
 */
export const MAX_STAGES = 1000;
const MAX_ITEMS = 1000;
/*
 * Caps on the parts a compiled topic and its machine grow with (stages, their
 * outcomes, global outcomes, outcome kinds): generous for real pipelines, and
 * small enough that the largest topic allowed compiles in well under a second
 * (see bench/run.ts, section 3).
 */
/** The most outcomes one stage may have. */
const MAX_STAGE_OUTCOMES = 100;
/** The most outcomes all stages together may have (global outcomes not counted). */
const MAX_TOPIC_OUTCOMES = 10_000;
/** The most outcome kind ids all outcomes together may list. */
const MAX_LISTED_KINDS = 100_000;
const MAX_NAME = 200;
const MAX_TEXT = 100_000;

const customIssue = (code: string) => ({ params: { code } });

/** A string of a given shape; the pattern also goes into the JSON Schema. */
const patterned = (pattern: RegExp, code: string, description: string) =>
  z
    .string()
    .refine((text) => pattern.test(text), customIssue(code))
    .meta({ pattern: pattern.source, description });

/**
 * A stable identifier people can read: Unicode letters and digits (a Russian
 * team writes `оплата`), `_` and `-`, starting with a letter or digit, at most
 * 64 code points, normalised to NFC. Dots, `#` and whitespace are kept out
 * because XState reserves them in state paths and state id references. A
 * non-NFC id is refused with its own code, `id_not_nfc`, and never rewritten:
 * ids are compared as exact strings.
 */
export const idSchema = z
  .string()
  .refine((text) => !isNonNfcId(text), customIssue('id_not_nfc'))
  .refine((text) => isId(text) || isNonNfcId(text), customIssue('invalid_id'))
  .meta({
    pattern: ID_PATTERN.source,
    description: 'A stable identifier: starts with a Unicode letter or digit; then letters, combining marks, digits, "_" or "-" (at most 64 code points); normalised to NFC. No ".", "#" or whitespace (XState reserves them).',
  });

/*
 * Every string follows the text rules of text.ts: storable in PostgreSQL jsonb
 * everywhere; names also not blank, without bidirectional controls, and
 * limited in characters as people see them (grapheme clusters).
 */
const nameSchema = nameOf(MAX_NAME).describe('The name people see.');
const textSchema = textOf(MAX_TEXT);
/** A host's reference (template id, path or URL; script): storable, not blank, no bidirectional controls. */
const referenceSchema = labelSchema(2000);

/** An ISO 8601 duration in weeks, days, hours, minutes or seconds (`P2D`, `PT4H`, `P1W`). */
export const durationSchema = z
  .string()
  .max(64)
  .refine((text) => parseDuration(text) !== undefined, customIssue('invalid_duration'))
  .meta({
    pattern: ISO_DURATION.source,
    description: 'ISO 8601 duration such as "P2D", "PT4H" or "P1W" (no years or months; at most 10 years).',
  });

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const dateSchema = z
  .string()
  .refine(isCalendarDate, customIssue('invalid_date'))
  .meta({ pattern: DATE_PATTERN.source, description: 'A calendar date, YYYY-MM-DD.' });

const timeOfDaySchema = patterned(
  /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/,
  'invalid_time',
  'A local time of day, HH:MM (24:00 for the end of the day).',
);

const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => isKnownTimeZone(zone), customIssue('invalid_time_zone'))
  .describe('An IANA time zone name such as "Europe/Moscow".');

/** Outcome kinds (S27, S37): reasons such as "refused: too expensive". */
export const outcomeKindSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema,
    polarity: z
      .enum(['positive', 'negative', 'neutral'])
      .default('neutral')
      .describe('Which finishes the kind explains; neutral kinds fit any outcome. For audits: positive = "Yes", negative = "No".'),
    commentRequired: z.boolean().default(false).describe('Recording this kind requires a comment (S37).'),
  })
  .describe('An outcome kind (S27, S37).');

const outcomeCommon = {
  id: idSchema,
  name: nameSchema,
  kindRequired: z.boolean().default(false).describe('An outcome kind must be chosen when recording (S27).'),
  kinds: z.array(idSchema).max(MAX_ITEMS).optional().describe('The outcome kinds allowed here; all of matching polarity when absent. At most 1,000; at most 100,000 listed by all outcomes of a topic together.'),
  commentRequired: z.boolean().default(false).describe('A comment must be written when recording.'),
  requiredFields: z
    .array(idSchema)
    .max(MAX_ITEMS)
    .optional()
    .describe('Fields that must be filled when this outcome is recorded (the values may come with it), e.g. the reason of a loss.'),
  amountRequired: z.boolean().optional().describe("The deal must have an amount when this outcome is recorded (it may come with it), e.g. a won deal's."),
  weight: z
    .number()
    .finite()
    .min(0)
    .optional()
    .describe('Relative likelihood of this outcome in simulations (`simulate`); 1 when absent, 0 never chosen. Ignored when running deals.'),
};

/** An outcome that continues the relationship in a stage, possibly the same one (S8–S10). */
export const moveOutcomeSchema = z
  .strictObject({
    ...outcomeCommon,
    to: idSchema.describe('The stage the deal moves to; the current stage makes the outcome cyclic (S9, S10).'),
    restartsStageClock: z
      .boolean()
      .default(false)
      .describe('A cyclic outcome keeps the stage clock running unless this is true.'),
  })
  .describe('An outcome that moves the deal to a stage (S8, S9).');

/** An outcome that finishes the relationship positively or negatively (S12). */
export const finishOutcomeSchema = z
  .strictObject({
    ...outcomeCommon,
    finish: z.enum(['positive', 'negative']).describe('How the relationship ends (S12).'),
  })
  .describe('An outcome that finishes the deal (S12).');

/** An outcome: either a move to a stage (`to`) or a finish (`finish`). */
export const outcomeSchema = z.union([moveOutcomeSchema, finishOutcomeSchema]);

/** The most activities one stage plans on entering. */
const MAX_STAGE_PLANS = 20;

/**
 * An activity a stage plans when a deal enters it (Bitrix24's robots,
 * Pipedrive's automations, Odoo's planned activities per stage).
 */
export const stagePlanSchema = z
  .strictObject({
    id: idSchema,
    kind: z.enum(['call', 'meeting', 'task']).describe('A call or meeting counts as the next contact under mandatory planning (S33).'),
    after: durationSchema.describe('When, after the deal enters the stage; working time when the topic has a calendar.'),
    title: nameSchema.describe('What the activity is, for the host to show in its calendar.'),
  })
  .describe('An activity planned automatically when a deal enters the stage.');

/** A stage of a sales topic (S6–S11), with the peers' probability, idle limit and required fields. */
export const stageSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema,
    comment: textSchema.optional().describe('What the manager must do in this stage (S6).'),
    maxDuration: durationSchema.optional().describe('Time to pass the stage (S6).'),
    idleLimit: durationSchema.optional().describe('Longest time without activity before the deal is idle ("rotting").'),
    probability: z.number().finite().optional().describe('Win probability in percent, for the weighted forecast.'),
    requiredFields: z.array(idSchema).max(MAX_ITEMS).default([]).describe('Fields that must be filled before a deal enters.'),
    plans: z.array(stagePlanSchema).max(MAX_STAGE_PLANS).optional().describe('Activities planned for the deal\'s owner when a deal enters the stage. At most 20.'),
    outcomes: z
      .array(outcomeSchema)
      .max(MAX_STAGE_OUTCOMES)
      .default([])
      .describe('Outcomes tracked in this stage (S8); none marks "negotiations ongoing" (S11). At most 100; at most 10,000 in all stages together.'),
  })
  .describe('A stage of the sales procedure (S6).');

const fieldCommon = {
  id: idSchema,
  name: nameSchema,
  description: textSchema.optional(),
};

/** An additional deal field filled in by the manager (S29). */
export const fieldSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...fieldCommon, type: z.literal('text'), maxLength: z.number().int().positive().optional() }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('number'),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  }),
  z.strictObject({ ...fieldCommon, type: z.literal('date') }),
  z.strictObject({ ...fieldCommon, type: z.literal('boolean') }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('select'),
    options: z.array(z.strictObject({ id: idSchema, name: nameSchema })).min(1).max(MAX_ITEMS).describe('The choices, at most 1,000.'),
  }),
]);

/** A document template offered to the manager, optionally in given stages (S28). */
export const documentSchema = z
  .strictObject({
    id: idSchema,
    name: nameSchema,
    template: referenceSchema.describe('The host\'s reference to the template (id, path or URL).'),
    stages: z.array(idSchema).max(MAX_ITEMS).optional().describe('Stages where the template is suggested; everywhere when absent.'),
  })
  .describe('A print form or online document template (S28).');

/** Who approves a deadline change (S25): everyone with a role, or one user. */
export const approverSchema = z.union([
  z.strictObject({ role: labelSchema(MAX_NAME).describe('Everyone with this role approves, e.g. "director".') }),
  z.strictObject({ userId: labelSchema(MAX_NAME).describe("This user approves (the host's user id).") }),
]);

/** Whether changing a deal's deadline needs approval, and by whom (S25). */
export const deadlineChangeSchema = z
  .strictObject({
    approval: z.enum(['none', 'required']).describe('"none": a new deadline applies at once; "required": it waits for an approver.'),
    approvers: z.array(approverSchema).max(MAX_ITEMS).default([]),
    selfApproval: z
      .boolean()
      .default(false)
      .describe('Whether the employee who asked for a deadline change may approve it too; by default another approver must (four eyes, S25).'),
  })
  .describe('Deadline change approval (S25).');

/** When a deal closes (S34): on its finishing outcome, or on a business event the host reports. */
export const closeOnSchema = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('finish') }),
  z.strictObject({
    on: z.literal('business-event'),
    events: z
      .array(idSchema)
      .min(1)
      .max(MAX_ITEMS)
      .describe('Host events that close a positively finished deal, e.g. "invoice-paid", "goods-shipped".'),
  }),
]);

/** The parameters of a sales topic (S4, S5, S32–S35). */
export const parametersSchema = z
  .strictObject({
    concurrentDeals: z
      .enum(['allowed', 'forbidden'])
      .default('allowed')
      .describe('Whether one client may have several open deals on this topic (S32).'),
    planning: z
      .enum(['optional', 'mandatory'])
      .default('optional')
      .describe('With "mandatory", an outcome that does not finish the deal needs a planned call or meeting (S33).'),
    closeOn: closeOnSchema.default({ on: 'finish' }).describe('When the deal closes (S34).'),
    afterClose: z
      .strictObject({
        plannedActivities: z.enum(['keep', 'cancel']).default('keep'),
        unpaidInvoices: z.enum(['keep', 'cancel']).default('keep'),
      })
      .default({ plannedActivities: 'keep', unpaidInvoices: 'keep' })
      .describe('What happens to planned activities and unpaid invoices after close (S35).'),
    plannedContacts: z
      .enum(['author-only', 'anyone'])
      .default('author-only')
      .describe('Who may close a planned contact authored by another employee (S4).'),
    sharedAssignmentOnFinish: z
      .boolean()
      .default(false)
      .describe('Create a shared client assignment when the final contact is recorded (S5).'),
  })
  .describe('Sales parameters (S4, S5, S32–S35).');

/** A working calendar: limits in days and weeks count working days, time parts count working time. */
export const calendarSchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    workDays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .default([1, 2, 3, 4, 5])
      .describe('ISO weekdays that are worked: 1 = Monday … 7 = Sunday.'),
    workHours: z
      .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
      .optional()
      .describe('Working hours of a working day; the whole day when absent.'),
    holidays: z.array(dateSchema).max(10_000).default([]).describe('Days off that fall on work days.'),
    workingDays: z
      .array(dateSchema)
      .max(10_000)
      .default([])
      .describe('Transferred working days that fall on days off (production calendars).'),
  })
  .describe('A working calendar for time limits.');

const topicCommon = {
  $schema: textOf(2000).optional().describe('The JSON Schema an editor checks the file against; ignored.'),
  id: idSchema,
  name: nameSchema,
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1).describe('The version of the definition; every edit raises it, and deals record the version they run on.'),
  group: nameSchema.optional().describe('A group of topics for navigation (S13).'),
  instruction: textSchema.optional().describe('How to work with the topic (S30).'),
  script: referenceSchema.optional().describe('Reference to the sales script (S31).'),
};

/** Who may open and work deals on a topic: anyone with one of the roles, in one of the teams, or one of the users. */
export const topicAccessSchema = z
  .strictObject({
    roles: z.array(labelSchema(MAX_NAME)).max(MAX_ITEMS).optional().describe('Roles that may work on the topic, e.g. "manager".'),
    teams: z.array(labelSchema(MAX_NAME)).max(MAX_ITEMS).optional().describe("Teams that may work on the topic (the host's team names)."),
    users: z.array(labelSchema(MAX_NAME)).max(MAX_ITEMS).optional().describe("Users that may work on the topic (the host's user ids)."),
  })
  .describe('Who may open and work deals on the topic; without it, everyone may. Administrators always may.');

/** A sales topic: stages, outcomes, kinds, fields, documents and parameters (S1–S12, S24–S36). */
export const salesTopicSchema = z
  .strictObject({
    ...topicCommon,
    kind: z.literal('sales').describe('The topic type (S23).'),
    maxDuration: durationSchema.optional().describe('Maximum deal duration (S3, S24).'),
    access: topicAccessSchema.optional(),
    // A function, not an object: zod copies a default only shallowly, so a literal would share one approvers array between every parsed topic.
    deadlineChange: deadlineChangeSchema.default(() => ({ approval: 'none' as const, approvers: [], selfApproval: false })),
    stages: z.array(stageSchema).min(1).max(MAX_STAGES).describe('Stages in the order of the procedure (S7, S26), at most 1,000.'),
    globalOutcomes: z
      .array(outcomeSchema)
      .max(MAX_ITEMS)
      .default([])
      .describe('Outcomes available in every stage, e.g. "lost: refused"; at most 1,000.'),
    outcomeKinds: z.array(outcomeKindSchema).max(MAX_ITEMS).default([]).describe('Outcome kinds (S27), at most 1,000.'),
    fields: z.array(fieldSchema).max(MAX_ITEMS).default([]).describe('Additional fields (S29), at most 1,000.'),
    documents: z.array(documentSchema).max(MAX_ITEMS).default([]).describe('Document templates (S28), at most 1,000.'),
    parameters: parametersSchema.default(() => parametersSchema.parse({})),
    calendar: calendarSchema.optional(),
  })
  .superRefine((topic, ctx) => {
    // Topic-wide totals: each stage may be within its cap while the stages together are far too many to compile.
    let outcomes = 0;
    let listedKinds = 0;
    for (const outcome of topic.globalOutcomes) listedKinds += outcome.kinds?.length ?? 0;
    for (const stage of topic.stages) {
      outcomes += stage.outcomes.length;
      for (const outcome of stage.outcomes) listedKinds += outcome.kinds?.length ?? 0;
    }
    if (outcomes > MAX_TOPIC_OUTCOMES) ctx.addIssue({ code: 'custom', path: ['stages'], input: outcomes, params: { code: 'too_many_outcomes', count: outcomes, max: MAX_TOPIC_OUTCOMES } });
    if (listedKinds > MAX_LISTED_KINDS) ctx.addIssue({ code: 'custom', path: ['stages'], input: listedKinds, params: { code: 'too_many_listed_kinds', count: listedKinds, max: MAX_LISTED_KINDS } });
  })
  .describe('A sales topic (S23, S24–S36).');

/** An audit topic: events recorded Yes/No with outcome kinds that need a comment (S37). */
export const auditTopicSchema = z
  .strictObject({
    ...topicCommon,
    kind: z.literal('audit').describe('The topic type (S23).'),
    outcomeKinds: z.array(outcomeKindSchema).max(MAX_ITEMS).default([]).describe('Outcome kinds, each with a mandatory comment (S37).'),
  })
  .describe('An audit topic (S23, S37).');

/** A service topic: events planned and recorded, nothing more (S38). */
export const serviceTopicSchema = z
  .strictObject({ ...topicCommon, kind: z.literal('service').describe('The topic type (S23).') })
  .describe('A service topic (S23, S38).');

/**
 * The zod schema of any topic definition, told apart by `kind` (S23). It
 * checks shape only; `parseTopic` adds the lint checks and readable issues.
 *
 * @example
 * const shapeOnly = topicSchema.safeParse(input);
 */
export const topicSchema = z.discriminatedUnion('kind', [salesTopicSchema, auditTopicSchema, serviceTopicSchema]);

/** A validated topic definition with every default filled in. */
export type TopicDefinition = z.output<typeof topicSchema>;
/** A topic as an author writes it: defaults may be left out. */
export type TopicInput = z.input<typeof topicSchema>;
/** A validated sales topic. */
export type SalesTopic = z.output<typeof salesTopicSchema>;
/** A validated audit topic. */
export type AuditTopic = z.output<typeof auditTopicSchema>;
/** A validated service topic. */
export type ServiceTopic = z.output<typeof serviceTopicSchema>;
/** A stage of a sales topic. */
export type Stage = z.output<typeof stageSchema>;
/** An outcome of a stage, or a global outcome. */
export type Outcome = z.output<typeof outcomeSchema>;
/** An outcome that moves the deal to a stage. */
export type MoveOutcome = z.output<typeof moveOutcomeSchema>;
/** An outcome that finishes the deal. */
export type FinishOutcome = z.output<typeof finishOutcomeSchema>;
/** An outcome kind (reason). */
export type OutcomeKind = z.output<typeof outcomeKindSchema>;
/** An additional field definition. */
export type FieldDefinition = z.output<typeof fieldSchema>;
/** A document template. */
export type DocumentTemplate = z.output<typeof documentSchema>;
/** A deadline change approver. */
export type Approver = z.output<typeof approverSchema>;
/** The parameters of a sales topic. */
export type TopicParameters = z.output<typeof parametersSchema>;
/** A working calendar. */
export type Calendar = z.output<typeof calendarSchema>;
