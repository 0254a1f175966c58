import { describe, expect, it } from 'vitest';
import { message } from '../../src/definition/messages.js';
import { countOf } from '../../src/util/plural.js';

const DAYS_RU = { one: 'день', few: 'дня', many: 'дней', other: 'дня' };

describe('countOf: a count with its noun in the form the language wants', () => {
  it('follows the Russian categories: one, few, many, and fractions', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 111, 1.5].map((n) => countOf('ru', n, DAYS_RU))).toEqual([
      '1 день',
      '2 дня',
      '5 дней',
      '11 дней',
      '21 день',
      '22 дня',
      '25 дней',
      '111 дней',
      '1.5 дня',
    ]);
  });

  it('has one and other in English, and falls back to other for what is not a number', () => {
    expect(countOf('en', 1, { one: 'day', other: 'days' })).toBe('1 day');
    expect(countOf('en', 0, { one: 'day', other: 'days' })).toBe('0 days');
    expect(countOf('en', 'many', { one: 'day', other: 'days' })).toBe('many days');
  });

  it('puts the counts of topic messages in the genitive after «не более» and «до»', () => {
    expect(message('limit_too_long', 'ru', { limit: 'PT900H', days: 4021, max: 3653 })).toContain('до 4021 календарного дня, а допустимо не более 3653 календарных дней');
    expect(message('limit_too_long', 'en', { limit: 'PT900H', days: 4021, max: 3653 })).toContain('up to 4021 days');
    expect(message('too_many_outcomes', 'ru', { count: 5001, max: 5000 })).toContain('не более 5000 итогов');
    expect(message('too_many_outcomes', 'ru', { count: 22, max: 21 })).toContain('не более 21 итога');
  });
});
