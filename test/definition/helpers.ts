import type { TopicInput, TopicIssue } from '../../src/index.js';

/*
 * Shared fixtures of the definition suites: small valid topics as an author
 * writes them (defaults left out), and an `edit` that changes one place of a
 * copy so that each test states exactly the fault it is about.
 */

/** A valid sales topic: three stages forward, a cyclic outcome, a global refusal, kinds, fields and documents. */
export function salesInput(): TopicInput {
  return {
    id: 'wholesale',
    name: 'Оптовые продажи',
    kind: 'sales',
    maxDuration: 'P30D',
    stages: [
      {
        id: 'lead',
        name: 'Знакомство',
        comment: 'Позвоните клиенту и выясните потребность.',
        maxDuration: 'P2D',
        probability: 10,
        outcomes: [
          { id: 'interested', name: 'Клиент заинтересовался', to: 'offer' },
          { id: 'no-answer', name: 'Не удалось связаться', to: 'lead' },
        ],
      },
      {
        id: 'offer',
        name: 'Коммерческое предложение',
        maxDuration: 'P3D',
        idleLimit: 'P1D',
        probability: 40,
        requiredFields: ['budget'],
        outcomes: [{ id: 'accepted', name: 'Предложение принято', to: 'payment' }],
      },
      {
        id: 'payment',
        name: 'Оплата',
        maxDuration: 'P5D',
        probability: 80,
        outcomes: [{ id: 'paid', name: 'Оплачено', finish: 'positive' }],
      },
    ],
    globalOutcomes: [{ id: 'refused', name: 'Отказ', finish: 'negative', kindRequired: true }],
    outcomeKinds: [
      { id: 'price', name: 'Дорого', polarity: 'negative' },
      { id: 'other', name: 'Другое', commentRequired: true },
    ],
    fields: [
      { id: 'budget', name: 'Бюджет', type: 'number', min: 0 },
      { id: 'size', name: 'Размер', type: 'select', options: [{ id: 's', name: 'Малый' }, { id: 'm', name: 'Средний' }] },
    ],
    documents: [
      { id: 'offer-doc', name: 'Коммерческое предложение', template: 'commercial-offer', stages: ['offer'] },
      { id: 'invoice', name: 'Счёт', template: 'invoice' },
    ],
  };
}

/** A valid audit topic (S37): every kind requires a comment. */
export function auditInput(): TopicInput {
  return {
    id: 'store-audit',
    name: 'Аудит торговой точки',
    kind: 'audit',
    instruction: 'Проверьте выкладку.',
    outcomeKinds: [
      { id: 'shelf-ok', name: 'Выкладка в порядке', polarity: 'positive', commentRequired: true },
      { id: 'shelf-empty', name: 'Полка пуста', polarity: 'negative', commentRequired: true },
    ],
  };
}

/** A valid service topic (S38). */
export function serviceInput(): TopicInput {
  return { id: 'support', name: 'Сервисное обслуживание', kind: 'service', instruction: 'Отвечайте в течение часа.', script: 'scripts/support' };
}

/** Marks a property for deletion in {@link edit}. */
export const DELETE = Symbol('delete');

/**
 * A deep copy of `base` with the given changes: each is a dotted path
 * (`stages.0.outcomes.1.to`; digits index arrays) and the new value, or
 * {@link DELETE}. Values are defined as own properties, never assigned, so a
 * key such as `constructor` lands on the copy and not on a prototype.
 */
export function edit(base: unknown, ...changes: readonly (readonly [path: string, value: unknown])[]): unknown {
  const copy: unknown = structuredClone(base);
  for (const [path, value] of changes) {
    const keys = path.split('.');
    const last = keys.pop();
    if (last === undefined) throw new Error('empty path');
    let target = copy;
    for (const key of keys) {
      if (typeof target !== 'object' || target === null || !Object.hasOwn(target, key)) throw new Error(`no ${key} in ${path}`);
      target = (target as Record<string, unknown>)[key];
    }
    if (typeof target !== 'object' || target === null) throw new Error(`cannot set ${path}`);
    if (value === DELETE) Reflect.deleteProperty(target, last);
    else Object.defineProperty(target, last, { value, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** The `code@path` of each issue, for compact assertions. */
export function codes(issues: readonly TopicIssue[]): string[] {
  return issues.map((issue) => `${issue.code}@${issue.path}`);
}

/** Whether a text contains Cyrillic letters. */
export const CYRILLIC = /[А-Яа-яЁё]/;
