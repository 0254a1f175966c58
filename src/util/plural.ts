/** The word forms of a count, by the plural category of the language (`other` is always needed). */
export type PluralForms = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };

const rules = new Map<string, Intl.PluralRules>();

/**
 * A count with its noun in the right form: Russian has three (один итог, два
 * итога, пять итогов; fractions take the genitive singular), English two.
 * The rules come from `Intl.PluralRules`, made on first use so that loading
 * the library stays cheap.
 *
 * @example
 * countOf('ru', 21, { one: 'день', few: 'дня', many: 'дней', other: 'дня' }); // '21 день'
 * countOf('en', 1, { one: 'day', other: 'days' }); // '1 day'
 */
export function countOf(locale: 'en' | 'ru', count: number | string | undefined, forms: PluralForms): string {
  const n = Number(count);
  let rule = rules.get(locale);
  if (rule === undefined) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  const form = Number.isFinite(n) ? (forms[rule.select(n)] ?? forms.other) : forms.other;
  return `${String(count ?? '')} ${form}`;
}
