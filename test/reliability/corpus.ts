import { expect } from 'vitest';
import { applyEvent, compileTopic, openDeal, standardTopic, type CompiledSalesTopic, type Deal, type DealEvent } from '../../src/index.js';
import { freeze } from './invariants.js';

/*
 * The runner of the adversarial corpus: every row names the call, its
 * hostile inputs, and the error code and path it must produce. The runner
 * deep-freezes the inputs, and checks that the call does not throw, that the
 * inputs are unchanged afterwards, and that no prototype was touched.
 */

/**
 * What a row expects: a rejection with this code at this path (`undefined`: the error has no path), or an acceptance.
 *
 * @example
 * const expected: Expected = { code: 'invalid_event', path: 'at' };
 */
export type Expected = { readonly code: string; readonly path: string | undefined } | { readonly accepted: true };

/**
 * One hostile input and what it must produce.
 *
 * @example
 * const row: Row = { name: 'null', inputs: () => [deal, null], call: (d, e) => answerOf(applyEvent(topic, d as Deal, e as DealEvent)), expected: { code: 'invalid_event', path: '' } };
 */
export interface Row {
  readonly name: string;
  /** The inputs, built fresh for the row; they are deep-frozen before the call. */
  readonly inputs: () => readonly unknown[];
  /** Calls the library and returns its answer as `{ code, path }`, `{ codes }` for a list of issues, or `{ ok: true }`. */
  readonly call: (...inputs: unknown[]) => Answer;
  readonly expected: Expected;
}

/**
 * A call's answer, normalised: an acceptance, one error, or a list of issues (topics) of which one must match.
 *
 * @example
 * const answer: Answer = { ok: false, code: 'unknown_stage', path: 'stageId', message: 'Stage "x" does not exist in this topic.' };
 */
export type Answer = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly path: string | undefined; readonly message: string } | { readonly ok: false; readonly issues: readonly { readonly code: string; readonly path: string; readonly message: string }[] };

const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
const prototypeKeys = (): string[] => prototypes.flatMap((proto) => Reflect.ownKeys(proto).map(String));
const KEYS_BEFORE = prototypeKeys();

/**
 * A text that changes when anything reachable from the value changes: every
 * own key (symbols too), primitive (NaN, -0 and undefined included) and
 * prototype. Iterative, so 10,000 nested levels are fine.
 *
 * @example
 * const before = text(input); call(input); expect(text(input)).toBe(before);
 */
export function text(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') parts.push(JSON.stringify(item.length > 100 ? `${item.length}:${item.slice(0, 50)}…${item.slice(-50)}` : item));
    else if (typeof item === 'number') parts.push(Object.is(item, -0) ? '-0' : String(item));
    else if (typeof item !== 'object' || item === null) parts.push(String(item));
    else {
      const proto = Object.getPrototypeOf(item) as unknown;
      parts.push(Array.isArray(item) ? '[' : proto === Object.prototype ? '{' : proto === null ? '{null' : `{${Object.prototype.toString.call(item)}`);
      if (item instanceof Date) parts.push(String(item.getTime()));
      const keys = Reflect.ownKeys(item);
      stack.push('}');
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index] as PropertyKey;
        stack.push((item as Record<PropertyKey, unknown>)[key], `${String(key)}:`);
      }
    }
  }
  return parts.join(' ');
}

/**
 * Runs one row; see the module notes.
 *
 * @example
 * it.each(rows)('$name', (row) => { checkRow(row); });
 */
export function checkRow(row: Row): Answer {
  const inputs = row.inputs();
  const before = inputs.map(text);
  for (const input of inputs) freeze(input);
  let answer: Answer | undefined;
  expect(() => {
    answer = row.call(...inputs);
  }).not.toThrow();
  if (answer === undefined) throw new Error('no answer');
  expect(inputs.map(text)).toEqual(before);
  expect(prototypeKeys()).toEqual(KEYS_BEFORE);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'administrator', 'roles', 'x', 'planning', 'status']) expect(probe[key]).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);

  const { expected } = row;
  if ('accepted' in expected) {
    expect(answer, JSON.stringify(answer)).toEqual({ ok: true });
    return answer;
  }
  expect(answer.ok).toBe(false);
  if ('issues' in answer) {
    const found = answer.issues.find((issue) => issue.code === expected.code && issue.path === expected.path);
    expect(found, JSON.stringify(answer.issues.slice(0, 5).map((issue) => `${issue.code}@${issue.path}`))).toBeDefined();
    for (const issue of answer.issues) expect(issue.message.length).toBeGreaterThan(0);
  } else if ('code' in answer) {
    expect({ code: answer.code, path: answer.path }, answer.message).toEqual({ code: expected.code, path: expected.path });
    expect(answer.message.length).toBeGreaterThan(0);
    expect(answer.message.length).toBeLessThan(2000);
  }
  return answer;
}

/**
 * Normalises a `{ ok, error }` result.
 *
 * @example
 * answerOf(applyEvent(topic, deal, event)); // { ok: false, code: 'deal_closed', path: undefined, message: '…' }
 */
export function answerOf(result: { readonly ok: boolean; readonly error?: { readonly code: string; readonly path?: string; readonly message: string } }): Answer {
  if (result.ok) return { ok: true };
  const error = result.error;
  if (error === undefined) throw new Error('a rejection without an error');
  return { ok: false, code: error.code, path: error.path, message: error.message };
}

/**
 * Monday 12 January 2026, 09:00 UTC: the deals of the corpus open then.
 *
 * @example
 * outcome({ at: T0 - 1 }); // before the deal opened
 */
export const T0 = Date.parse('2026-01-12T09:00:00Z');
/**
 * An hour in milliseconds.
 *
 * @example
 * T0 + 2 * HOUR;
 */
export const HOUR = 3_600_000;
/**
 * A day in milliseconds.
 *
 * @example
 * T0 + 40 * DAY;
 */
export const DAY = 24 * HOUR;
/**
 * A manager: records outcomes, may not move deals past the rules (S2).
 *
 * @example
 * ({ type: 'moveToStage', stageId: 'payment', at, actor: manager }); // not_permitted
 */
export const manager = { id: 'manager-1', roles: ['manager'] };
/**
 * A director: approves deadline changes in the standard topic (S25).
 *
 * @example
 * ({ type: 'approveDeadlineChange', at, actor: director });
 */
export const director = { id: 'director-1', roles: ['director'] };
/**
 * The system administrator (S2).
 *
 * @example
 * ({ type: 'moveToStage', stageId: 'shipment', at, actor: admin });
 */
export const admin = { id: 'admin', administrator: true };

const compileSales = (input: unknown): CompiledSalesTopic => {
  const topic = compileTopic(input);
  if (topic.kind !== 'sales') throw new Error('expected a sales topic');
  return topic;
};

/**
 * The standard topic (S21), compiled.
 *
 * @example
 * applyEvent(topic, openDealFixture(), event);
 */
export const topic = compileSales(standardTopic);
/**
 * The standard topic, closing won deals on a business event (S34) and keeping activities after close (S35).
 *
 * @example
 * applyEvent(businessTopic, finishedDeal(), { type: 'reportBusinessEvent', name: 'goods-shipped', at, actor: manager });
 */
export const businessTopic = compileSales({
  ...structuredClone(standardTopic),
  parameters: { ...standardTopic.parameters, closeOn: { on: 'business-event', events: ['goods-shipped'] }, afterClose: { plannedActivities: 'keep', unpaidInvoices: 'keep' } },
});

const step = (on: CompiledSalesTopic, deal: Deal, event: DealEvent): Deal => {
  const result = applyEvent(on, deal, event);
  if (!result.ok) throw new Error(`fixture: ${result.error.code}: ${result.error.message}`);
  return result.deal;
};

/**
 * A deal in "acquaintance", opened at T0 and moved an hour later; fresh on every call.
 *
 * @example
 * openDealFixture().stageId; // 'acquaintance'
 */
export function openDealFixture(on: CompiledSalesTopic = topic): Deal {
  const opened = openDeal(on, { id: 'deal-1', clientId: 'client-1', ownerId: manager.id, at: T0 });
  if (!opened.ok) throw new Error(opened.error.message);
  return step(on, opened.deal, { type: 'recordOutcome', outcomeId: 'qualified', at: T0 + HOUR, actor: manager });
}

/**
 * The deal, with a call "constructor" planned and a deadline change waiting (S25).
 *
 * @example
 * busyDeal().pendingDeadlineChange?.dueAt; // T0 + 40 * DAY
 */
export function busyDeal(): Deal {
  let deal = openDealFixture();
  deal = step(topic, deal, { type: 'planActivity', activityId: 'constructor', kind: 'call', plannedFor: T0 + DAY, at: T0 + 2 * HOUR, actor: manager });
  return step(topic, deal, { type: 'requestDeadlineChange', dueAt: T0 + 40 * DAY, at: T0 + 3 * HOUR, actor: manager });
}

/**
 * The deal, refused (closed negatively).
 *
 * @example
 * closedDeal().status; // 'closed'
 */
export function closedDeal(): Deal {
  return step(topic, openDealFixture(), { type: 'recordOutcome', outcomeId: 'refused', kindId: 'no-need', at: T0 + 2 * HOUR, actor: manager });
}

/**
 * A won deal on the business-event topic, waiting for "goods-shipped".
 *
 * @example
 * finishedDeal().status; // 'finished'
 */
export function finishedDeal(): Deal {
  const moved = step(businessTopic, openDealFixture(businessTopic), { type: 'moveToStage', stageId: 'shipment', at: T0 + 2 * HOUR, actor: admin });
  return step(businessTopic, moved, { type: 'recordOutcome', outcomeId: 'shipped', at: T0 + 3 * HOUR, actor: manager });
}

/**
 * A value nested `depth` levels deep in arrays (built without recursion).
 *
 * @example
 * deepArray(2); // [['bottom']]
 */
export function deepArray(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

/**
 * A value nested `depth` levels deep in objects.
 *
 * @example
 * deepObject(1); // { a: { bottom: true } }
 */
export function deepObject(depth: number): unknown {
  let value: unknown = { bottom: true };
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

/**
 * A string of a megabyte.
 *
 * @example
 * outcome({ comment: MEGABYTE }); // invalid_event at comment
 */
export const MEGABYTE = 'x'.repeat(1024 * 1024);

/**
 * Parses JSON text, so that `__proto__` keys are own keys as a stored document would have them.
 *
 * @example
 * Object.hasOwn(fromJson('{"__proto__":{}}') as object, '__proto__'); // true
 */
export const fromJson = (json: string): unknown => JSON.parse(json) as unknown;

/**
 * A copy of a value with one key replaced (defined as an own property, so `__proto__` and `constructor` land on the copy).
 *
 * @example
 * withKey(event, 'constructor', { prototype: { polluted: true } });
 */
export function withKey(value: unknown, key: string, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  Object.defineProperty(copy, key, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * A copy of a value without a key.
 *
 * @example
 * withoutKey(event, 'at'); // invalid_event at at
 */
export function withoutKey(value: unknown, key: string): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  Reflect.deleteProperty(copy, key);
  return copy;
}
