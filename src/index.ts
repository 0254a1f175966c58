/**
 * crm-topics: CRM relationship topics (sales pipelines) compiled to XState
 * machines, with pure functions to run deals through them.
 *
 * @packageDocumentation
 */

// Topic definitions: the format, validation and the built-in standard topic.
export type {
  Approver,
  AuditTopic,
  Calendar,
  DocumentTemplate,
  FieldDefinition,
  FinishOutcome,
  MoveOutcome,
  Outcome,
  OutcomeKind,
  SalesTopic,
  ServiceTopic,
  Stage,
  TopicDefinition,
  TopicInput,
  TopicParameters,
} from './definition/schema.js';
export { MAX_STAGES, topicSchema } from './definition/schema.js';
export { TopicValidationError, type Locale, type Severity, type TopicIssue } from './definition/issue.js';
export { idFromName, isId, MAX_ID_LENGTH } from './definition/id.js';
export { parseTopic, safeParseTopic, type ParseOptions, type ParseResult } from './definition/parse.js';
export { lintTopic, type LintOptions } from './definition/lint.js';
export { standardTopic } from './definition/standard-topic.js';
export { topicJsonSchema } from './definition/json-schema.js';

// Time.
export { durationToMs, MAX_DURATION_DAYS, parseDuration, type Duration } from './time/duration.js';
export { isCalendarDate } from './time/date.js';
export { addDuration, compileCalendar, isWorkingDay, isWorkingTime, type TimeZoneClock, type WorkingCalendar } from './time/calendar.js';

// Compiling topics.
export { compileTopic, type CompileOptions } from './compile/compile.js';
export { isCompiledTopic } from './compile/compiled-brand.js';
export type { CompiledEventTopic, CompiledOutcome, CompiledSalesTopic, CompiledStage, CompiledTopic } from './compile/compiled-topic.js';
export {
  buildDealMachine,
  CLOSED_NEGATIVE,
  CLOSED_POSITIVE,
  createDealActor,
  dealSnapshot,
  DealStateError,
  dealStateValue,
  FINISHED_POSITIVE,
} from './compile/machine.js';
export type { DealMachine, DealMachineContext, DealMachineSnapshot } from './compile/deal-machine.js';

// Deals on sales topics.
export type {
  ActivityKind,
  Deal,
  DealFinish,
  FinishPolarity,
  DealStatus,
  FieldValue,
  PendingDeadlineChange,
  PlannedActivity,
} from './deal/deal.js';
export { dealEventSchema, type DealEvent, type DealEventOf } from './deal/events.js';
export { formatDealError, type DealError, type DealErrorCode } from './deal/errors.js';
export type { ErrorParams } from './deal/error-catalogue.js';
export { isEffect, type Effect, type EffectOf } from './deal/effects.js';
export { openDeal, type OpenDealContext, type OpenDealInput, type OpenDealResult } from './deal/open.js';
export { openDealInputSchema } from './deal/open-input.js';
export {
  dealLogEntrySchema,
  entryEvent,
  parseLogEntry,
  type DealLogEntry,
  type DealLogEntryType,
  type EventLogEntry,
  type LoggedEvent,
  type MigrationLogEntry,
  type OpenedLogEntry,
  type ParseLogEntryResult,
} from './deal/log-entry.js';
export { replayDeal, replayEntry, type ReplayResult, type ReplayStep, type ReplayTopics } from './log/replay.js';
export { applyEvent, type ApplyResult } from './deal/apply.js';
export { checkPlanning, type PlanningCheck } from './deal/planning.js';
export { dealDeadline, idleDeadline, stageDeadline } from './deal/deadlines.js';
export { missingFields } from './deal/fields.js';

// Audit and service topics.
export { cancelEvent, planEvent, recordEvent } from './events/topic-event.js';
export {
  topicEventSchema,
  type CancelEventInput,
  type PlanEventInput,
  type RecordEventInput,
  type TopicEvent,
  type TopicEventResult,
  type TopicEventStatus,
} from './events/topic-event-model.js';
export { buildTopicEventMachine } from './events/machine.js';
export type { TopicEventMachine, TopicEventMachineEvent } from './events/topic-event-machine.js';

// Access.
export { canEditTopic, canUseTopic, DIRECTOR_ROLE, isApprover } from './access/permissions.js';
export { actorSchema, readActor, type CrmUser } from './access/actor.js';
export { availableOutcomes, type AvailableOutcome } from './deal/available.js';
export { topicDiagram, type DiagramFormat } from './compile/diagram.js';
export { diffHtml, funnelHtml, topicSvg, type DiffHtmlOptions, type FunnelHtmlOptions, type PictureLocale, type TopicSvgOptions } from './picture/index.js';
export { outcomeEvents } from './compile/outcome-event.js';
export { findOverdue, LIMIT_KINDS, nextDeadline, overdue, type Deadline, type LimitKind, type OverdueDeal, type OverdueLimit, type OverdueOptions, type OverdueResult } from './time/overdue.js';
export { EMPTY_NOTICE_MARKER, overdueNotices, type NoticeMarker, type OverdueNotice, type OverdueNoticeError, type OverdueNoticesResult } from './time/overdue-notices.js';

// Editing topics and migrating deals between versions.
export {
  createTopic,
  editTopic,
  type DeadlineChangeInput,
  type DocumentChanges,
  type DocumentInput,
  type EditOptions,
  type EditResult,
  type FieldChanges,
  type FieldInput,
  type NewTopicInput,
  type OutcomeChanges,
  type OutcomeInput,
  type OutcomeKindChanges,
  type OutcomeKindInput,
  type ParametersChanges,
  type StageChanges,
  type StageInput,
  type TopicChanges,
  type TopicEdit,
  type TopicEditOp,
} from './definition/edit.js';
export { diffTopics, type TopicChange, type TopicChangeType } from './migrate/diff.js';
export { planMigration, type DealMigration, type MigrationConflict, type MigrationConflictCode, type MigrationPlan, type StageMapping } from './migrate/plan.js';
export {
  migrateDeal,
  retiredFields,
  type DeadlinePolicy,
  type MigrateOptions,
  type MigrateResult,
  type MigrationEntry,
  type MigrationError,
  type MigrationErrorCode,
} from './migrate/migrate.js';

// Reports and simulation.
export {
  formatDuration,
  formatFunnelReport,
  funnelBuilder,
  funnelReport,
  type FormatFunnelOptions,
  type DealWithLog,
  type FunnelBuilder,
  type FunnelError,
  type FunnelReport,
  type FunnelResult,
  type FunnelReportOptions,
  type KindFinishes,
  type OutcomeFinishes,
  type StageFunnel,
} from './report/funnel.js';
export { simulate, SimulationError, type SimulateOptions, type SimulationIssue, type SimulationResult, type WeightsMap } from './report/simulate.js';
export { outcomeEvent, sampleFields, type OutcomeEventOptions } from './compile/outcome-event.js';
export { dealSchema, parseDeal, type ParseDealOptions, type ParseDealResult } from './deal/parse-deal.js';
