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
export { parseTopic, safeParseTopic, type ParseOptions, type ParseResult } from './definition/parse.js';
export { lintTopic, type LintOptions } from './definition/lint.js';
export { kindsForOutcome } from './definition/kinds.js';
export { standardTopic } from './definition/standard-topic.js';
export { topicJsonSchema } from './definition/json-schema.js';

// Time.
export { durationToMs, MAX_DURATION_DAYS, parseDuration, type Duration } from './time/duration.js';
