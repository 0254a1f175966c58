import type { CompiledSalesTopic } from '../compile/compiled-topic.js';
import type { Deal } from './deal.js';
import { dealError, type DealError } from './errors.js';

const STATUSES: ReadonlySet<unknown> = new Set(['open', 'finished', 'closed']);

const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isDeadline = (value: unknown): boolean => value === null || isTime(value);

/**
 * A cheap check that a stored deal can be worked on with this topic: the
 * shape of the fields every event reads, the topic and version it belongs to,
 * and a stage the topic knows. It runs before every event; `parseDeal` does
 * the full check of a deal read from storage.
 */
export function checkDeal(topic: CompiledSalesTopic, deal: Deal): DealError | undefined {
  if (typeof deal !== 'object' || deal === null) return dealError('invalid_deal', { path: '(deal)', detail: 'expected an object', detailRu: 'ожидался объект' });
  const problem = shapeProblem(deal);
  if (problem !== undefined) return dealError('invalid_deal', { path: problem, detail: 'missing or of the wrong type', detailRu: 'отсутствует или имеет неверный тип' }, problem);
  if (deal.topicId !== topic.id || deal.topicVersion !== topic.version) {
    return dealError('topic_mismatch', { deal: `${deal.topicId}@${deal.topicVersion}`, topic: `${topic.id}@${topic.version}` }, 'topicId');
  }
  if (!topic.stages.has(deal.stageId)) return dealError('unknown_stage', { id: deal.stageId }, 'stageId');
  return undefined;
}

function shapeProblem(deal: Deal): string | undefined {
  if (typeof deal.id !== 'string') return 'id';
  if (typeof deal.topicId !== 'string') return 'topicId';
  if (typeof deal.clientId !== 'string') return 'clientId';
  if (typeof deal.stageId !== 'string') return 'stageId';
  if (!STATUSES.has(deal.status)) return 'status';
  if (!Number.isSafeInteger(deal.revision) || deal.revision < 0) return 'revision';
  if (!isTime(deal.openedAt)) return 'openedAt';
  if (!isTime(deal.stageEnteredAt)) return 'stageEnteredAt';
  if (!isTime(deal.lastActivityAt)) return 'lastActivityAt';
  if (!isDeadline(deal.stageDueAt)) return 'stageDueAt';
  if (!isDeadline(deal.dueAt)) return 'dueAt';
  if (!isDeadline(deal.idleDueAt)) return 'idleDueAt';
  if (!Array.isArray(deal.activities)) return 'activities';
  // Every event that plans, closes or counts activities reads these.
  for (let index = 0; index < deal.activities.length; index += 1) if (!isActivity(deal.activities[index])) return `activities[${index}]`;
  // The last change dates the next event (none may come before it).
  if (!isTime(deal.lastEventAt)) return 'lastEventAt';
  if (!isDeadline(deal.agreedDueAt)) return 'agreedDueAt';
  if (typeof deal.fields !== 'object' || deal.fields === null || Array.isArray(deal.fields)) return 'fields';
  // Field values are copied into the next deal by key: an own "__proto__" key would replace its prototype.
  // Other odd keys do no harm here and are kept; parseDeal refuses them when a deal is read from storage.
  if (Object.hasOwn(deal.fields, '__proto__')) return 'fields';
  const pending: unknown = deal.pendingDeadlineChange;
  if (pending !== null && (typeof pending !== 'object' || !isTime((pending as { dueAt?: unknown }).dueAt))) return 'pendingDeadlineChange';
  return undefined;
}

function isActivity(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { id, authorId, kind, plannedFor } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof authorId === 'string' && typeof kind === 'string' && isTime(plannedFor);
}
