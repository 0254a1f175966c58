/**
 * Overdue notifications, each sent once per deadline (issue 16 item 3). The
 * caller keeps a fixed-size marker beside the deal (the deadline last
 * notified per limit kind) and writes back the marker this returns.
 *
 * @module
 */
import { isCompiledTopic } from '../compile/compiled-brand.js';
import type { CompiledTopic } from '../compile/compiled-topic.js';
import type { Deal } from '../deal/deal.js';
import { overdue, type OverdueLimit } from './overdue.js';

/**
 * The deadline last notified per limit kind, epoch ms, or `null` when none
 * was. Start a deal with `null` (or `EMPTY_NOTICE_MARKER`).
 *
 * @example
 * const marker: NoticeMarker = { stage: null, deal: null, idle: null };
 */
export interface NoticeMarker {
  readonly stage: number | null;
  readonly deal: number | null;
  readonly idle: number | null;
}

/**
 * One notification a deal owes: which limit, since when (`dueAt`, the
 * deadline) and by how many ms it is late.
 *
 * @example
 * const notice: OverdueNotice = { kind: 'stage', dueAt: 0, by: 1 };
 */
export type OverdueNotice = OverdueLimit;

/**
 * Why {@link overdueNotices} gave no answer.
 *
 * @example
 * if (!result.ok) console.warn(result.error.code, result.error.message);
 */
export interface OverdueNoticeError {
  readonly code: 'invalid_topic' | 'not_a_sales_topic' | 'invalid_deal' | 'invalid_now' | 'invalid_marker' | 'unreadable_input';
  readonly message: string;
  readonly rule: string;
  readonly path?: string;
}

/**
 * The answer of {@link overdueNotices}.
 *
 * @example
 * const result: OverdueNoticesResult = overdueNotices(compiled, deal, Date.now(), null);
 */
export type OverdueNoticesResult =
  | { readonly ok: true; readonly notices: readonly OverdueNotice[]; readonly marker: NoticeMarker }
  | { readonly ok: false; readonly error: OverdueNoticeError };

/**
 * A marker that records no notification.
 *
 * @example
 * overdueNotices(compiled, deal, now, EMPTY_NOTICE_MARKER);
 */
export const EMPTY_NOTICE_MARKER: NoticeMarker = Object.freeze({ stage: null, deal: null, idle: null });


function failure(code: OverdueNoticeError['code'], message: string, path?: string): OverdueNoticesResult {
  return { ok: false, error: { code, message, rule: code === 'not_a_sales_topic' ? 'S23' : 'input', ...(path === undefined ? {} : { path }) } };
}

/**
 * The notifications a deal owes at `now`: every limit (stage S6, deal S24,
 * idle) whose deadline has passed (`dueAt < now`, as {@link overdue} says)
 * and differs from the deadline the marker records for that kind, in the
 * order stage, deal, idle; and the new marker. A deadline is notified once;
 * when it moves (a new stage, activity, an approved deadline change) the new
 * one is notified again once it passes. Only open deals of the topic owe
 * notices. Store the marker beside the deal in the same statement that
 * records the sent notices. Never throws.
 *
 * @example
 * const result = overdueNotices(compiled, deal, Date.now(), row.noticeMarker);
 * if (result.ok && result.notices.length > 0) {
 *   await notifyOwner(deal, result.notices);
 *   row.noticeMarker = result.marker;
 * }
 */
export function overdueNotices(topic: CompiledTopic, deal: Deal, now: number, marker: NoticeMarker | null | undefined): OverdueNoticesResult {
  if (!isCompiledTopic(topic)) return failure('invalid_topic', 'Expected a topic returned by compileTopic.', 'topic');
  try {
    if (topic.kind !== 'sales') return failure('not_a_sales_topic', `Only deals of a sales topic can be overdue; "${topic.id}" is a ${topic.kind} topic.`, 'topic');
    if (typeof deal !== 'object' || deal === null) return failure('invalid_deal', 'Expected a deal object.', 'deal');
    if (typeof now !== 'number' || !Number.isFinite(now)) return failure('invalid_now', 'Expected now as a finite number of epoch ms.', 'now');
    const before = readMarker(marker);
    if (before === undefined) return failure('invalid_marker', 'Expected a marker { stage, deal, idle } of finite numbers or null, or null.', 'marker');
    // overdue() answers "on time" for a deal it cannot read; here that would be a notice lost, so the fields it reads are read first.
    const read: Pick<Deal, 'topicId' | 'status' | 'stageDueAt' | 'dueAt' | 'idleDueAt'> = {
      topicId: deal.topicId,
      status: deal.status,
      stageDueAt: deal.stageDueAt,
      dueAt: deal.dueAt,
      idleDueAt: deal.idleDueAt,
    };
    // The limits overdue() reports (open deals of the topic only), less those the marker has notified.
    const notices: OverdueNotice[] = overdue(topic, read as Deal, now).limits.filter((limit) => limit.dueAt !== before[limit.kind]);
    const next = { ...before };
    for (const notice of notices) next[notice.kind] = notice.dueAt;
    return { ok: true, notices, marker: notices.length === 0 ? before : Object.freeze(next) };
  } catch {
    return failure('unreadable_input', 'The deal or the marker could not be read: a getter or proxy trap threw. Pass plain data.');
  }
}

function readMarker(marker: unknown): NoticeMarker | undefined {
  if (marker === null || marker === undefined) return EMPTY_NOTICE_MARKER;
  if (typeof marker !== 'object') return undefined;
  const read = (value: unknown): number | null | undefined => (value === undefined || value === null ? null : typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const record = marker as Record<string, unknown>;
  const stage = read(record.stage);
  const deal = read(record.deal);
  const idle = read(record.idle);
  if (stage === undefined || deal === undefined || idle === undefined) return undefined;
  return Object.freeze({ stage, deal, idle });
}
