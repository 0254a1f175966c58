/** The languages the pictures are labelled in. */
export type PictureLocale = 'en' | 'ru';

/** The fixed words of a picture in one language. */
export interface PictureLabels {
  readonly positive: string;
  readonly negative: string;
  readonly anyStage: string;
  readonly ongoing: string;
  readonly limit: string;
  readonly idle: string;
  readonly more: (count: number) => string;
  readonly stages: (count: number) => string;
}

const LABELS: Readonly<Record<PictureLocale, PictureLabels>> = {
  en: {
    positive: 'Positive finish',
    negative: 'Negative finish',
    anyStage: 'From any stage',
    ongoing: 'negotiations ongoing',
    limit: 'limit',
    idle: 'idle',
    more: (count) => `+${count} more`,
    stages: (count) => `Stages (${count})`,
  },
  ru: {
    positive: 'Положительное завершение',
    negative: 'Отрицательное завершение',
    anyStage: 'Из любой стадии',
    ongoing: 'переговоры продолжаются',
    limit: 'срок',
    idle: 'без действий',
    more: (count) => `ещё ${count}`,
    stages: (count) => `Стадии (${count})`,
  },
};

/**
 * The picture words for a locale (English when unknown).
 *
 * @example
 * pictureLabels('ru').positive; // 'Положительное завершение'
 */
export function pictureLabels(locale: PictureLocale | undefined): PictureLabels {
  return locale === 'ru' ? LABELS.ru : LABELS.en;
}
