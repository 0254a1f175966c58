/*
 * One catalogue of rejection codes (issue 13): every code has its rule and
 * its message in English and Russian, made from the error's params, so a
 * Russian CRM screen can show any rejection (formatDealError).
 */
import { describe, expect, it } from 'vitest';
import { catalogue, renderDealMessage, type DealErrorCode } from '../../src/deal/error-catalogue.js';
import { applyEvent, formatDealError, openDeal, standardTopic } from '../../src/index.js';
import { compileSales, manager, MONDAY, HOUR, open, rejected } from '../support.js';

/** A value for every parameter any template reads. */
const sample = {
  id: 'offer', stage: 'payment', path: 'at', detail: 'Expected number', detailRu: 'Ожидалось число', deal: 'standard@1', topic: 'standard@2',
  field: 'dueAt', actual: 17, expected: 'min', limit: 5, at: 1000, openedAt: 900, last: 950, plannedAt: 990, type: 'setFields', kind: 'competitor',
  fields: 'carrier, amount', author: 'manager-2', plannedFor: 800, actor: 'manager-1', dueAt: 700, name: 'invoice-paid', open: 1, client: 'client-1', status: 'recorded', replayed: 'offer', logged: 'payment',
} as const;

const codes = Object.keys(catalogue) as DealErrorCode[];

describe('the rejection catalogue', () => {
  it('has a rule and an English and a Russian message for every code', () => {
    expect(codes.length).toBeGreaterThanOrEqual(38);
    for (const code of codes) {
      const en = renderDealMessage(code, sample, 'en');
      const ru = renderDealMessage(code, sample, 'ru');
      expect(catalogue[code].rule, code).not.toBe('');
      for (const text of [en, ru]) {
        expect(text.trim(), code).not.toBe('');
        expect(text, code).not.toMatch(/undefined|NaN|\$\{|\[object/);
      }
      expect(ru, code).toMatch(/[а-яё]/iu);
      expect(ru, code).not.toBe(en);
      // No English sentence leaks into the Russian one: at most the ids and values it quotes.
      let prose = ru;
      for (const value of Object.values(sample).map(String).sort((a, b) => b.length - a.length)) prose = prose.replaceAll(value, '');
      expect(prose.replace(/«[^»]*»|compileTopic|JSON|true|false|yes|no|S\d+/gu, ''), code).not.toMatch(/\b[a-z]{4,}\b/iu);
    }
  });

  it('renders the kinds of a field value, an audit answer and an open deal in both languages', () => {
    expect(renderDealMessage('invalid_field_value', { id: 'amount', expected: 'min', limit: 5 }, 'ru')).toBe('Поле «amount» ожидает число не меньше 5.');
    expect(renderDealMessage('invalid_field_value', { id: 'amount', expected: 'min', limit: 5 }, 'en')).toBe('Field "amount" expects a number of at least 5.');
    expect(renderDealMessage('kind_not_allowed', { answer: 'yes', kind: 'no-stock' }, 'en')).toBe('Outcome kind "no-stock" does not fit the answer "yes".');
    expect(renderDealMessage('comment_required', { kind: 'competitor' }, 'ru')).toBe('Для вида итога «competitor» нужен комментарий.');
    expect(renderDealMessage('unexpected_business_event', { name: 'paid', open: 1 }, 'en')).toMatch(/while the deal is open/);
    expect(renderDealMessage('unexpected_business_event', { name: 'paid', open: 0 }, 'ru')).not.toMatch(/пока/);
  });
});

describe('formatDealError renders real rejections in Russian with their params', () => {
  const topic = compileSales(standardTopic);

  it('an unknown outcome, a malformed event (zod in Russian), a missing field and a stale revision', () => {
    const deal = open(topic);
    const unknown = rejected(applyEvent(topic, deal, { type: 'recordOutcome', outcomeId: 'nosuch', at: MONDAY + HOUR, actor: manager }));
    expect(unknown.params).toEqual({ id: 'nosuch', stage: 'new' });
    expect(formatDealError(unknown, 'ru')).toBe('На стадии «new» нет итога «nosuch».');
    expect(formatDealError(unknown)).toBe(unknown.message);

    const malformed = rejected(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: 'soon', actor: manager } as never));
    expect(malformed.code).toBe('invalid_event');
    expect(formatDealError(malformed, 'ru')).toMatch(/^Событие задано неверно в at: .*[а-яё]/iu);

    const stale = rejected(applyEvent(topic, deal, { type: 'setFields', fields: {}, at: MONDAY + HOUR, actor: manager, expectedRevision: 7 }));
    expect(formatDealError(stale, 'ru')).toBe(`Сделка уже в ревизии ${deal.revision}, а не 7: загрузите её заново и повторите.`);
  });

  it('a rejected new deal and any other locale read as English', () => {
    const result = openDeal(topic, { id: 'd', clientId: 'c', ownerId: manager.id, at: -1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatDealError(result.error, 'ru')).toMatch(/^Новая сделка задана неверно/);
    expect(formatDealError(result.error, 'de' as never)).toBe(result.error.message);
  });
});
